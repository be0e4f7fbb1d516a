/**
 * The strftime subset accepted inside `%{…}t`, compiled once into pieces like the LogFormat
 * itself. Locale-dependent (`%c`, `%x`, `%X`), time-zone-name (`%Z`) and week-number
 * conversions are not supported and are rejected at compile time rather than logged wrong.
 *
 * @module
 */

import { DAY_NAMES, formatOffset, MONTH_NAMES, pad, type TimeParts } from "./_time_format.ts";

type Conversion = (t: TimeParts) => string;

const hour12 = (t: TimeParts): number => (t.hour % 12 === 0 ? 12 : t.hour % 12);

/** The supported conversions: POSIX strftime plus GNU's `%s` and `%e`. */
const CONVERSIONS: Readonly<Record<string, Conversion>> = {
  a: (t) => DAY_NAMES[t.weekday]?.slice(0, 3) ?? "",
  A: (t) => DAY_NAMES[t.weekday] ?? "",
  b: (t) => MONTH_NAMES[t.month]?.slice(0, 3) ?? "",
  h: (t) => MONTH_NAMES[t.month]?.slice(0, 3) ?? "",
  B: (t) => MONTH_NAMES[t.month] ?? "",
  d: (t) => pad(t.day, 2),
  e: (t) => String(t.day).padStart(2, " "),
  H: (t) => pad(t.hour, 2),
  I: (t) => pad(hour12(t), 2),
  j: (t) => pad(t.yearDay + 1, 3),
  m: (t) => pad(t.month + 1, 2),
  M: (t) => pad(t.minute, 2),
  p: (t) => (t.hour < 12 ? "AM" : "PM"),
  S: (t) => pad(t.second, 2),
  s: (t) => String(t.epochSeconds),
  u: (t) => String(t.weekday === 0 ? 7 : t.weekday),
  w: (t) => String(t.weekday),
  y: (t) => pad(t.year % 100, 2),
  Y: (t) => String(t.year),
  z: (t) => formatOffset(t.offsetMinutes),
  D: (t) => `${pad(t.month + 1, 2)}/${pad(t.day, 2)}/${pad(t.year % 100, 2)}`,
  F: (t) => `${t.year}-${pad(t.month + 1, 2)}-${pad(t.day, 2)}`,
  R: (t) => `${pad(t.hour, 2)}:${pad(t.minute, 2)}`,
  T: (t) => `${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}`,
  n: () => "\n",
  t: () => "\t",
  "%": () => "%",
};

/** A compiled pattern, or the offending conversion (e.g. `%Z`) when one is not supported. */
export type StrftimeResult =
  | { readonly format: (t: TimeParts) => string }
  | { readonly unsupported: string };

/** Compiles a strftime pattern such as `%d/%b/%Y %T` into a formatter over {@link TimeParts}. */
export function compileStrftime(pattern: string): StrftimeResult {
  const pieces: Array<string | Conversion> = [];
  let literal = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char !== "%") {
      literal += char;
      continue;
    }
    const letter = pattern[i + 1] ?? "";
    const conversion = CONVERSIONS[letter];
    if (conversion === undefined) return { unsupported: `%${letter}` };
    if (literal !== "") pieces.push(literal);
    literal = "";
    pieces.push(conversion);
    i++;
  }
  if (literal !== "") pieces.push(literal);
  return {
    format: (t) => {
      let out = "";
      for (const piece of pieces) out += typeof piece === "string" ? piece : piece(t);
      return out;
    },
  };
}
