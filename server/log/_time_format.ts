/**
 * Calendar fields and the fixed time layouts of the logs: httpd's two, and ISO 8601. The time
 * zone is an explicit UTC offset so that callers (and tests) decide it; `localOffsetMinutes()`
 * gives the host's.
 *
 * @module
 */

/** English day names, Sunday first (index = `TimeParts.weekday`). */
export const DAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
] as const;

/** English month names, January first (index = `TimeParts.month`). */
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** Broken-down local time, like C's `struct tm` plus microseconds and the UTC offset. */
export interface TimeParts {
  readonly year: number;
  /** 0–11. */
  readonly month: number;
  /** 1–31. */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0–999999. */
  readonly microsecond: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  /** 0–365. */
  readonly yearDay: number;
  /** Minutes east of UTC. */
  readonly offsetMinutes: number;
  /** Whole seconds since the epoch. */
  readonly epochSeconds: number;
}

/** Returns the host's UTC offset (minutes east of UTC) in force at `ms`, DST included. */
export function localOffsetMinutes(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

/** Splits `ms` (ms since the epoch, fractions allowed) into local fields at `offsetMinutes`. */
export function timeParts(ms: number, offsetMinutes: number): TimeParts {
  const epochSeconds = Math.floor(ms / 1000);
  const microsecond = Math.min(999_999, Math.max(0, Math.floor(ms * 1000 - epochSeconds * 1e6)));
  const shifted = new Date((epochSeconds + offsetMinutes * 60) * 1000);
  const year = shifted.getUTCFullYear();
  const yearDay = Math.floor((shifted.getTime() - Date.UTC(year, 0, 1)) / 86_400_000);
  return {
    year,
    month: shifted.getUTCMonth(),
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    microsecond,
    weekday: shifted.getUTCDay(),
    yearDay,
    offsetMinutes,
    epochSeconds,
  };
}

/** Zero-pads `n` to `width` digits. */
export function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** `+hhmm` / `-hhmm`, as strftime's `%z`. */
export function formatOffset(offsetMinutes: number): string {
  const abs = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`;
}

/** Common Log Format time without brackets: `26/Nov/2026:10:14:51 +0000`. */
export function formatClfTime(t: TimeParts): string {
  return `${pad(t.day, 2)}/${MONTH_NAMES[t.month]?.slice(0, 3)}/${t.year}:` +
    `${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)} ${formatOffset(t.offsetMinutes)}`;
}

/** httpd's error-log time (`%{u}t`, ctime with microseconds): `Thu Nov 26 10:14:51.123456 2026`. */
export function formatErrorLogTime(t: TimeParts): string {
  return `${DAY_NAMES[t.weekday]?.slice(0, 3)} ${MONTH_NAMES[t.month]?.slice(0, 3)} ` +
    `${pad(t.day, 2)} ${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}.` +
    `${pad(t.microsecond, 6)} ${t.year}`;
}

/**
 * ISO 8601 / RFC 3339 with microseconds: `2026-11-26T10:14:51.123456Z` at offset 0, else with
 * the offset as `+hh:mm`.
 */
export function formatIsoTime(t: TimeParts): string {
  const abs = Math.abs(t.offsetMinutes);
  const zone = t.offsetMinutes === 0
    ? "Z"
    : `${t.offsetMinutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
  return `${t.year}-${pad(t.month + 1, 2)}-${pad(t.day, 2)}T` +
    `${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}.${pad(t.microsecond, 6)}${zone}`;
}
