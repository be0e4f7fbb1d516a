/**
 * Field lines (RFC 9112 §5) of a request head or of a chunked body's trailer section, parsed
 * strictly: no obs-fold, no whitespace before the colon, token names, values without
 * control characters, CRLF line ends, and httpd's LimitRequestFieldSize/LimitRequestFields.
 *
 * @module
 */

import { COLON, CR, FIELD_VALUE_CHAR, HTAB, isWhitespace, LF, SP, TCHAR } from "./_chars.ts";
import { HttpError } from "./http_error.ts";
import type { ServerConfig } from "../config/mod.ts";

/** The limits that apply to each field line. */
export type FieldLimits = Pick<ServerConfig, "limitRequestFieldSize" | "limitRequestFields">;

function reject(reason: string): HttpError {
  return new HttpError(400, `Cannot parse header field: ${reason}`);
}

/**
 * Receives one field line's name (as written, and lower-cased) and value (without the optional
 * whitespace around it); returns why the field is refused, or `null` to go on.
 */
export type FieldSink = (name: string, lowerName: string, value: string) => string | null;

/**
 * Parses the field lines of `text` from `start` up to the empty line that ends them, handing
 * each field to `sink` in order.
 *
 * @param text Latin-1 text holding field lines each ending in CRLF, then an empty line.
 * @param start Offset of the first field line.
 * @param limits Maximum line length (without CRLF) and number of lines.
 * @param sink Takes each field; the reason it returns refuses the whole section.
 * @returns `null`, or an HttpError(400) naming what is wrong.
 */
export function scanFieldLines(
  text: string,
  start: number,
  limits: FieldLimits,
  sink: FieldSink,
): HttpError | null {
  const len = text.length;
  let count = 0;
  let p = start;
  for (;;) {
    if (p >= len) return reject("the head does not end with an empty line");
    const lineStart = p;
    let c = text.charCodeAt(p);
    if (c === CR) {
      if (text.charCodeAt(p + 1) === LF) return null;
      return reject("CR without LF");
    }
    if (c === SP || c === HTAB) {
      return reject("line folding (obs-fold) is not allowed (RFC 9112 §5.2)");
    }
    let upper = false;
    while (TCHAR[c] === 1) {
      if (c >= 0x41 && c <= 0x5a) upper = true;
      c = text.charCodeAt(++p);
    }
    const nameEnd = p;
    if (c !== COLON) {
      if (c === SP || c === HTAB) return reject("whitespace between the name and the colon");
      return reject(p === lineStart ? "empty or invalid name" : "invalid byte in the name");
    }
    if (nameEnd === lineStart) return reject("empty name");
    p++;
    while (p < len && ((c = text.charCodeAt(p)) === SP || c === HTAB)) p++;
    const valueStart = p;
    let valueEnd = p;
    for (; p < len; p++) {
      c = text.charCodeAt(p);
      if (FIELD_VALUE_CHAR[c] !== 1) break;
      if (c !== SP && c !== HTAB) valueEnd = p + 1;
    }
    if (p >= len || c !== CR || text.charCodeAt(p + 1) !== LF) {
      if (c === LF) return reject("line ends in LF without CR");
      return reject("control character in the value");
    }
    if (p - lineStart > limits.limitRequestFieldSize) {
      return reject(
        `a field line of ${
          p - lineStart
        } bytes exceeds LimitRequestFieldSize (${limits.limitRequestFieldSize})`,
      );
    }
    if (++count > limits.limitRequestFields) {
      return reject(`more than LimitRequestFields (${limits.limitRequestFields}) fields`);
    }
    const raw = text.slice(lineStart, nameEnd);
    const refused = sink(raw, upper ? raw.toLowerCase() : raw, text.slice(valueStart, valueEnd));
    if (refused !== null) return reject(refused);
    p += 2;
  }
}

/**
 * Parses the field lines of `text` from `start` up to the empty line that ends them.
 * Repeated names are combined with `, ` (RFC 9110 §5.3), `cookie` with `; ` (RFC 6265
 * §5.4); a repeated `host` is refused (RFC 9112 §3.2).
 *
 * @param text Latin-1 text holding field lines each ending in CRLF, then an empty line.
 * @param start Offset of the first field line.
 * @param limits Maximum line length (without CRLF) and number of lines.
 * @returns Values by lower-case name, or an HttpError(400).
 */
export function parseFieldLines(
  text: string,
  start: number,
  limits: FieldLimits,
): Map<string, string> | HttpError {
  const fields = new Map<string, string>();
  const error = scanFieldLines(text, start, limits, (_, name, value) => {
    const previous = fields.get(name);
    if (previous === undefined) fields.set(name, value);
    else if (name === "host") return "more than one Host field (RFC 9112 §3.2)";
    else fields.set(name, previous + (name === "cookie" ? "; " : ", ") + value);
    return null;
  });
  return error ?? fields;
}

/**
 * The elements of a comma-separated field value (RFC 9110 §5.6.1) with the optional whitespace
 * around each removed; empty elements are kept, for the caller to judge.
 *
 * Only SP and HTAB are removed: `String.prototype.trim()` would also strip U+00A0, which is
 * how byte 0xA0 (obs-text) reads, and so accept `chunked<0xA0>` as `chunked`.
 */
export function listElements(value: string): string[] {
  const elements = value.split(",");
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    let start = 0;
    let end = element.length;
    while (start < end && isWhitespace(element.charCodeAt(start))) start++;
    while (end > start && isWhitespace(element.charCodeAt(end - 1))) end--;
    elements[i] = element.slice(start, end);
  }
  return elements;
}
