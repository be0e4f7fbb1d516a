/**
 * The engine's {@link RequestBody} implementations: a Content-Length body and a chunked
 * body, both reading from the connection's buffer and socket through a {@link BodySource},
 * plus the shared empty body of requests that have none.
 *
 * @module
 */

import { ChunkedDecoder } from "./chunked_decoder.ts";
import { HttpError } from "./http_error.ts";
import type { RequestBody } from "./server_request.ts";
import type { ServerConfig } from "../config/mod.ts";

/** Largest piece read straight from the socket for a Content-Length body. */
const DIRECT_READ_BYTES = 64 * 1024;

/**
 * The connection side of a body: its receive buffer (bytes `buf[start, end)` are unread)
 * and the reads that refill it. The body moves `start` forward as it consumes bytes.
 */
export interface BodySource {
  buf: Uint8Array;
  start: number;
  end: number;
  /**
   * Reads more bytes into `buf` after `end`, moving unread bytes to the front if needed.
   *
   * @returns `false` when the client closed its side.
   * @throws {HttpError} 408 when the body read timeout expired.
   */
  fill(): Promise<boolean>;
  /**
   * Reads straight into `into`; only called while `buf` holds no unread byte.
   *
   * @throws {HttpError} 408 when the body read timeout expired.
   */
  readInto(into: Uint8Array): Promise<number | null>;
  /**
   * Sends `HTTP/1.1 100 Continue` (RFC 9110 §15.2.1), unless the final response has begun.
   *
   * @throws {HttpError} 400 when the client is gone.
   */
  sendContinue(): Promise<void>;
}

/** Body settings taken from the server configuration. */
export type BodyLimits = Pick<
  ServerConfig,
  "limitRequestBodyBytes" | "limitRequestFieldSize" | "limitRequestFields"
>;

/** What the engine needs to know about a body after the handler is done with it. */
export interface EngineBody extends RequestBody {
  /** Every byte of the body (and its framing) has been consumed. */
  readonly complete: boolean;
  /** A read failed; the connection's framing can no longer be trusted. */
  readonly failed: boolean;
  /** `100 Continue` has been sent (or was never asked for). */
  readonly continueSent: boolean;
  /** Bytes still to come when known (Content-Length), else `-1`. */
  readonly remainingBytes: number;
  /**
   * Reads and discards the rest of the body so the connection can carry another request.
   *
   * @returns `true` when the body ended within `maxBytes`.
   */
  drain(maxBytes: number): Promise<boolean>;
}

const NO_TRAILERS: ReadonlyMap<string, string> = new Map();

/** The body of a request without Content-Length or Transfer-Encoding. */
export const EMPTY_BODY: EngineBody = Object.freeze({
  length: 0,
  present: false,
  trailers: NO_TRAILERS,
  complete: true,
  failed: false,
  continueSent: true,
  remainingBytes: 0,
  read: () => Promise.resolve(null),
  drain: () => Promise.resolve(true),
});

/** Shared by both framings: 100-continue, the size limit, failure bookkeeping, draining. */
abstract class SourceBody implements EngineBody {
  readonly present = true;
  abstract readonly length: number | null;
  trailers: ReadonlyMap<string, string> = NO_TRAILERS;
  continueSent: boolean;
  #error: HttpError | null = null;
  #started = false;
  /** Settles when the read in progress ends; `null` when none is. */
  #turn: Promise<void> | null = null;
  protected readonly source: BodySource;
  protected readonly limitBytes: number;

  constructor(source: BodySource, limitBytes: number, expectContinue: boolean) {
    this.source = source;
    this.limitBytes = limitBytes;
    this.continueSent = !expectContinue;
  }

  abstract readonly complete: boolean;
  abstract readonly remainingBytes: number;
  protected abstract next(): Promise<Uint8Array | null>;

  get failed(): boolean {
    return this.#error !== null;
  }

