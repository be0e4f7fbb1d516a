/**
 * The socket side of a connection: the reused receive buffer and the reads that fill it,
 * response writes, and the phase and deadline that the engine's sweeper checks in place of
 * a timer per read. The HTTP logic lives in `connection.ts`.
 *
 * @module
 */

import type { BufferPool } from "./_buffer_pool.ts";
import { discardStreamBody, writeStreamBody } from "./_stream_body.ts";
import type { ConnectionState, EngineSettings } from "./engine_options.ts";
import { HttpError } from "./http_error.ts";
import { readDeadline } from "./read_deadline.ts";
import type { BodySource } from "./request_body.ts";
import type { ResponseBody, UpgradedConnection } from "./server_response.ts";
import type { SerializedHead } from "./write_response.ts";
import type { Logger } from "../log/mod.ts";

// Phases decide what an expired deadline means; several map to one reported state.
/** First request, nothing received yet: the header timeout runs since the accept. */
export const WAIT = 0;
/** Between requests: KeepAliveTimeout. */
export const IDLE = 1;
/** Head bytes arriving: the header timeout with MinRate. */
export const HEAD = 2;
/** The handler runs: no limit. */
export const BUSY = 3;
/** The handler waits for body bytes: the body timeout with MinRate. */
export const BODY = 4;
/** A write is pending: Timeout. */
export const WRITE = 5;
/** Lingering close. */
export const LINGER = 6;
/** Closed; final. */
export const DONE = 7;
/** Switched protocols, bytes tunnelled both ways: the tunnel's idle timeout. */
export const TUNNEL = 8;
const STATE_OF_PHASE: readonly ConnectionState[] = [
  "read",
  "keepalive",
  "read",
  "busy",
  "busy",
  "write",
  "closing",
  "closed",
  "tunnel",
];

/** httpd's lingering close: how long to read and discard after shutting down our side. */
const LINGER_MS = 2_000;
/** Bodies up to this size are copied behind the head so both leave in one write. */
const COPY_BODY_MAX = 64 * 1024;
const EMPTY = new Uint8Array(0);
const CONTINUE = new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n");
const encoder = new TextEncoder();

/** What a transport needs from its connection. */
export interface TransportOptions {
  readonly settings: Readonly<EngineSettings>;
  /** Where the receive and output buffers come from and go back to. */
  readonly buffers: BufferPool;
  readonly logger: Logger;
  /** The receive buffer never grows beyond this (the largest head the limits allow). */
  readonly maxBufferBytes: number;
  /** The client's address, for log messages. */
  readonly peer: string;
  /** Called when the reported state changes. */
  onStateChange(from: ConnectionState, to: ConnectionState): void;
  /** Called once, when the socket is closed. */
  onClosed(): void;
}

/** Writes all of `bytes`, however many writes the socket needs. */
async function writeFully(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = await conn.write(bytes);
  while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
}

/** A connection's socket, receive buffer, phase and deadline. */
export class Transport implements BodySource {
  /** Receive buffer; `buf[start, end)` is received but not yet consumed. */
  buf: Uint8Array;
  start = 0;
  end = 0;
  /** When the sweeper must act (ms since the epoch). */
  deadline = Infinity;
  phase = WAIT;
  state: ConnectionState = "read";
  closed = false;
  /** A 408 was sent in place of the handler's response; body reads fail from now on. */
  timedOut = false;
  /** The final response of the current exchange has begun: no 100 Continue may follow. */
  responseStarted = false;
  /** Start of the body timeout (the end of the head, as in mod_reqtimeout). */
  bodyStartMs = 0;
  /** Body bytes received from the socket for the current request. */
  bodyBytes = 0;
  /**
   * Bytes read from the socket for requests, heads and bodies, since the accept (lingering
   * reads excluded); the request loop adds its own head reads. Counts for mod_logio's `%I`.
   */
  receivedBytes = 0;
  /** Bytes written to the socket since the accept, interim responses included (`%O`). */
  sentBytes = 0;
  /** Bytes read and discarded while lingering. */
  lingerBytes = 0;

