/**
 * The `Response` Deno's server sends for an engine response, and the body bytes it carries
 * (for `%b` and the scoreboard). An app's own `Response` goes out untouched; a built-in
 * module's gets the `Server` field as mpmd's engine writes it.
 *
 * @module
 */

import { discardStreamBody, type ResponseHeaders, type ServerResponse } from "../http/mod.ts";

/**
 * The body bytes sent (0 for HEAD), `null` when unknown: an app's body without a
 * Content-Length.
 */
export interface SentBody {
  /** Body bytes: the whole body's size, or what has been sent of a stream so far. */
  bytes: number | null;
}

/** How the answer goes out. */
export interface NativeResponseOptions {
  /** The request's method: a HEAD answer carries no body. */
  readonly method: string;
  /** Ask the client to close the connection (KeepAlive off, or the slot is retiring). */
  readonly closing: boolean;
  /** The `Server` field of built-in modules' answers (from ServerTokens). */
  readonly banner: string;
}

/** Statuses whose response has no body (the Fetch standard's null body statuses). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The `Response` to send for `response`; `sent.bytes` is set now for a body whose size is
 * known, and grows while a stream is sent.
 *
 * @throws For a `101` that would take over the connection, which Deno's server cannot hand over.
 */
export function nativeResponse(
  response: ServerResponse,
  options: NativeResponseOptions,
  sent: SentBody,
): Response {
  if (response.tunnel !== undefined) {
    // Deno's server owns the connection and offers no raw stream of it to hand over.
    throw new Error("Cannot switch protocols under HttpEngine native: use HttpEngine mpmd");
  }
  // A HEAD answer keeps its body: Deno takes the Content-Length from it and sends none.
  const head = options.method === "HEAD";
  const counted: SentBody = head ? { bytes: 0 } : sent;
  sent.bytes = 0;
  if (response.web !== undefined) {
    const web = response.web;
    const length = web.headers.get("content-length");
    counted.bytes = length === null ? null : Number(length);
    return options.closing ? closingCopy(web) : web;
  }
  const init = {
    status: response.status,
    ...(response.statusText === undefined ? {} : { statusText: response.statusText }),
    headers: sentFields(response.headers, options),
  };
  const body = response.body;
  if (body === null || NULL_BODY_STATUSES.has(response.status)) {
    void discardStreamBody(body);
    return new Response(null, init);
  }
  if (body instanceof Uint8Array) {
    counted.bytes = body.byteLength;
    return new Response(body as Uint8Array<ArrayBuffer>, init);
  }
  return new Response(countedStream(body, counted), init);
}

/**
 * The fields sent with a module's answer: its own, `Server` unless it has one, and
 * `Connection: close` in place of any Connection field when closing. A list, not a `Headers`:
 * the Response validates and copies the fields either way, and a `Headers` made first would be
 * built, then sorted and copied again.
 */
function sentFields(fields: ResponseHeaders, options: NativeResponseOptions): ResponseHeaders {
  const sent: ResponseHeaders = [];
  let hasServer = false;
  for (const field of fields) {
    const name = field[0].toLowerCase();
    if (name === "server") hasServer = true;
    else if (options.closing && name === "connection") continue;
    sent.push(field);
  }
  if (!hasServer) sent.push(["server", options.banner]);
  if (options.closing) sent.push(["connection", "close"]);
  return sent;
}

/** `source` with `Connection: close`: in place, or in a copy when its fields are immutable. */
function closingCopy(source: Response): Response {
  try {
    source.headers.set("connection", "close");
    return source;
  } catch {
    // Response.redirect() and Response.error() make immutable fields.
    const copy = new Response(source.body, source);
    copy.headers.set("connection", "close");
    return copy;
  }
}

/** A stream of `body`'s chunks that adds their sizes to `sent.bytes` as they are sent. */
function countedStream(
  body: AsyncIterable<Uint8Array>,
  sent: SentBody,
): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else {
        sent.bytes = (sent.bytes ?? 0) + value.byteLength;
        controller.enqueue(value);
      }
    },
    async cancel(reason) {
      await chunks.return?.(reason);
    },
  }, { highWaterMark: 0 });
}
