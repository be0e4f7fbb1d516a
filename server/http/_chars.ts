/**
 * Byte classes of the HTTP grammar (RFC 9110 §5.6.2, §5.5; RFC 3986 §3.3) as 256-entry
 * lookup tables, shared by the request parser, the chunked decoder and the response writer.
 *
 * @module
 */

/** `\t` */
export const HTAB = 0x09;
/** `\n` */
export const LF = 0x0a;
/** `\r` */
export const CR = 0x0d;
/** ` ` */
export const SP = 0x20;
/** `:` */
export const COLON = 0x3a;
/** `;` */
export const SEMICOLON = 0x3b;

function table(accepts: (byte: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = accepts(b) ? 1 : 0;
  return t;
}

const TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

/** 1 for tchar: the bytes of a token (method, field name, transfer coding). */
export const TCHAR: Uint8Array = table((b) =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) ||
  TOKEN_SYMBOLS.includes(String.fromCharCode(b))
);

/** 1 for the bytes allowed inside a field value: HTAB, SP, VCHAR and obs-text. */
export const FIELD_VALUE_CHAR: Uint8Array = table((b) => b === HTAB || (b >= 0x20 && b !== 0x7f));

/**
 * 1 for the bytes allowed in a request-target: visible ASCII except `#` (a fragment is never
 * sent, RFC 9112 §3.2). Bytes above 0x7f are refused: a URI is ASCII, non-ASCII must be
 * percent-encoded.
 */
export const TARGET_CHAR: Uint8Array = table((b) => b > 0x20 && b < 0x7f && b !== 0x23);

/** Whether `s` is a non-empty token (RFC 9110 §5.6.2). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || TCHAR[c] === 0) return false;
  }
  return true;
}

/** Whether `s` may be sent as a field value: no CR, LF, NUL or other control character. */
export function isFieldValue(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x100 && FIELD_VALUE_CHAR[c] === 0) return false;
  }
  return true;
}

/** Whether `b` is SP or HTAB (OWS, RFC 9110 §5.6.3). */
export function isWhitespace(b: number): boolean {
  return b === SP || b === HTAB;
}
