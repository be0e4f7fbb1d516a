/**
 * mod_log_config's LogFormat language, compiled once into literals and field functions.
 *
 * Supported directives: `%a %A %b %B %C %D %h %H %I %k %l %m %O %p %P %q %r %s %S %t %T %u %U
 * %v %V %X`, `%{Name}i`, `%{Name}o`, `%{name}C`, `%{c}a`, `%{pid|tid|hextid}P`,
 * `%{canonical|local|remote}p`, `%{s|ms|us}T`, and `%{…}t` with `sec`, `msec`, `usec`,
 * `msec_frac`, `usec_frac` or a strftime pattern, optionally prefixed by `begin:` or `end:`.
 * The strftime conversions are `%a %A %b %B %d %D %e %F %h %H %I %j %m %M %n %p %R %s %S %t
 * %T %u %w %y %Y %z %%` (C locale); others, such as `%Z` or `%c`, are rejected.
 *
 * `%%` is a literal `%`; in literal text `\n`, `\r`, `\t` and `\\` are unescaped as httpd does.
 *
 * Modifiers: status conditions (`%400,501{User-Agent}i` logs the field only for those
 * statuses, `%!200,304{Referer}i` only for others; `-` otherwise) are honoured; `<` and `>`
 * are accepted and change nothing, since mpmd has no internal redirects.
 *
 * `%I`, `%O` and `%S` are mod_logio's byte counts as on the wire: received (head and body,
 * chunked framing included), sent (interim responses, head, body with its framing), and their
 * sum; never `-`.
 *
 * Not supported, rejected at compile time with the reason: `%e`, `%n`, `%f`, `%R`, `%L`, `%x`,
 * `%^ti`, `%^to`.
 *
 * @module
 */

import {
  type DirectiveContext,
  LOG_DIRECTIVES,
  type LogField,
  UNSUPPORTED_DIRECTIVES,
} from "./_log_directives.ts";
import { localOffsetMinutes } from "./_time_format.ts";
import type { AccessRecord } from "./access_record.ts";

/** httpd's `common` format (the Common Log Format). */
export const COMMON_LOG_FORMAT = '%h %l %u %t "%r" %>s %b';

/** httpd's `combined` format: common plus Referer and User-Agent. */
export const COMBINED_LOG_FORMAT = `${COMMON_LOG_FORMAT} "%{Referer}i" "%{User-Agent}i"`;

/** The LogFormat nicknames every configuration starts with. */
export const LOG_FORMAT_NICKNAMES: Readonly<Record<"common" | "combined", string>> = {
  common: COMMON_LOG_FORMAT,
  combined: COMBINED_LOG_FORMAT,
};

/** A LogFormat string that cannot be compiled; `column` (1-based) points at the `%`. */
export class LogFormatError extends SyntaxError {
  /** The whole format string. */
  readonly format: string;
  /** 1-based column of the `%` that starts the offending directive. */
  readonly column: number;

  /** Builds `Cannot compile LogFormat "<format>": <reason> at column <column>`. */
  constructor(format: string, reason: string, column: number) {
    super(`Cannot compile LogFormat "${format}": ${reason} at column ${column}`);
    this.name = "LogFormatError";
    this.format = format;
    this.column = column;
  }
}

/** Process facts and the time zone a compiled format writes. */
export interface LogFormatOptions {
  /**
   * Written by `%P`.
   * @default Deno.pid
   */
  pid?: number;
  /**
   * Written by `%{tid}P`: 0 for a process's main thread, the Worker's id in a Worker.
   * @default 0
   */
  tid?: number;
  /**
   * Fixed UTC offset (minutes east of UTC) for `%t` and `%{…}t`.
   * @default the host's local offset at each logged time
   */
  utcOffsetMinutes?: number;
}

/** A compiled LogFormat: turns one exchange into one log line (without the newline). */
export type LogFormatter = (record: AccessRecord) => string;

const LITERAL_ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  r: "\r",
  t: "\t",
  "\\": "\\",
};

