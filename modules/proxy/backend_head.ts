/**
 * A backend's response head, parsed: the status line and the fields, with what the proxy
 * needs to know of the body's framing. Pure: bytes in, a head or a reason it is not one out.
 *
 * @module
 */

import type { ResponseHeaders } from "../../server/http/mod.ts";

/** A parsed backend response head. */
export interface BackendHead {
  /** The status code. */
  readonly status: number;
  /** The reason phrase, `""` when the backend sent none. */
  readonly statusText: string;
  /** Fields as received, minus the hop-by-hop ones (RFC 9110 §7.6.1) and the framing ones. */
  readonly headers: ResponseHeaders;
  /** The `Upgrade` value of a `101`, `""` otherwise. */
  readonly upgrade: string;
  /** How the body is framed: its length, `"chunked"`, or `"close"` (read to the end). */
  readonly framing: number | "chunked" | "close";
}

/** The end of a head: CRLF CRLF. */
const HEAD_END = [0x0d, 0x0a, 0x0d, 0x0a];
const STATUS_LINE = /^HTTP\/1\.[01] ([1-5]\d\d)(?: ([^\r\n]*))?$/;
const FIELD_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;
const LENGTH = /^\d{1,15}$/;
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-length",
]);
const latin1 = new TextDecoder("latin1");

/** The index just past the empty line that ends a head in `bytes`, or -1 if none yet. */
export function headEndOf(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (
      bytes[i] === HEAD_END[0] && bytes[i + 1] === HEAD_END[1] && bytes[i + 2] === HEAD_END[2] &&
      bytes[i + 3] === HEAD_END[3]
    ) return i + 4;
  }
  return -1;
}

/**
 * Parses a response head (ending with its empty line) for a request of `method`.
 *
 * @returns The head, or a sentence saying why the bytes are not one.
 */
export function parseBackendHead(bytes: Uint8Array, method: string): BackendHead | string {
  const lines = latin1.decode(bytes).split("\r\n");
  const status = STATUS_LINE.exec(lines[0]!);
  if (status === null) return "the status line is not HTTP/1.x";
  const code = Number(status[1]);
  const headers: Array<[string, string]> = [];
  const dropped = new Set(HOP_BY_HOP);
  let upgrade = "";
  let chunked = false;
  let length = -1;
  for (const line of lines.slice(1, -2)) {
    const field = FIELD_LINE.exec(line);
    if (field === null) return `the field line "${line.slice(0, 64)}" is malformed`;
    const [, name, value] = field as unknown as [string, string, string];
    const lower = name.toLowerCase();
    if (lower === "connection") {
      for (const option of value.toLowerCase().split(",")) dropped.add(option.trim());
    } else if (lower === "upgrade") {
      upgrade = value;
    } else if (lower === "transfer-encoding") {
      if (!/(?:^|,)\s*chunked\s*$/i.test(value)) {
        return `Transfer-Encoding "${value}" is not chunked`;
      }
      chunked = true;
    } else if (lower === "content-length") {
      if (!LENGTH.test(value) || (length >= 0 && Number(value) !== length)) {
        return `Content-Length "${value}" is not one number`;
      }
      length = Number(value);
    }
    headers.push([name, value]);
  }
  const kept = headers.filter(([name]) => !dropped.has(name.toLowerCase()));
  // RFC 9112 §6.3: no body for HEAD, 1xx, 204 and 304; chunked wins over a length.
  const bodiless = method === "HEAD" || code < 200 || code === 204 || code === 304;
  const framing = bodiless ? 0 : chunked ? "chunked" : length >= 0 ? length : "close";
  if (code !== 101) upgrade = "";
  return { status: code, statusText: status[2] ?? "", headers: kept, upgrade, framing };
}
