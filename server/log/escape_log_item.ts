/**
 * Escaping of client-supplied text before it enters a log, as httpd's `ap_escape_logitem()`.
 *
 * @module
 */

/** Anything that is not printable ASCII, plus `"` and `\`, which delimit quoted log fields. */
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

/** The short C escapes httpd uses instead of `\xhh` for these control characters. */
const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x08: "\\b",
  0x09: "\\t",
  0x0a: "\\n",
  0x0b: "\\v",
  0x0d: "\\r",
  0x22: '\\"',
  0x5c: "\\\\",
};

const encoder = new TextEncoder();

/**
 * Escapes `text` so that a client cannot forge log lines or fields: control characters,
 * bytes above 0x7e, `"` and `\` become `\xhh`, `\n`, `\"`, `\\` and so on (httpd's
 * T_ESCAPE_LOGITEM class). A character above U+00FF is escaped as its UTF-8 bytes; one at or
 * below U+00FF is taken to be a raw byte, as the engine decodes the request head byte for byte.
 *
 * @param text Text taken from the request or response.
 * @returns `text` itself when nothing needs escaping (the common case, no allocation).
 */
export function escapeLogItem(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x20 && code <= 0x7e && code !== 0x22 && code !== 0x5c) {
      out += char;
    } else if (code <= 0xff) {
      out += SHORT_ESCAPES[code] ?? hexEscape(code);
    } else {
      for (const byte of encoder.encode(char)) out += hexEscape(byte);
    }
  }
  return out;
}

// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\x00-\x1f\x7f]/g;

/**
 * Escapes only the control characters of `text` (C0 and DEL) as {@link escapeLogItem} would,
 * leaving `"`, `\` and non-ASCII text alone: what the error log applies to whole messages, so
 * that no entry can span two lines and text already escaped by `escapeLogItem()` stays as is.
 *
 * @returns `text` itself when it holds no control character.
 */
export function escapeControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, (char) => {
    const code = char.charCodeAt(0);
    return SHORT_ESCAPES[code] ?? hexEscape(code);
  });
}

// deno-lint-ignore no-control-regex -- ESC starts the sequences to remove
const ANSI_SEQUENCES = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * `text` without ANSI terminal sequences (colours, bold: ESC `[` … a final letter): Deno's own
 * error messages carry them when its stderr is a terminal, and a log would show them escaped
 * as `\x1b[31m` noise. An ESC that starts no such sequence is left for
 * {@link escapeControlChars}.
 */
export function stripAnsiSequences(text: string): string {
  return text.includes("\x1b") ? text.replace(ANSI_SEQUENCES, "") : text;
}

function hexEscape(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, "0")}`;
}
