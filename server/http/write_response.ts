/**
 * Response serialisation: the status line, the handler's fields and the engine's own
 * (`Date`, `Server`, framing, `Connection`, `Keep-Alive`), and the decision of how the body
 * is framed on the wire. Pure: the connection does the writing.
 *
 * @module
 */

import { isFieldValue, isToken } from "./_chars.ts";
import { HttpError } from "./http_error.ts";
import type { HttpVersion } from "./server_request.ts";
import type { ServerResponse } from "./server_response.ts";
import { STATUS_TEXT, statusText } from "./status_text.ts";

/** How the body follows the head. */
export const BODY_FRAMINGS = [
  /** No body bytes at all (HEAD, 204, 304, an empty body). */
  "none",
  /** The `Uint8Array` body, `Content-Length` bytes. */
  "bytes",
  /** A streamed body of the handler's declared `Content-Length`. */
  "length",
  /** A streamed body in chunked coding (HTTP/1.1). */
  "chunked",
  /** A streamed body ended by closing the connection (HTTP/1.0). */
  "close",
] as const;
/** One of {@link BODY_FRAMINGS}. */
export type BodyFraming = typeof BODY_FRAMINGS[number];

/** What the serialiser needs to know besides the response. */
export interface ResponseContext {
  /** The request's method (`HEAD` has no body but keeps the framing fields). */
  readonly method: string;
  /** The request's version (HTTP/1.0 gets no chunked coding). */
  readonly version: HttpVersion;
  /** Whether the engine would keep the connection open after this response. */
  readonly keepAlive: boolean;
  /** `Keep-Alive` value for a kept connection, e.g. `timeout=5, max=99`; `""` for none. */
  readonly keepAliveValue: string;
  /** The `Date` value (IMF-fixdate). */
  readonly date: string;
  /** The `Server` value; `""` to send none. */
  readonly server: string;
}

/** The serialised head and how to send the body after it. */
export interface SerializedHead {
  /** Status line, fields and the empty line, ready to encode. */
  readonly head: string;
  readonly framing: BodyFraming;
  /** Body bytes to send for `bytes` and `length` framing, else 0. */
  readonly contentLength: number;
  /**
   * Final decision: the handler may have asked to close, or the framing may require it; never
   * for a `101`, after which the connection is no longer HTTP's.
   */
  readonly keepAlive: boolean;
}

const STATUS_LINES: ReadonlyMap<number, string> = new Map(
  Object.entries(STATUS_TEXT).map(([code, text]) => [Number(code), `HTTP/1.1 ${code} ${text}\r\n`]),
);

const CONNECTION = 1;
const CONTENT_LENGTH = 2;
const DATE = 3;
const HOP_BY_HOP = 4;
const SERVER = 5;

/** Classifies the field names the engine owns or watches; 0 for every other name. */
function fieldKind(name: string): number {
  switch (name.length) {
    case 4:
      return name.toLowerCase() === "date" ? DATE : 0;
    case 6:
      return name.toLowerCase() === "server" ? SERVER : 0;
    case 10: {
      const lower = name.toLowerCase();
      return lower === "connection" ? CONNECTION : lower === "keep-alive" ? HOP_BY_HOP : 0;
    }
    case 14:
      return name.toLowerCase() === "content-length" ? CONTENT_LENGTH : 0;
    case 17:
      return name.toLowerCase() === "transfer-encoding" ? HOP_BY_HOP : 0;
  }
  return 0;
}

const DIGITS = /^\d{1,15}$/;
const CLOSE_OPTION = /(?:^|,)[ \t]*close[ \t]*(?:,|$)/i;

function handlerBug(reason: string): HttpError {
  return new HttpError(500, `Cannot send response: ${reason}`);
}

/**
 * Serialises a response head and decides its body framing. An upgrade response's head is a
 * `101` with `Connection: Upgrade` and no framing fields.
 *
 * The handler's `Connection`, `Keep-Alive` and `Transfer-Encoding` fields are dropped (the
 * engine frames the message; `Connection: close` is honoured); its `Content-Length` is used
 * for a streamed body and for HEAD; its `Date` and `Server` replace the engine's.
 *
 * @returns The head, or HttpError(500) when the handler's response cannot be sent as is:
 *   a field name that is not a token, a value with CR, LF or another control character
 *   (response splitting), a bad Content-Length, or a status outside 200–599.
 */