  readonly #options: TransportOptions;
  /** The socket. */
  readonly conn: Deno.Conn;
  #out: Uint8Array = EMPTY;
  #pendingWrite: Promise<void> | null = null;
  #nagleOff = false;
  /** Our sending side is shut down already ({@link closeGently}). */
  #writeClosed = false;
  /** Tells a tunnel that the socket has been closed ({@link tunnel}). */
  #tunnelClosed: (() => void) | null = null;

  constructor(conn: Deno.Conn, options: TransportOptions) {
    this.conn = conn;
    this.#options = options;
    this.buf = options.buffers.take();
  }

  /**
   * Hands the buffers back to the pool. Only called once the request loop has ended, so that
   * no read or write still uses them.
   */
  recycle(): void {
    const pool = this.#options.buffers;
    pool.give(this.buf);
    pool.give(this.#out);
    this.buf = this.#out = EMPTY;
    this.start = this.end = 0;
  }

  /** Moves to `phase` with a new deadline, reporting a change of state. */
  enter(phase: number, deadline: number): void {
    if (this.phase === DONE) return;
    this.deadline = deadline;
    if (phase === this.phase) return;
    this.phase = phase;
    const state = STATE_OF_PHASE[phase]!;
    if (state !== this.state) {
      const from = this.state;
      this.state = state;
      this.#options.onStateChange(from, state);
    }
  }

  /**
   * Makes room behind `end` and returns the view the next read fills. The request loop
   * awaits `conn.read()` on it itself: one async hop less per request.
   */
  readView(): Uint8Array {
    if (this.start === this.end) {
      this.start = this.end = 0;
      return this.buf;
    }
    if (this.end === this.buf.length) {
      if (this.start > 0) {
        this.buf.copyWithin(0, this.start, this.end);
        this.end -= this.start;
        this.start = 0;
      } else {
        // The head scanner refuses a head before it outgrows maxBufferBytes; were that ever
        // broken, a read into no room would return 0 at once and the request loop would spin.
        const size = Math.min(this.buf.length * 2, this.#options.maxBufferBytes);
        if (size <= this.buf.length) throw new Error("Cannot read: the receive buffer is full");
        const grown = new Uint8Array(size);
        grown.set(this.buf);
        this.buf = grown;
      }
    }
    return this.buf.subarray(this.end);
  }

  /** Logs a failed read (a reset, or our own close while it was pending) at debug level. */
  readFailed(error: unknown): void {
    const logger = this.#options.logger;
    if (!this.closed && logger.enabled("debug")) {
      logger.debug(`Cannot read from ${this.#options.peer}: ${String(error)}`);
    }
  }

  /** Reads more bytes behind `end`; `null` when the connection ends. */
  async readMore(): Promise<number | null> {
    const n = await this.read(this.readView());
    if (n === null || this.timedOut) return null;
    this.end += n;
    return n;
  }

  /** One socket read; a failure counts as the end. */
  async read(into: Uint8Array): Promise<number | null> {
    try {
      return await this.conn.read(into);
    } catch (error) {
      this.readFailed(error);
      return null;
    }
  }

  /** {@link BodySource.fill}: a body read under the body timeout. */
  async fill(): Promise<boolean> {
    this.#beginBodyRead();
    return this.#endBodyRead(await this.readMore()) !== null;
  }

  /** {@link BodySource.readInto}: a body read under the body timeout. */
  async readInto(into: Uint8Array): Promise<number | null> {
    this.#beginBodyRead();
    return this.#endBodyRead(await this.read(into));
  }

  /**
   * {@link BodySource.sendContinue}; nothing once the final response has begun (a handler's
   * response stream may be what reads the body), as an interim response cannot follow it.
   */
  async sendContinue(): Promise<void> {
    if (this.responseStarted) return;
    this.#noDelay();
    try {
      await this.writeAll(CONTINUE);
    } catch (error) {
      throw new HttpError(400, `Cannot send 100 Continue to ${this.#options.peer}`, {
        cause: error,
      });
    }
    this.enter(BUSY, Infinity);
  }

  #beginBodyRead(): void {
    // A handler may keep a body and read it after its exchange: once the connection lingers or
    // is closed, such a read must neither take the phase (and its deadline) nor race the
    // linger's reads, nor read into the emptied buffer of a recycled transport (0 bytes, forever).
    if (this.phase === LINGER || this.phase === DONE) {
      throw new HttpError(
        400,
        `Cannot read request body from ${this.#options.peer}: the connection is closing`,
      );
    }
    const settings = this.#options.settings;
    const now = Date.now();
    const deadline = readDeadline(
      this.bodyStartMs,
      this.bodyBytes,
      settings.requestReadTimeout.body,
    );
    if (deadline <= now) throw this.#bodyTimeout();
    // Without a body timeout, httpd's Timeout still bounds each wait for bytes.
    this.enter(BODY, deadline === Infinity ? now + settings.timeoutMs : deadline);
  }

  #endBodyRead(n: number | null): number | null {
    if (this.timedOut) throw this.#bodyTimeout();
    this.enter(BUSY, Infinity);
    if (n !== null) {
      this.bodyBytes += n;
      this.receivedBytes += n;
    }
    return n;
  }