/**
 * Compiles a LogFormat string. Call it once per CustomLog (the config loader also calls it
 * to validate formats); the returned function only concatenates.
 *
 * @throws {LogFormatError} on an unknown or unsupported directive, an unclosed `{`, a bad
 * directive argument, or a `%` at the end.
 */
export function compileLogFormat(format: string, options: LogFormatOptions = {}): LogFormatter {
  const pid = options.pid ?? Deno.pid;
  const tid = options.tid ?? 0;
  const fixedOffset = options.utcOffsetMinutes;
  const offsetAt = fixedOffset === undefined ? localOffsetMinutes : () => fixedOffset;

  const pieces: Array<string | LogField> = [];
  let literal = "";
  let i = 0;
  while (i < format.length) {
    const char = format[i] ?? "";
    if (char === "\\") {
      const escaped = LITERAL_ESCAPES[format[i + 1] ?? ""];
      literal += escaped ?? "\\";
      i += escaped === undefined ? 1 : 2;
      continue;
    }
    if (char !== "%") {
      literal += char;
      i++;
      continue;
    }
    if (format[i + 1] === "%") {
      literal += "%";
      i += 2;
      continue;
    }
    const parsed = parseDirective(format, i);
    const column = i + 1;
    const fail: (reason: string) => never = (reason) => {
      throw new LogFormatError(format, reason, column);
    };
    const unsupported = UNSUPPORTED_DIRECTIVES[parsed.directive];
    if (unsupported !== undefined) {
      fail(`unsupported directive %${parsed.directive} (${unsupported})`);
    }
    const factory = LOG_DIRECTIVES[parsed.directive];
    if (factory === undefined) fail(`unknown directive %${parsed.directive}`);
    const ctx: DirectiveContext = { arg: parsed.arg, pid, tid, offsetAt, fail };
    if (literal !== "") pieces.push(literal);
    literal = "";
    pieces.push(withCondition(factory(ctx), parsed.statuses, parsed.negate));
    i = parsed.end;
  }
  if (literal !== "") pieces.push(literal);

  return (record) => {
    let line = "";
    for (const piece of pieces) line += typeof piece === "string" ? piece : piece(record) ?? "-";
    return line;
  };
}

interface ParsedDirective {
  readonly directive: string;
  readonly arg: string | null;
  readonly statuses: readonly number[];
  readonly negate: boolean;
  /** Index just past the directive. */
  readonly end: number;
}

/** Reads one `%[!][<>][statuses][{arg}]X` starting at the `%` at `start` (httpd's grammar). */
function parseDirective(format: string, start: number): ParsedDirective {
  const column = start + 1;
  let i = start + 1;
  let arg: string | null = null;
  let negate = false;
  const statuses: number[] = [];
  for (;;) {
    const char = format[i];
    if (char === undefined) {
      throw new LogFormatError(format, `incomplete directive "${format.slice(start)}"`, column);
    }
    if (char === "!") {
      negate = true;
      i++;
    } else if (char === "<" || char === ">" || char === ",") {
      i++;
    } else if (char >= "0" && char <= "9") {
      const digits = /^[0-9]+/.exec(format.slice(i))?.[0] ?? char;
      statuses.push(Number(digits));
      i += digits.length;
    } else if (char === "{") {
      const close = format.indexOf("}", i + 1);
      if (close === -1) throw new LogFormatError(format, 'unclosed "{"', column);
      arg = format.slice(i + 1, close);
      i = close + 1;
    } else {
      const length = char === "^" ? 3 : 1;
      const directive = format.slice(i, i + length);
      if (directive.length < length) {
        throw new LogFormatError(format, `incomplete directive "${format.slice(start)}"`, column);
      }
      return { directive, arg, statuses, negate, end: i + length };
    }
  }
}

/** Applies httpd's status condition: the field is `-` unless the status matches (or, with `!`, does not). */
function withCondition(field: LogField, statuses: readonly number[], negate: boolean): LogField {
  if (statuses.length === 0) return field;
  return (record) => statuses.includes(record.status) !== negate ? field(record) : null;
}
