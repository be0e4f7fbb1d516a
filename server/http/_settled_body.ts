/**
 * A `Response` made from a string, bytes or JSON already holds its whole body, but only shows
 * it as a stream. Taking it out when it is there at once lets the engine send it with a
 * `Content-Length` in one write, as `Deno.serve` does, instead of chunked coding. A body that
 * is not all there at once stays a stream, and nothing waits for it here (server-sent events
 * get their head at once).
 *
 * @module
 */

import type { ResponseBody } from "./server_response.ts";

const NOT_YET = Symbol("not yet");
const EMPTY = new Uint8Array(0);
/**
 * Deno's stream over a Response's own bytes answers a read two promise hops later (measured,
 * Deno 2.9.6); a source that is not there yet takes a turn of the event loop at least.
 */
const HOPS = 4;

type Read = ReadableStreamReadResult<Uint8Array>;

/** `read` if it settles within {@link HOPS} promise hops, else {@link NOT_YET}. */
function ifSettled(read: Promise<Read>): Promise<Read | typeof NOT_YET> {
  let later: Promise<unknown> = Promise.resolve();
  for (let i = 1; i < HOPS; i++) later = later.then();
  return Promise.race([read, later.then((): typeof NOT_YET => NOT_YET)]);
}

/**
 * The body as bytes when it is complete at once, or a stream that yields the same chunks.
 *
 * @param body The `Response`'s body stream.
 */
export async function settledBody(body: ReadableStream<Uint8Array>): Promise<ResponseBody> {
  const reader = body.getReader();
  // Reads settle in order: when the second has, the first has too.
  const first = reader.read();
  const second = reader.read();
  const end = await ifSettled(second);
  if (end === NOT_YET || !end.done) return resumed(reader, [first, second]);
  const only = await first;
  return only.done ? EMPTY : only.value;
}

/** The rest of `reader`'s stream, starting with the reads already made. */
function resumed(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  made: Promise<Read>[],
): ReadableStream<Uint8Array> {
  // A failed read that nobody awaits (the response was dropped) must not end the isolate as an
  // unhandled rejection; a consumer still sees the failure when it pulls.
  for (const read of made) read.catch(() => {});
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const result = await (made.shift() ?? reader.read());
      if (result.done) controller.close();
      else controller.enqueue(result.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
