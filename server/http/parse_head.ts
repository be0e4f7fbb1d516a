/**
 * The request-head parser: bytes of a request line and its header fields in, a
 * {@link RequestHead} or an {@link HttpError} out. Pure and strict, because it is the
 * security boundary: everything that could let two parsers disagree about where a request
 * ends (request smuggling) is refused rather than repaired.
 *
 * Choices where the RFCs leave room:
 * - Lines must end in CRLF; a bare LF is refused with 400 (RFC 9112 §2.2 allows accepting it,
 *   but a front end that does not would frame the stream differently).
 * - Up to LimitRequestFields empty lines before the request line are skipped (RFC 9112 §2.2).
 * - A request line longer than LimitRequestLine answers 414, a field line longer than
 *   LimitRequestFieldSize or more than LimitRequestFields fields answer 400, as httpd does
 *   ("Size of a request header field exceeds server limit"); 431 would also be correct, but
 *   clients and tests written against httpd expect 400.
 * - `HTTP/1.x` with x > 1 is served as HTTP/1.1 (RFC 9110 §2.5); another major version, or
 *   `HTTP/0.x`, answers 505.
 *
 * Error messages go to the error log: the client's bytes in them are escaped (`escapeLogItem`).
 *
 * @module
 */

import type { HttpVersion } from "./server_request.ts";
import { CR, LF, SP, TARGET_CHAR, TCHAR } from "./_chars.ts";
import { type FieldLimits, listElements, parseFieldLines } from "./_field_lines.ts";
import { decodeLatin1 } from "./_latin1.ts";
import { escapeLogItem } from "../log/mod.ts";
import { HttpError } from "./http_error.ts";
import type { ServerConfig } from "../config/mod.ts";

/** The httpd limits (LimitRequestLine, LimitRequestFieldSize, LimitRequestFields) on a head. */
export type HeadLimits = FieldLimits & Pick<ServerConfig, "limitRequestLine">;

/** A parsed request head, with the message framing already decided (RFC 9112 §6.3). */
export interface RequestHead {
  /** The request line as received, without CRLF. */
  readonly requestLine: string;
  readonly method: string;
  /** The request-target exactly as received. */
  readonly target: string;
  /** Path of the target, still percent-encoded; `*` for asterisk-form. */
  readonly path: string;
  /** Query without `?`, or `""`. */
  readonly query: string;
  readonly version: HttpVersion;
  /**
   * Field values by lower-case name; `host` holds the authority of an absolute-form target
   * (RFC 9112 §3.2.2: the received Host is ignored).
   */
  readonly headers: Map<string, string>;
  /** Authority of an absolute-form target, else the Host field, else `""` (HTTP/1.0). */
  readonly host: string;
  /** Declared Content-Length, or `null` when absent. */
  readonly contentLength: number | null;
  /** Whether the body uses chunked transfer coding. */
  readonly chunked: boolean;
  /** `Expect: 100-continue` on an HTTP/1.1 request. */
  readonly expectContinue: boolean;
  /** Whether the client lets the connection persist after this exchange (RFC 9112 §9.3). */
  readonly clientKeepAlive: boolean;
}