  #bodyTimeout(): HttpError {
    return new HttpError(408, `Cannot read request body from ${this.#options.peer}: read timeout`);
  }

  /**
   * Writes all of `bytes` under Timeout (no progress for `timeoutMs` aborts).
   *
   * @returns `result`, so that callers can hand this promise on without another async hop.
   */
  async writeAll(bytes: Uint8Array, result = 0): Promise<number> {
    const timeoutMs = this.#options.settings.timeoutMs;
    this.enter(WRITE, Date.now() + timeoutMs);
    await this.#writeProgressing(bytes, timeoutMs);
    return result;
  }

  /** Writes all of `bytes`, moving the deadline `windowMs` ahead of each write's start. */
  async #writeProgressing(bytes: Uint8Array, windowMs: number): Promise<void> {
    // Counted write by write, so that a failed response still reports what left.
    let offset = await this.conn.write(bytes);
    this.sentBytes += offset;
    while (offset < bytes.length) {
      this.deadline = Date.now() + windowMs;
      const n = await this.conn.write(bytes.subarray(offset));
      offset += n;
      this.sentBytes += n;
    }
  }

  /**
   * Leaves HTTP after a `101` head: the bytes buffered behind the request head and the socket
   * become the tunnel's, and every byte moved either way puts the deadline `idleTimeoutMs` ahead.
   */
  tunnel(idleTimeoutMs: number): UpgradedConnection {
    const buffered = this.buf.slice(this.start, this.end);
    this.start = this.end = 0;
    this.enter(TUNNEL, Date.now() + idleTimeoutMs);
    // The new protocol's small messages must not wait behind unacknowledged ones.
    this.#noDelay();
    const closed = Promise.withResolvers<void>();
    this.#tunnelClosed = closed.resolve;
    return {
      buffered,
      closed: closed.promise,
      read: async (into) => {
        // A closed transport's buffers are recycled: nothing more is read.
        if (this.closed) return null;
        const n = await this.read(into);
        if (n === null) return null;
        this.receivedBytes += n;
        this.deadline = Date.now() + idleTimeoutMs;
        return n;
      },
      write: async (bytes) => {
        this.deadline = Date.now() + idleTimeoutMs;
        await this.#writeProgressing(bytes, idleTimeoutMs);
        this.deadline = Date.now() + idleTimeoutMs;
      },
      closeWrite: async () => {
        if (this.closed || this.#writeClosed) return;
        this.#writeClosed = true;
        await this.conn.closeWrite();
      },
    };
  }

  /**
   * Writes a serialised head and the body it frames. A head with an in-memory body leaves in
   * one write.
   *
   * @returns Body bytes written.
   * @throws Whatever the socket throws, or a ResponseStreamError from the handler's stream.
   */
  send(serialized: SerializedHead, body: ResponseBody): Promise<number> {
    if (serialized.framing === "bytes") {
      const bytes = body as Uint8Array;
      if (bytes.length <= COPY_BODY_MAX) {
        const headLength = this.#encode(serialized.head, bytes.length);
        this.#out.set(bytes, headLength);
        return this.writeAll(this.#out.subarray(0, headLength + bytes.length), bytes.length);
      }
    } else if (body === null || body instanceof Uint8Array) {
      // #encode may replace #out: take the length first.
      const headLength = this.#encode(serialized.head, 0);
      return this.writeAll(this.#out.subarray(0, headLength));
    }
    return this.#sendInPieces(serialized, body!);
  }

  async #sendInPieces(
    serialized: SerializedHead,
    body: Uint8Array | AsyncIterable<Uint8Array>,
  ): Promise<number> {
    this.#noDelay();
    const headLength = this.#encode(serialized.head, 0);
    await this.writeAll(this.#out.subarray(0, headLength));
    if (body instanceof Uint8Array) return await this.writeAll(body, body.length);
    if (serialized.framing === "none") {
      await discardStreamBody(body);
      return 0;
    }
    return await writeStreamBody(body, serialized.framing, {
      contentLength: serialized.contentLength,
      sink: (bytes) => this.writeAll(bytes),
    });
  }

  /**
   * Turns off Nagle's algorithm before the first response that takes several writes: a small
   * write behind an unacknowledged one would otherwise wait for the client's delayed ACK.
   * Single-write responses do not need it, and skipping it saves a system call per connection.
   */
  #noDelay(): void {
    if (this.#nagleOff) return;
    this.#nagleOff = true;
    try {
      (this.conn as Deno.TcpConn).setNoDelay?.(true);
    } catch {
      // Not a TCP socket, or already closed: nothing to tune.
    }
  }

  /** Encodes `head` at the start of the output buffer, with room for `extra` bytes after it. */
  #encode(head: string, extra: number): number {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a handler may send non-Latin-1 text).
    const needed = head.length * 3 + extra;
    if (this.#out.length < needed) {
      const pool = this.#options.buffers;
      pool.give(this.#out);
      this.#out = needed <= pool.size ? pool.take() : new Uint8Array(needed);
    }
    return encoder.encodeInto(head, this.#out).written;
  }

  /**
   * Sends a final response while a read is still pending (the sweeper's 408), then shuts
   * down the sending side; the pending read winds the request loop down.
   */
  sendWhileReading(head: string, body: Uint8Array): void {
    const bytes = new Uint8Array(head.length + body.length);
    const headLength = encoder.encodeInto(head, bytes).written;
    bytes.set(body, headLength);
    // Counted as sent now, as its access record is written before the write ends.
    this.sentBytes += headLength + body.length;
    const conn = this.conn;
    this.#pendingWrite = writeFully(conn, bytes.subarray(0, headLength + body.length))
      .then(() => conn.closeWrite())
      .catch(() => this.abort());
  }

  /**
   * httpd's lingering close: shut down our sending side, then read and discard until the
   * client closes or {@link LINGER_MS} pass, so that bytes it still sends cannot make the
   * kernel reset the connection before the response has been read.
   */
  async linger(): Promise<void> {
    if (this.#pendingWrite !== null) await this.#pendingWrite;
    if (this.closed) return;
    if (this.phase !== LINGER) this.enter(LINGER, Date.now() + LINGER_MS);
    if (!this.timedOut && !this.#writeClosed) {
      try {
        await this.conn.closeWrite();
      } catch {
        return;
      }
    }
    let n: number | null;
    while (!this.closed && (n = await this.read(this.buf)) !== null) this.lingerBytes += n;
  }

  /**
   * Closes an idle connection without a reset: shuts down our sending side now and lingers;
   * what the client still sends is read away by the request loop's pending read, which then
   * ends (see {@link lingering}).
   */
  closeGently(nowMs: number): void {
    this.startLinger(nowMs);
    this.#writeClosed = true;
    this.conn.closeWrite().catch(() => this.abort());
  }

  /** Whether the connection is lingering: bytes that arrive now are discarded, not parsed. */
  get lingering(): boolean {
    return this.phase === LINGER;
  }

  /** Enters the lingering phase at once (the sweeper's 408 path). */
  startLinger(nowMs: number): void {
    this.enter(LINGER, nowMs + LINGER_MS);
  }

  /** Closes the socket; whatever is pending fails. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.conn.close();
    } catch {
      // Already closed by the peer's reset; nothing is left to release.
    }
    this.enter(DONE, Infinity);
    this.#tunnelClosed?.();
    this.#options.onClosed();
  }
}
