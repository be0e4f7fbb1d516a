/**
 * One HTTP/1.1 connection to a backend, written on `Deno.connect`: a receive buffer, writes
 * that finish, the response head read with the engine's head scanner and response-head parser.
 *
 * @module
 */

import { describeError } from "../../base/mod.ts";
import {
  type HeadLimits,
  HeadScanner,
  HttpError,
  maxHeadBytes,
  parseResponseHead,
  type ResponseHead,
} from "../../server/http/mod.ts";

/**
 * The limits on a backend's response head: httpd's defaults for a request's (8190-byte lines,
 * 100 fields), which httpd's proxy applies to responses too.
 */
export const RESPONSE_HEAD_LIMITS: HeadLimits = Object.freeze({
  limitRequestLine: 8190,
  limitRequestFieldSize: 8190,
  limitRequestFields: 100,
});

/** The receive buffer of a new connection: a head and a small answer fit. */
const RECEIVE_BYTES = 16 * 1024;
/** The receive buffer once a read has filled it: bodies then come in larger reads. */
const BULK_RECEIVE_BYTES = 64 * 1024;
const MAX_HEAD_BYTES = maxHeadBytes(RESPONSE_HEAD_LIMITS);

/** Why an exchange with a backend failed, and whether any byte of its answer had come. */
export class BackendError extends Error {
  /** No byte of the response had been received (a stale pooled connection looks so). */
  readonly beforeAnswer: boolean;

  /** Builds the error; `message` reads "Cannot …: reason". */
  constructor(message: string, options: { beforeAnswer: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "BackendError";
    this.beforeAnswer = options.beforeAnswer;
  }
}

/** A connection to one backend, owned by one exchange at a time. */
export class BackendConnection {
  /** `host:port` of the backend. */
  readonly authority: string;
  /** Bytes received and not yet consumed are `buf[start, end)`. */
  buf: Uint8Array = new Uint8Array(RECEIVE_BYTES);
  /** First unconsumed byte. */
  start = 0;
  /** End of the received bytes. */
  end = 0;
  /** Exchanges this connection has carried (a reused one may have been closed by the backend). */
  exchanges = 0;
  /** The timer closing it while it idles in the pool (`ttl=`), or `undefined`. */
  idleTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #conn: Deno.TcpConn;
  readonly #scanner = new HeadScanner(RESPONSE_HEAD_LIMITS);
  #closed = false;

  /** Wraps a connected socket to `authority`. */
  constructor(conn: Deno.TcpConn, authority: string) {
    this.#conn = conn;
    this.authority = authority;
  }

  /** Whether it has been closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Writes all of `bytes`. */
  async write(bytes: Uint8Array): Promise<void> {
    let written = 0;
    while (written < bytes.length) written += await this.#conn.write(bytes.subarray(written));
  }

  /**
   * Reads more bytes after `end`, moving unconsumed ones to the front first.
   *
   * @returns `false` when the backend closed its side.
   */
  async fill(): Promise<boolean> {
    if (this.start === this.end) this.start = this.end = 0;
    else if (this.end === this.buf.length) {
      if (this.start > 0) {
        this.buf.copyWithin(0, this.start, this.end);
        this.end -= this.start;
        this.start = 0;
      } else {
        const grown = new Uint8Array(this.buf.length * 2);
        grown.set(this.buf.subarray(0, this.end));
        this.buf = grown;
      }
    }
    const space = this.buf.length - this.end;
    const n = await this.#conn.read(this.buf.subarray(this.end));
    if (n === null) return false;
    this.end += n;
    // A read that filled the buffer is a bulk transfer: larger reads from now on.
    if (n === space && this.buf.length < BULK_RECEIVE_BYTES) {
      const grown = new Uint8Array(BULK_RECEIVE_BYTES);
      grown.set(this.buf.subarray(0, this.end));
      this.buf = grown;
    }
    return true;
  }

  /**
   * Reads the final response head, skipping interim (1xx) responses; the body's first bytes
   * stay buffered.
   *
   * @param method The request's method (a response to HEAD has no body).
   * @throws {BackendError} when the backend closes first or sends no valid head.
   */
  async readHead(method: string): Promise<ResponseHead> {
    let received = false;
    for (;;) {
      this.#scanner.reset();
      for (;;) {
        if (this.start < this.end) {
          received = true;
          const at = this.#scanner.scan(this.buf, this.start, this.end);
          if (at instanceof HttpError) throw this.#invalid(at.message);
          if (at > 0) {
            const head = parseResponseHead(this.buf.subarray(this.start, at), {
              limits: RESPONSE_HEAD_LIMITS,
              method,
            });
            this.start = at;
            if (head instanceof HttpError) throw this.#invalid(head.message);
            if (head.status >= 200) return head;
            if (head.status === 101) throw this.#invalid("an upgrade nobody asked for");
            break;
          }
          if (this.end - this.start >= MAX_HEAD_BYTES) throw this.#invalid("the head is too long");
        }
        let more: boolean;
        try {
          more = await this.fill();
        } catch (cause) {
          throw new BackendError(`Cannot read the response head: ${describeError(cause)}`, {
            beforeAnswer: !received,
            cause,
          });
        }
        if (!more) {
          throw new BackendError(
            "Cannot read the response head: the backend closed the connection",
            {
              beforeAnswer: !received,
            },
          );
        }
      }
    }
  }

  #invalid(reason: string): BackendError {
    return new BackendError(`Cannot read the response head: ${reason}`, { beforeAnswer: false });
  }

  /** Closes the socket (again: nothing). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.idleTimer);
    try {
      this.#conn.close();
    } catch {
      // Already closed by a failed operation: nothing is left to release.
    }
  }
}