// RFC 9110 §7.2 / RFC 3986 §3.2.2: IP-literal or reg-name (no userinfo), optional port.
const HOST =
  /^(?:\[[0-9A-Fa-f:.]+\]|\[v[0-9A-Fa-f]+\.[\w\-.~!$&'()*+,;=:]+\]|[\w\-.~%!$&'()*+,;=]*)(?::\d*)?$/;
const ABSOLUTE_FORM = /^https?:\/\/([^/?]*)([^?]*)(?:\?(.*))?$/i;
const VERSION = /^HTTP\/(\d)\.(\d)$/;
const DIGITS = /^\d{1,15}$/;

function badRequest(reason: string): HttpError {
  return new HttpError(400, `Cannot parse request: ${reason}`);
}

/**
 * Parses a request head: optional empty lines, the request line, header fields and the
 * empty line that ends them.
 *
 * @param head The head's bytes, up to and including the final CRLF CRLF.
 * @param limits httpd's LimitRequestLine, LimitRequestFieldSize and LimitRequestFields.
 * @returns The head, or an HttpError with the status to answer (400, 414, 417, 501, 505).
 */
export function parseRequestHead(head: Uint8Array, limits: HeadLimits): RequestHead | HttpError {
  const text = decodeLatin1(head);
  let p = 0;
  for (let blank = 0; text.charCodeAt(p) === CR && text.charCodeAt(p + 1) === LF; p += 2) {
    if (++blank > limits.limitRequestFields) return badRequest("too many empty lines before it");
  }
  const lineStart = p;
  const lf = text.indexOf("\n", p);
  if (lf < 0) return badRequest("the request line does not end");
  const lineEnd = lf - 1;
  if (text.charCodeAt(lineEnd) !== CR || lineEnd < lineStart) {
    return badRequest("the request line ends in LF without CR");
  }
  if (lineEnd - lineStart > limits.limitRequestLine) {
    return new HttpError(
      414,
      `Cannot parse request: a request line of ${
        lineEnd - lineStart
      } bytes exceeds LimitRequestLine (${limits.limitRequestLine})`,
    );
  }

  while (TCHAR[text.charCodeAt(p)] === 1) p++;
  const methodEnd = p;
  if (methodEnd === lineStart || text.charCodeAt(p) !== SP) {
    return badRequest("the method is not a token followed by one space");
  }
  const targetStart = ++p;
  while (TARGET_CHAR[text.charCodeAt(p)] === 1) p++;
  const targetEnd = p;
  if (targetEnd === targetStart || text.charCodeAt(p) !== SP) {
    return badRequest("the request-target is empty or holds a byte not allowed in a URI");
  }
  const versionText = text.slice(p + 1, lineEnd);
  let version: HttpVersion;
  if (versionText === "HTTP/1.1") version = "HTTP/1.1";
  else if (versionText === "HTTP/1.0") version = "HTTP/1.0";
  else {
    const m = VERSION.exec(versionText);
    if (m === null) return badRequest(`"${escapeLogItem(versionText)}" is not an HTTP version`);
    if (m[1] !== "1") {
      return new HttpError(505, `Cannot serve request: ${versionText} is not supported`);
    }
    version = "HTTP/1.1";
  }

  const headers = parseFieldLines(text, lf + 1, limits);
  if (headers instanceof HttpError) return headers;

  const method = text.slice(lineStart, methodEnd);
  if (method === "CONNECT") {
    return new HttpError(501, "Cannot serve CONNECT: mpmd is not a proxy");
  }
  const target = text.slice(targetStart, targetEnd);
  let path: string;
  let query = "";
  let authority: string | null = null;
  const first = target.charCodeAt(0);
  if (first === 0x2f) {
    const q = target.indexOf("?");
    path = q < 0 ? target : target.slice(0, q);
    if (q >= 0) query = target.slice(q + 1);
  } else if (target === "*") {
    if (method !== "OPTIONS") return badRequest("the asterisk-form target is for OPTIONS only");
    path = "*";
  } else {
    const m = ABSOLUTE_FORM.exec(target);
    if (m === null) {
      return badRequest(`"${escapeLogItem(target)}" is neither origin-form nor absolute-form`);
    }
    authority = m[1]!;
    if (authority === "" || !HOST.test(authority)) {
      return badRequest("the authority of the absolute-form target is invalid");
    }
    path = m[2] === "" ? "/" : m[2]!;
    query = m[3] ?? "";
  }

  // RFC 9112 §3.2: an HTTP/1.1 request without Host, or with an invalid one, gets 400 even
  // when the absolute-form target names the host.
  const hostField = headers.get("host");
  if (hostField === undefined) {
    if (version === "HTTP/1.1") return badRequest("HTTP/1.1 request without Host");
  } else if (!HOST.test(hostField)) {
    return badRequest("the Host field is not a valid host[:port]");
  }
  if (authority !== null) headers.set("host", authority);

  const framing = parseFraming(headers, version);
  if (framing instanceof HttpError) return framing;

  let clientKeepAlive = version === "HTTP/1.1";
  const connection = headers.get("connection");
  if (connection !== undefined) {
    for (const token of listElements(connection.toLowerCase())) {
      if (token === "close") {
        clientKeepAlive = false;
        break;
      }
      if (token === "keep-alive") clientKeepAlive = true;
    }
  }

  let expectContinue = false;
  const expect = headers.get("expect");
  // RFC 9110 §10.1.1: an HTTP/1.0 server ignores Expect, so it is only read on HTTP/1.1.
  if (expect !== undefined && version === "HTTP/1.1") {
    if (expect.toLowerCase() !== "100-continue") {
      return new HttpError(
        417,
        `Cannot meet expectation "${escapeLogItem(expect)}": only 100-continue is known`,
      );
    }
    expectContinue = true;
  }

  return {
    requestLine: text.slice(lineStart, lineEnd),
    method,
    target,
    path,
    query,
    version,
    headers,
    host: authority ?? hostField ?? "",
    contentLength: framing.contentLength,
    chunked: framing.chunked,
    expectContinue,
    clientKeepAlive,
  };
}

interface Framing {
  readonly contentLength: number | null;
  readonly chunked: boolean;
}

const NO_BODY: Framing = { contentLength: null, chunked: false };
const CHUNKED: Framing = { contentLength: null, chunked: true };

/** Decides the body's framing from Content-Length and Transfer-Encoding (RFC 9112 §6). */
function parseFraming(headers: Map<string, string>, version: HttpVersion): Framing | HttpError {
  const te = headers.get("transfer-encoding");
  const cl = headers.get("content-length");
  if (te !== undefined) {
    if (cl !== undefined) {
      return badRequest("both Content-Length and Transfer-Encoding (RFC 9112 §6.1)");
    }
    if (version === "HTTP/1.0") {
      return badRequest("Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1)");
    }
    const codings = listElements(te.toLowerCase()).filter((c) => c !== "");
    const last = codings.length - 1;
    if (last < 0 || codings[last] !== "chunked") {
      return badRequest(
        `the final transfer coding of "${escapeLogItem(te)}" is not chunked (RFC 9112 §6.3)`,
      );
    }
    const others = codings.slice(0, last);
    if (others.includes("chunked")) {
      return badRequest("chunked applied more than once (RFC 9112 §7)");
    }
    if (others.length > 0) {
      return new HttpError(
        501,
        `Cannot decode transfer coding "${escapeLogItem(others[0]!)}": only chunked is implemented`,
      );
    }
    return CHUNKED;
  }
  if (cl === undefined) return NO_BODY;
  let length: number;
  if (DIGITS.test(cl)) length = Number(cl);
  else {
    // Repeated fields arrive combined ("5, 5"); identical values may be accepted
    // (RFC 9110 §8.6), anything else could frame the body two ways.
    const values = listElements(cl);
    const firstValue = values[0]!;
    if (!DIGITS.test(firstValue) || values.some((v) => v !== firstValue)) {
      return badRequest(`Content-Length "${escapeLogItem(cl)}" is not one decimal number`);
    }
    length = Number(firstValue);
  }
  return { contentLength: length, chunked: false };
}

/**
 * The request line at the start of `head` (after any empty lines), for the access log of a
 * request that failed to parse; `""` when no complete line within `maxLength` is there.
 */
export function requestLineOf(head: Uint8Array, maxLength: number): string {
  let start = 0;
  while (head[start] === CR && head[start + 1] === LF) start += 2;
  const lf = head.indexOf(LF, start);
  if (lf < 1 || head[lf - 1] !== CR || lf - 1 - start > maxLength) return "";
  return decodeLatin1(head.subarray(start, lf - 1));
}
