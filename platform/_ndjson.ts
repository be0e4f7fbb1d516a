/**
 * Newline-delimited JSON over byte streams: the framing both ends of a parent/child pipe
 * use. `JSON.stringify` escapes every newline inside strings, so a raw `\n` only ever ends a
 * message; and 0x0A never occurs inside a multi-byte UTF-8 sequence, so lines are split on
 * bytes before decoding.
 *
 * @module
 */

import { MessageFormatError } from "./message_format_error.ts";
import { describeError } from "../base/mod.ts";

const NEWLINE = 0x0a;
const encoder = new TextEncoder();

/** Sends messages over a byte stream, one JSON line each, in call order. */
export interface MessageWriter {
  /** Writes one message; rejects if it is not JSON-serialisable or the stream is broken. */
  send(message: unknown): Promise<void>;
  /** Ends the stream: the reader on the other side sees end of input. */
  close(): Promise<void>;
}

/**
 * Takes the writable's only writer. Concurrent `send` calls are queued by the stream, so
 * lines never interleave.
 */
export function messageWriter(writable: WritableStream<Uint8Array>): MessageWriter {
  const writer = writable.getWriter();
  // A write to a peer that has gone errors the stream; `send` reports that to its caller,
  // and this keeps the same failure on `closed` from becoming an unhandled rejection.
  writer.closed.catch(() => {});
  return {
    send(message) {
      const text = JSON.stringify(message);
      if (text === undefined) {
        return Promise.reject(
          new TypeError(`Cannot send message: ${typeof message} is not JSON-serialisable`),
        );
      }
      return writer.write(encoder.encode(text + "\n"));
    },
    close: () => writer.close(),
  };
}

/**
 * Reads messages, one per line, until end of input.
 *
 * @throws {MessageFormatError} from the iterator, for a line that is not UTF-8 JSON or a last
 *   line without its newline (a peer that died mid-write); iteration ends there.
 */
export async function* readMessages(
  readable: ReadableStream<Uint8Array>,
): AsyncGenerator<unknown, void, undefined> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let pending: Uint8Array[] = [];
  let line = 0;
  const parse = (bytes: Uint8Array): unknown => {
    line++;
    try {
      return JSON.parse(decoder.decode(bytes));
    } catch (error) {
      const reason = describeError(error);
      throw new MessageFormatError(line, reason, { cause: error });
    }
  };
  const reader = readable.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      let start = 0;
      for (let end = value.indexOf(NEWLINE); end !== -1; end = value.indexOf(NEWLINE, start)) {
        pending.push(value.subarray(start, end));
        const bytes = concat(pending);
        pending = [];
        start = end + 1;
        yield parse(bytes);
      }
      if (start < value.length) pending.push(value.subarray(start));
    }
    if (pending.length > 0) {
      throw new MessageFormatError(line + 1, "input ends without a newline");
    }
  } finally {
    // Early exit by the consumer (break, or a thrown MessageFormatError): stop reading.
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
