/**
 * HTTP-date (RFC 9110 §5.6.7): IMF-fixdate formatting, a once-per-second cache of the
 * current value for the `Date` field, and parsing of all three accepted forms.
 *
 * @module
 */

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;
const LONG_DAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
] as const;

// The day name must be one of the seven, but RFC 9110 lets a recipient ignore one that
// disagrees with the date, so only its spelling is checked.
const SHORT_DAY = DAY_NAMES.join("|");
const MONTH = MONTH_NAMES.join("|");
const IMF_FIXDATE = new RegExp(
  `^(?:${SHORT_DAY}), (\\d{2}) (${MONTH}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`,
);
const RFC850_DATE = new RegExp(
  `^(?:${LONG_DAY_NAMES.join("|")}), (\\d{2})-(${MONTH})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`,
);
const ASCTIME_DATE = new RegExp(
  `^(?:${SHORT_DAY}) (${MONTH}) ([ \\d]\\d) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})$`,
);

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/**
 * Formats a time as an IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
 *
 * @param ms Milliseconds since the epoch; the fraction of a second is dropped.
 */
export function formatHttpDate(ms: number): string {
  const d = new Date(ms);
  const year = String(d.getUTCFullYear()).padStart(4, "0");
  return `${DAY_NAMES[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTH_NAMES[d.getUTCMonth()]} ` +
    `${year} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} GMT`;
}

let cachedSecond = Number.NaN;
let cachedDate = "";

/**
 * The IMF-fixdate of `nowMs`, formatted at most once per second (the `Date` field of every
 * response reads it).
 */
export function cachedHttpDate(nowMs: number): string {
  const second = Math.floor(nowMs / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedDate = formatHttpDate(second * 1000);
  }
  return cachedDate;
}

function toMs(
  year: number,
  month: string,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number | null {
  const monthIndex = (MONTH_NAMES as readonly string[]).indexOf(month);
  // A leap second (60) is allowed by the grammar; it is read as the last second of the minute.
  if (hour > 23 || minute > 59 || second > 60 || day < 1) return null;
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are.
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  // Setting 31 Feb rolls over into March; such a date does not exist.
  if (date.getUTCDate() !== day) return null;
  return date.setUTCHours(hour, minute, Math.min(second, 59), 0);
}

/**
 * Parses an HTTP-date in any of the three forms RFC 9110 §5.6.7 requires recipients to
 * accept: IMF-fixdate, the obsolete RFC 850 form and asctime.
 *
 * @param value The field value, e.g. of If-Modified-Since.
 * @param nowMs The current time, used only to place an RFC 850 two-digit year: one that
 *   would be more than 50 years in the future is taken to be in the past century.
 * @returns Milliseconds since the epoch (a whole second), or `null` if `value` is not a
 *   valid HTTP-date.
 */
export function parseHttpDate(value: string, nowMs?: number): number | null {
  let m = IMF_FIXDATE.exec(value);
  if (m !== null) {
    return toMs(Number(m[3]), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME_DATE.exec(value);
  if (m !== null) {
    const day = Number(m[2]!.trim());
    return toMs(Number(m[6]), m[1]!, day, Number(m[3]), Number(m[4]), Number(m[5]));
  }
  m = RFC850_DATE.exec(value);
  if (m !== null) {
    const thisYear = new Date(nowMs ?? Date.now()).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(m[3]);
    if (year > thisYear + 50) year -= 100;
    return toMs(year, m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  return null;
}
