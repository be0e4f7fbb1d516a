/**
 * Writing a streamed response body (an async iterable of chunks) with backpressure: each
 * chunk is written and awaited before the next is pulled. Chunked coding per RFC 9112 §7.1.
 *
 * @module
 */

import type { ResponseBody } from "./server_response.ts";
import type { BodyFraming } from "./write_response.ts";

/** Where the bytes go: resolves when they have been handed to the socket. */
export type ByteSink = (bytes: Uint8Array) => Promise<unknown>;

/** The handler's stream failed (as opposed to the client going away). */
export class ResponseStreamError extends Error {
  constructor(cause: unknown) {
    super("Cannot send response body: the body stream failed", { cause });
    this.name = "ResponseStreamError";
  }
}

const encoder = new TextEncoder();
const LAST_CHUNK = encoder.encode("0\r\n\r\n");
// Chunks up to this size are framed in one buffer (one write); larger ones are written in
// three pieces rather than copied.
const FRAME_COPY_MAX = 16 * 1024;

async function writeChunk(data: Uint8Array, sink: ByteSink): Promise<void> {
  const prefix = `${data.length.toString(16)}\r\n`;
  if (data.length <= FRAME_COPY_MAX) {
    const framed = new Uint8Array(prefix.length + data.length + 2);
    encoder.encodeInto(prefix, framed);
    framed.set(data, prefix.length);
    framed[framed.length - 2] = 0x0d;
    framed[framed.length - 1] = 0x0a;
    await sink(framed);
    return;
  }
  await sink(encoder.encode(prefix));
  await sink(data);
  await sink(encoder.encode("\r\n"));
}

/**
 * Writes `body` with the given framing.
 *
 * @param body The handler's stream.
 * @param framing `length`, `chunked` or `close` (see {@link BodyFraming}).
 * @param options The declared length for `length` framing, and the sink.
 * @returns Body bytes written (framing excluded).
 * @throws {ResponseStreamError} when the stream throws or breaks its declared length;
 *   whatever the sink throws when writing fails.
 */
export async function writeStreamBody(
  body: AsyncIterable<Uint8Array>,
  framing: BodyFraming,
  options: { contentLength: number; sink: ByteSink },
): Promise<number> {
  const { contentLength, sink } = options;
  const chunks = body[Symbol.asyncIterator]();
  let sent = 0;
  let finished = false;
  try {
    for (;;) {
      let step: IteratorResult<Uint8Array>;
      try {
        step = await chunks.next();
      } catch (error) {
        finished = true;
        throw new ResponseStreamError(error);
      }
      if (step.done) {
        finished = true;
        break;
      }
      const data = step.value;
      if (!(data instanceof Uint8Array)) {
        throw new ResponseStreamError(new TypeError("a body chunk is not a Uint8Array"));
      }
      if (data.length === 0) continue;
      sent += data.length;
      if (framing === "chunked") await writeChunk(data, sink);
      else {
        if (framing === "length" && sent > contentLength) {
          throw new ResponseStreamError(
            new RangeError(`the stream is longer than its Content-Length ${contentLength}`),
          );
        }
        await sink(data);
      }
    }
  } finally {
    // Release the handler's stream (ReadableStream: cancel) when we stop early.
    if (!finished) await chunks.return?.().catch(() => {});
  }
  if (framing === "chunked") await sink(LAST_CHUNK);
  else if (framing === "length" && sent < contentLength) {
    throw new ResponseStreamError(
      new RangeError(`the stream ended after ${sent} of its Content-Length ${contentLength} bytes`),
    );
  }
  return sent;
}

/**
 * Releases a response body that will not be sent (HEAD, 204, 304, an error instead): a stream
 * is closed; bytes and `null` need nothing.
 */
export async function discardStreamBody(body: ResponseBody): Promise<void> {
  if (body === null || body instanceof Uint8Array) return;
  try {
    await body[Symbol.asyncIterator]().return?.();
  } catch {
    // The stream is being thrown away; its own failure to close changes nothing.
  }
}