export function serializeResponseHead(
  response: ServerResponse,
  context: ResponseContext,
): SerializedHead | HttpError {
  const status = response.status;
  // A 101 switches protocols (RFC 9110 §15.2.2): only an upgrade response may send it, and it
  // has neither a body nor a length, and no keep-alive.
  const upgrade = response.tunnel !== undefined;
  if (upgrade) {
    if (status !== 101) return handlerBug(`status ${status} cannot switch protocols (101)`);
  } else if (!Number.isInteger(status) || status < 200 || status > 599) {
    return handlerBug(`status ${status} is not a final status (200-599)`);
  }
  let statusLine: string | undefined;
  if (response.statusText === undefined) statusLine = STATUS_LINES.get(status);
  if (statusLine === undefined) {
    const reason = response.statusText ?? statusText(status);
    if (!isFieldValue(reason)) return handlerBug("the reason phrase holds a control character");
    statusLine = `HTTP/1.1 ${status} ${reason}\r\n`;
  }

  let keepAlive = context.keepAlive && !upgrade;
  let hasDate = false;
  let hasServer = false;
  let declaredLength = -1;
  let fields = "";
  const headers = response.headers;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    if (!isToken(name)) return handlerBug(`the field name "${name}" is not a token`);
    if (!isFieldValue(value)) {
      return handlerBug(`the value of ${name} holds CR, LF or another control character`);
    }
    switch (fieldKind(name)) {
      case CONNECTION:
        if (CLOSE_OPTION.test(value)) keepAlive = false;
        continue;
      case HOP_BY_HOP:
        continue;
      case CONTENT_LENGTH: {
        if (!DIGITS.test(value)) return handlerBug(`Content-Length "${value}" is not a number`);
        const length = Number(value);
        if (declaredLength >= 0 && declaredLength !== length) {
          return handlerBug("two different Content-Length values");
        }
        declaredLength = length;
        continue;
      }
      case DATE:
        hasDate = true;
        break;
      case SERVER:
        hasServer = true;
        break;
    }
    fields += `${name}: ${value}\r\n`;
  }

  const body = response.body;
  const isHead = context.method === "HEAD";
  let framing: BodyFraming = "none";
  let contentLength = 0;
  // The length field to send, or -1 for none.
  let lengthField = -1;
  let chunked = false;
  if (status === 204 || upgrade) {
    // RFC 9110 §8.6: no Content-Length in a 204 or a 1xx.
  } else if (status === 304) {
    lengthField = declaredLength;
  } else if (body instanceof Uint8Array) {
    lengthField = body.length;
    if (!isHead && body.length > 0) {
      framing = "bytes";
      contentLength = body.length;
    }
  } else if (body === null) {
    lengthField = isHead ? declaredLength : 0;
  } else if (declaredLength >= 0) {
    lengthField = declaredLength;
    if (!isHead && declaredLength > 0) {
      framing = "length";
      contentLength = declaredLength;
    }
  } else if (!isHead) {
    if (context.version === "HTTP/1.1") {
      framing = "chunked";
      chunked = true;
    } else {
      framing = "close";
      keepAlive = false;
    }
  }

  let head = statusLine;
  if (!hasDate) head += `Date: ${context.date}\r\n`;
  if (!hasServer && context.server !== "") head += `Server: ${context.server}\r\n`;
  head += fields;
  if (lengthField >= 0) head += `Content-Length: ${lengthField}\r\n`;
  else if (chunked) head += "Transfer-Encoding: chunked\r\n";
  if (upgrade) head += "Connection: Upgrade\r\n\r\n";
  else if (!keepAlive) head += "Connection: close\r\n\r\n";
  else {
    if (context.keepAliveValue !== "") head += `Keep-Alive: ${context.keepAliveValue}\r\n`;
    head += context.version === "HTTP/1.0" ? "Connection: keep-alive\r\n\r\n" : "\r\n";
  }
  return { head, framing, contentLength, keepAlive };
}