  async read(): Promise<Uint8Array | null> {
    // One read at a time. A read issued while another is pending (the engine draining a body a
    // handler left a read pending on) would size its socket read by bytes the pending one is
    // about to deliver, or fill the same part of the receive buffer.
    while (this.#turn !== null) await this.#turn;
    const turn = Promise.withResolvers<void>();
    this.#turn = turn.promise;
    try {
      return await this.#readNext();
    } finally {
      this.#turn = null;
      turn.resolve();
    }
  }

  async #readNext(): Promise<Uint8Array | null> {
    if (this.#error !== null) throw this.#error;
    if (this.complete) return null;
    try {
      if (!this.#started) {
        this.#started = true;
        this.checkLimit(this.length ?? 0);
        if (!this.continueSent) {
          this.continueSent = true;
          await this.source.sendContinue();
        }
      }
      return await this.next();
    } catch (error) {
      if (error instanceof HttpError) this.#error = error;
      throw error;
    }
  }

  async drain(maxBytes: number): Promise<boolean> {
    if (this.remainingBytes > maxBytes) return false;
    let seen = 0;
    try {
      for (let chunk = await this.read(); chunk !== null; chunk = await this.read()) {
        seen += chunk.length;
        if (seen > maxBytes) return false;
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Takes `n` buffered bytes as a chunk the caller may keep. */
  protected take(from: number, to: number): Uint8Array {
    // A copy: the receive buffer is reused for the next read and the next request.
    return this.source.buf.slice(from, to);
  }

  protected checkLimit(bytes: number): void {
    if (this.limitBytes > 0 && bytes > this.limitBytes) {
      throw new HttpError(
        413,
        `Cannot read request body: ${bytes} bytes exceed LimitRequestBody (${this.limitBytes})`,
      );
    }
  }
}

/** A body framed by Content-Length (RFC 9112 §6.2). */
export class LengthBody extends SourceBody {
  readonly length: number;
  #remaining: number;

  /**
   * @param source The connection's buffer and socket.
   * @param options The declared length, LimitRequestBody (0: none) and whether the client
   *   waits for `100 Continue`.
   */
  constructor(
    source: BodySource,
    options: { length: number; limitBytes: number; expectContinue: boolean },
  ) {
    super(source, options.limitBytes, options.expectContinue);
    this.length = options.length;
    this.#remaining = options.length;
  }

  get complete(): boolean {
    return this.#remaining === 0;
  }

  get remainingBytes(): number {
    return this.#remaining;
  }

  protected async next(): Promise<Uint8Array> {
    const source = this.source;
    const buffered = source.end - source.start;
    if (buffered > 0) {
      const n = Math.min(buffered, this.#remaining);
      const chunk = this.take(source.start, source.start + n);
      source.start += n;
      this.#remaining -= n;
      return chunk;
    }
    // Reading no more than the body's rest keeps a pipelined next request in the socket.
    const chunk = new Uint8Array(Math.min(this.#remaining, DIRECT_READ_BYTES));
    const n = await source.readInto(chunk);
    if (n === null) {
      throw new HttpError(
        400,
        `Cannot read request body: the client closed the connection ${this.#remaining} bytes short of Content-Length ${this.length}`,
      );
    }
    this.#remaining -= n;
    return chunk.subarray(0, n);
  }
}

/** A body in chunked transfer coding (RFC 9112 §7.1). */
export class ChunkedBody extends SourceBody {
  readonly length = null;
  readonly #decoder: ChunkedDecoder;

  /**
   * @param source The connection's buffer and socket.
   * @param options LimitRequestBody (0: none), the field limits that bound chunk-size
   *   lines and trailers, and whether the client waits for `100 Continue`.
   */
  constructor(
    source: BodySource,
    options: { limits: BodyLimits; expectContinue: boolean },
  ) {
    super(source, options.limits.limitRequestBodyBytes, options.expectContinue);
    this.#decoder = new ChunkedDecoder(options.limits);
  }

  get complete(): boolean {
    return this.#decoder.done;
  }

  get remainingBytes(): number {
    return -1;
  }

  protected async next(): Promise<Uint8Array | null> {
    const source = this.source;
    const decoder = this.#decoder;
    for (;;) {
      if (source.start < source.end) {
        source.start = decoder.decode(source.buf, source.start, source.end);
        this.checkLimit(decoder.declaredBytes);
        if (decoder.dataEnd > decoder.dataStart) {
          return this.take(decoder.dataStart, decoder.dataEnd);
        }
        if (decoder.done) {
          this.trailers = decoder.trailers;
          return null;
        }
      }
      if (!(await source.fill())) {
        throw new HttpError(
          400,
          "Cannot read request body: the client closed the connection before the last chunk",
        );
      }
    }
  }
}
