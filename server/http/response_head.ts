/**
 * The response-head parser of mpmd's client side (the reverse proxy's backends): bytes of a
 * status line and its header fields in, a {@link ResponseHead} or an {@link HttpError} out.
 * Field lines follow the same strict rules as a request's; repeated fields are kept apart
 * (`Set-Cookie` cannot be combined), and the body's framing is decided as RFC 9112 §6.3 says.
 *
 * @module
 */

import { listElements, scanFieldLines } from "./_field_lines.ts";
import { decodeLatin1 } from "./_latin1.ts";
import { escapeLogItem } from "../log/mod.ts";
import { HttpError } from "./http_error.ts";
import type { HeadLimits } from "./parse_head.ts";
import type { ResponseHeaders } from "./server_response.ts";

/** How a response's body is delimited (RFC 9112 §6.3). */
export type ResponseFraming =
  /** No body: a response to HEAD, a 1xx, 204 or 304. */
  | { readonly kind: "none" }
  /** Content-Length bytes. */
  | { readonly kind: "length"; readonly length: number }
  /** Chunked transfer coding. */
  | { readonly kind: "chunked" }
  /** Everything until the server closes the connection. */
  | { readonly kind: "close" };

/** A parsed response head. */
export interface ResponseHead {
  /** Status code, 100–599. */
  readonly status: number;
  /** The reason phrase as sent (possibly empty). */
  readonly reason: string;
  /** `HTTP/1.0` or `HTTP/1.1` (a later 1.x reads as 1.1). */
  readonly version: "HTTP/1.0" | "HTTP/1.1";
  /** Every field in order, names as sent. */
  readonly fields: ResponseHeaders;
  /** Whether the server lets the connection carry another request (RFC 9112 §9.3). */
  readonly keepAlive: boolean;
  /** How the body is delimited. */
  readonly framing: ResponseFraming;
}

const STATUS_LINE = /^HTTP\/1\.(\d) ([1-5]\d\d)(?: ([^\r\n]*))?$/;
const DIGITS = /^\d{1,15}$/;
const NONE: ResponseFraming = { kind: "none" };
const CHUNKED: ResponseFraming = { kind: "chunked" };
const CLOSE: ResponseFraming = { kind: "close" };

function invalid(reason: string): HttpError {
  return new HttpError(502, `Cannot parse response: ${reason}`);
}

/**
 * Parses a response head.
 *
 * @param head The head's bytes, up to and including the final CRLF CRLF.
 * @param options The limits on field lines, and the method of the request it answers (a
 *   response to HEAD has no body whatever its fields say).
 * @returns The head, or an HttpError(502) saying what is wrong with it.
 */
export function parseResponseHead(
  head: Uint8Array,
  options: { readonly limits: HeadLimits; readonly method: string },
): ResponseHead | HttpError {
  const text = decodeLatin1(head);
  const lf = text.indexOf("\n");
  if (lf < 1 || text.charCodeAt(lf - 1) !== 0x0d) return invalid("the status line does not end");
  const line = text.slice(0, lf - 1);
  if (line.length > options.limits.limitRequestLine) {
    return invalid(`a status line of ${line.length} bytes is too long`);
  }
  const m = STATUS_LINE.exec(line);
  if (m === null) return invalid(`"${escapeLogItem(line)}" is not an HTTP/1.x status line`);
  const version = m[1] === "0" ? "HTTP/1.0" : "HTTP/1.1";
  const status = Number(m[2]);
  const fields: ResponseHeaders = [];
  let connection = "";
  let transferEncoding: string | null = null;
  let contentLength: string | null = null;
  const error = scanFieldLines(text, lf + 1, options.limits, (name, lower, value) => {
    fields.push([name, value]);
    if (lower === "connection") connection += `${value},`;
    else if (lower === "transfer-encoding") {
      transferEncoding = transferEncoding === null ? value : `${transferEncoding}, ${value}`;
    } else if (lower === "content-length") {
      if (contentLength !== null && contentLength !== value) {
        return "two different Content-Length values";
      }
      contentLength = value;
    }
    return null;
  });
  if (error !== null) return invalid(error.message.replace(/^Cannot parse header field: /, ""));
  const tokens = connection === "" ? [] : listElements(connection.toLowerCase());
  let keepAlive = version === "HTTP/1.1"
    ? !tokens.includes("close")
    : tokens.includes("keep-alive");
  let framing: ResponseFraming;
  if (options.method === "HEAD" || status < 200 || status === 204 || status === 304) {
    framing = NONE;
  } else if (transferEncoding !== null) {
    if (contentLength !== null) {
      return invalid("both Content-Length and Transfer-Encoding (RFC 9112 §6.1)");
    }
    const codings = listElements((transferEncoding as string).toLowerCase());
    // A final coding other than chunked is delimited by the close (RFC 9112 §6.3 item 4).
    framing = codings.at(-1) === "chunked" ? CHUNKED : CLOSE;
  } else if (contentLength !== null) {
    if (!DIGITS.test(contentLength)) {
      return invalid(`Content-Length "${escapeLogItem(contentLength)}" is not a decimal number`);
    }
    framing = { kind: "length", length: Number(contentLength) };
  } else framing = CLOSE;
  if (framing.kind === "close") keepAlive = false;
  return { status, reason: m[3] ?? "", version, fields, keepAlive, framing };
}
