/**
 * Bytes → string, one character per byte (ISO-8859-1), which is how HTTP/1.1 field values
 * are read (RFC 9110 §5.5: obs-text is opaque). Request heads are nearly always ASCII, so
 * the fast native UTF-8 decoder is tried first: it agrees with Latin-1 exactly when no byte
 * is above 0x7f.
 *
 * @module
 */

const utf8 = new TextDecoder();
const SLICE = 8192;

/** Decodes `bytes` as Latin-1: the result's `charCodeAt(i)` is `bytes[i]`. */
export function decodeLatin1(bytes: Uint8Array): string {
  const text = utf8.decode(bytes);
  // Any byte above 0x7f either merges into a shorter multi-byte character or becomes
  // U+FFFD, so equal lengths without U+FFFD prove the input was ASCII.
  if (text.length === bytes.length && !text.includes("\uFFFD")) return text;
  let out = "";
  for (let i = 0; i < bytes.length; i += SLICE) {
    out += String.fromCharCode(...bytes.subarray(i, i + SLICE));
  }
  return out;
}

const utf8Encoder = new TextEncoder();
// deno-lint-ignore no-control-regex -- ASCII is what it recognises
const ASCII = /^[\x00-\x7f]*$/;

/** Encodes `text` as Latin-1, one byte per character (each below U+0100), as read above. */
export function encodeLatin1(text: string): Uint8Array {
  if (ASCII.test(text)) return utf8Encoder.encode(text);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
