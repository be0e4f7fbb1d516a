/**
 * One client connection's request loop: read a head, parse it, call the handler, write the
 * response, then keep the connection alive or close it (lingering when the client may still
 * be sending). Time limits are not timers: the transport keeps a phase and a deadline, and
 * the engine's sweeper calls {@link HttpConnection.expire} once the deadline has passed.
 *
 * @module
 */

import { type Endpoint, escapeLogItem } from "../log/mod.ts";
import type { ConnectionHost } from "./_connection_host.ts";
import { ExchangeRecord } from "./_exchange_record.ts";
import { discardStreamBody, ResponseStreamError } from "./_stream_body.ts";
import { BODY, BUSY, HEAD, IDLE, LINGER, Transport, TUNNEL, WAIT, WRITE } from "./_transport.ts";
import type { ConnectionState, ConnectionView } from "./engine_options.ts";
import { closingHead, errorResponse, failureResponse } from "./error_response.ts";
import { fromResponse } from "./fetch_adapter.ts";
import { HeadScanner } from "./head_scanner.ts";
import { cachedHttpDate } from "./http_date.ts";
import { HttpError } from "./http_error.ts";
import { decideKeepAlive, DRAIN_MAX_BYTES, keepAliveValue } from "./keep_alive.ts";
import { parseRequestHead, type RequestHead, requestLineOf } from "./parse_head.ts";
import { readDeadline } from "./read_deadline.ts";
import { ChunkedBody, EMPTY_BODY, type EngineBody, LengthBody } from "./request_body.ts";
import type { ServerRequest } from "./server_request.ts";
import type { ServerResponse, UpgradeResponse } from "./server_response.ts";
import { type SerializedHead, serializeResponseHead } from "./write_response.ts";
import { TlsConnection } from "./tls_connection.ts";

interface Outcome {
  readonly status: number;
  readonly bodyBytes: number;
  readonly keep: "+" | "-" | "X";
}

/** `METHOD target` for a log message; the target is the client's, so it is escaped. */
function describe(head: RequestHead): string {
  return `${head.method} ${escapeLogItem(head.target)}`;
}

/**
 * Why a request cannot be answered by switching protocols, or `null` when it can: the client
 * must have asked for it (RFC 9110 §7.8: `Upgrade` and the `upgrade` connection option, in
 * HTTP/1.1), and its request must be over, as what follows belongs to the new protocol.
 */
function upgradeRefusal(head: RequestHead, bodyComplete: boolean): string | null {
  if (head.version !== "HTTP/1.1") return `${head.version} cannot switch protocols`;
  if (!head.headers.has("upgrade")) return "the request has no Upgrade field";
  const options = head.headers.get("connection")?.toLowerCase().split(",") ?? [];
  if (!options.some((option) => option.trim() === "upgrade")) {
    return "the request's Connection field has no upgrade option";
  }
  if (!bodyComplete) return "the request body has not been read to its end";
  return null;
}

function endpointOf(addr: Deno.Addr): Endpoint {
  return "hostname" in addr ? addr : { hostname: "", port: 0 };
}

/** One client connection and its request loop. */
export class HttpConnection implements ConnectionView {
  readonly id: number;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  requests = 0;
  requestLine = "";
  host = "";

  readonly #host: ConnectionHost;
  readonly #io: Transport;
  readonly #scanner: HeadScanner;
  readonly #acceptedAt: number;
  /** The TLS connection whose negotiated details the access records carry, or `null`. */
  readonly #tls: TlsConnection | null;
  #headStartMs = 0;
  #headBytes = 0;
  #lingerWanted = false;
  /** Draining: at the deadline of its idle phase the connection closes gently, not abruptly. */
  #closeWhenIdle = false;
  /** Closed by the drain while idle: bytes that still arrive are a request it will not answer. */
  #closedIdle = false;
  #head: RequestHead | null = null;
  #receivedAt = 0;
  #startedPerf = 0;
  /** The transport's byte counts when the previous exchange was recorded. */
  #receivedMark = 0;
  #sentMark = 0;

  /**
   * @param conn The accepted socket.
   * @param options The engine, this connection's id and the accept time.
   */
  constructor(conn: Deno.Conn, options: { host: ConnectionHost; id: number; nowMs: number }) {
    const host = options.host;
    this.#host = host;
    this.id = options.id;
    this.remote = endpointOf(conn.remoteAddr);
    this.local = endpointOf(conn.localAddr);
    this.#tls = conn instanceof TlsConnection ? conn : null;
    this.#scanner = new HeadScanner(host.settings);
    this.#acceptedAt = options.nowMs;
    this.#io = new Transport(conn, {
      settings: host.settings,
      buffers: host.buffers,
      logger: host.logger,
      maxBufferBytes: host.maxHeadBytes,
      peer: this.remote.hostname,
      onStateChange: (from, to) => {
        host.stateChanged(from, to);
        host.onState?.(this);
      },
      onClosed: () => host.release(this),
    });
    this.#headStartMs = options.nowMs;
    this.#io.deadline = this.#headDeadline();
  }

  /** The state reported to observers. */
  get state(): ConnectionState {
    return this.#io.state;
  }

  /** When the sweeper must look at this connection (ms since the epoch). */
  get deadline(): number {
    return this.#io.deadline;
  }

  /**
   * Whether the connection is kept alive between requests with nothing of the next one
   * received. A new connection still waiting for its first request is not idle: closing it
   * would lose a request that may already be on the wire, which clients never retry.
   */
  get idle(): boolean {
    const io = this.#io;
    return io.phase === IDLE && io.start === io.end;
  }

  /** Whether the connection has switched protocols and tunnels bytes for a handler. */
  get tunnelling(): boolean {
    return this.#io.phase === TUNNEL;
  }

  /** Serves requests until the connection closes; never rejects. */
  async run(): Promise<void> {
    try {
      // The request loop is one function on purpose: each nested async call would add a
      // promise hop to every request.
      for (;;) {
        const head = await this.#readHead();
        if (head === null) break;
        if (head instanceof HttpError) {
          await this.#reject(head);
          break;
        }
        const body = this.#begin(head);
        let response: ServerResponse;
        try {
          const result = this.#host.handler(this.#request(head, body));
          response = (result instanceof Promise ? await result : result) ?? errorResponse(404);
          // A Response handed back whole is for an engine that sends Responses: write its
          // fields and its stream here.
          if (response.web !== undefined) response = fromResponse(response.web);
        } catch (error) {
          response = failureResponse(error, {
            request: describe(head),
            peer: this.remote.hostname,
            logger: this.#host.logger,
          });
        }
        if (this.#io.timedOut) {
          // The sweeper has answered 408 already.
          await discardStreamBody(response.body);
          break;
        }
        const keep = await this.#respond(response, body);
        this.#complete();
        if (!keep) break;
      }
      if (this.#lingerWanted) await this.#io.linger();
      if (this.#closedIdle && this.#io.lingerBytes > 0) this.#logClosedIdleRace();
    } catch (error) {
      this.#host.logger.error(`Cannot serve connection from ${this.remote.hostname}`, error);
    } finally {
      this.#complete();
      this.#io.abort();
      this.#io.recycle();
    }
  }

  /**
   * Closes the socket now and leaves the engine; whatever is pending fails and the request
   * loop ends (a handler that never returns is simply forgotten).
   */
  abort(): void {
    this.#io.abort();
  }

  /**
   * The engine drains: an idle connection gets until `deadlineMs` for one more request (its
   * answer will close the connection), then is closed by half-close and linger, so that a
   * request crossing the close is read away rather than met by a reset.
   */
  closeWhenIdle(deadlineMs: number): void {
    if (!this.idle) return;
    this.#closeWhenIdle = true;
    this.#io.deadline = Math.min(this.#io.deadline, deadlineMs);
  }

  /** Called by the sweeper once {@link deadline} has passed. */
  expire(nowMs: number): void {
    switch (this.#io.phase) {
      case HEAD:
      case BODY:
        // mod_reqtimeout: a client that started a request and stalls gets 408.
        if (!this.#io.responseStarted) this.#answerTimeout(nowMs);
        else this.abort();
        return;
      case WRITE:
        this.#host.logger.info(
          `Cannot send response to ${this.remote.hostname}: no write progress for Timeout (${this.#host.settings.timeoutMs} ms)`,
        );
        this.abort();
        return;
      case IDLE:
        if (this.#closeWhenIdle && this.idle) {
          this.#lingerWanted = true;
          this.#closedIdle = true;
          this.#io.closeGently(nowMs);
          return;
        }
        this.abort();
        return;
      case TUNNEL:
        this.#host.logger.info(
          `Closing tunnel of ${this.remote.hostname} (${this.requestLine}): no byte moved within its idle timeout`,
        );
        this.abort();
        return;
      case WAIT:
      case LINGER:
        this.abort();
        return;
    }
  }

  /** Sets up the exchange of a parsed head; returns its body. */
  #begin(head: RequestHead): EngineBody {
    this.#head = head;
    this.requestLine = head.requestLine;
    this.host = head.host;
    const io = this.#io;
    io.bodyStartMs = this.#receivedAt;
    io.bodyBytes = 0;
    io.enter(BUSY, Infinity);
    const settings = this.#host.settings;
    if (head.chunked) {
      return new ChunkedBody(io, { limits: settings, expectContinue: head.expectContinue });
    }
    if (head.contentLength === null || head.contentLength === 0) return EMPTY_BODY;
    return new LengthBody(io, {
      length: head.contentLength,
      limitBytes: settings.limitRequestBodyBytes,
      expectContinue: head.expectContinue,
    });
  }

  #request(head: RequestHead, body: EngineBody): ServerRequest {
    return {
      method: head.method,
      target: head.target,
      path: head.path,
      query: head.query,
      version: head.version,
      headers: head.headers,
      host: head.host,
      remote: this.remote,
      local: this.local,
      scheme: this.#tls === null ? "http" : "https",
      body,
      receivedAt: this.#receivedAt,
      completed: this.#completed,
    };
  }

  /** The running exchange's `completed`, made only when its handler asks. */
  #completion: PromiseWithResolvers<void> | null = null;
  /** Every request's {@link ServerRequest.completed} on this connection: one function. */
  readonly #completed = (): Promise<void> =>
    (this.#completion ??= Promise.withResolvers<void>()).promise;

  /** The exchange has ended (sent, or given up): what its handler awaits may go on. */
  #complete(): void {
    this.#completion?.resolve();
    this.#completion = null;
  }

  async #readHead(): Promise<RequestHead | HttpError | null> {
    const io = this.#io;
    const scanner = this.#scanner;
    scanner.reset();
    this.#io.responseStarted = false;
    for (;;) {
      if (io.start < io.end) {
        const found = scanner.scan(io.buf, io.start, io.end);
        if (found instanceof HttpError) return found;
        if (found >= 0) {
          this.#receivedAt = Date.now();
          if (this.#host.onExchange !== undefined) this.#startedPerf = performance.now();
          const head = parseRequestHead(io.buf.subarray(io.start, found), this.#host.settings);
          if (!(head instanceof HttpError)) io.start = found;
          return head;
        }
        if (io.phase !== HEAD) {
          // Part of a head is here: the header timeout runs, counted from the accept for a
          // connection's first request (mod_reqtimeout).
          this.#headStartMs = io.phase === WAIT ? this.#acceptedAt : Date.now();
          this.#headBytes = io.end - io.start;
          io.enter(HEAD, this.#headDeadline());
        }
      }
      let n: number | null;
      try {
        n = await io.conn.read(io.readView());
      } catch (error) {
        io.readFailed(error);
        n = null;
      }
      if (n === null || io.timedOut) return null;
      if (io.lingering) {
        io.lingerBytes += n;
        return null;
      }
      io.end += n;
      io.receivedBytes += n;
      if (io.phase === HEAD) {
        this.#headBytes += n;
        io.deadline = this.#headDeadline();
      }
    }
  }

  #headDeadline(): number {
    const settings = this.#host.settings;
    const deadline = readDeadline(
      this.#headStartMs,
      this.#headBytes,
      settings.requestReadTimeout.header,
    );
    // Without a header timeout, httpd's Timeout still bounds each wait for bytes.
    return deadline === Infinity ? Date.now() + settings.timeoutMs : deadline;
  }

  async #respond(response: ServerResponse, body: EngineBody): Promise<boolean> {
    const head = this.#head!;
    const host = this.#host;
    if (response.tunnel !== undefined) {
      const refusal = upgradeRefusal(head, body.complete);
      if (refusal !== null) {
        host.logger.error(`Cannot switch protocols for ${describe(head)}: ${refusal}`);
        response = errorResponse(500);
      } else if (host.tunnelsClosed) {
        // A retiring slot past its tunnels' grace: one started now would outlive it.
        response = errorResponse(503);
      }
    }
    const keepAlive = decideKeepAlive({
      settings: host.settings,
      clientKeepAlive: head.clientKeepAlive,
      draining: host.draining,
      requestsServed: this.requests,
      body,
    });
    const context = {
      method: head.method,
      version: head.version,
      keepAlive,
      keepAliveValue: keepAlive ? keepAliveValue(host.settings, this.requests) : "",
      date: cachedHttpDate(this.#receivedAt),
      server: host.banner,
    };
    let serialized = serializeResponseHead(response, context);
    if (serialized instanceof HttpError) {
      host.logger.error(`Cannot answer ${describe(head)}: ${serialized.message}`);
      await discardStreamBody(response.body);
      response = errorResponse(500);
      serialized = serializeResponseHead(response, context);
      if (serialized instanceof HttpError) throw serialized;
    }
    this.#io.responseStarted = true;
    let bodyBytes: number;
    try {
      bodyBytes = await this.#io.send(serialized, response.body);
    } catch (error) {
      this.#sendFailed(error, serialized, response.status);
      return false;
    }
    if (response.tunnel !== undefined) return await this.#tunnel(response, serialized);
    const keep = serialized.keepAlive && (body.complete || await body.drain(DRAIN_MAX_BYTES));
    this.#record(serialized, head, { status: response.status, bodyBytes, keep: keep ? "+" : "-" });
    this.requests++;
    if (!keep) {
      // Unread request bytes must be read away, or closing would reset the connection
      // and could destroy the response before the client reads it.
      this.#lingerWanted = !body.complete || this.#io.start < this.#io.end;
      return false;
    }
    this.requestLine = "";
    this.host = "";
    this.#head = null;
    this.#io.enter(IDLE, Date.now() + host.settings.keepAliveTimeoutMs);
    return true;
  }

  /**
   * Hands the connection, after its `101` head, to the response's tunnel and records the
   * exchange (`%B`: the bytes the tunnel sent the client) once it ends; the connection closes.
   */
  async #tunnel(response: UpgradeResponse, serialized: SerializedHead): Promise<false> {
    const io = this.#io;
    const head = this.#head!;
    const sentBefore = io.sentBytes;
    try {
      await response.tunnel(io.tunnel(response.idleTimeoutMs));
    } catch (error) {
      // Once the engine has closed the socket (idle timeout, stop), failures are its echo.
      if (!io.closed) this.#host.logger.error(`Cannot tunnel ${describe(head)}`, error);
    }
    this.#record(serialized, head, {
      status: 101,
      bodyBytes: io.sentBytes - sentBefore,
      keep: "-",
    });
    this.requests++;
    return false;
  }

  /** A response could not be written: log, record and abort. */
  #sendFailed(error: unknown, serialized: SerializedHead, status: number): void {
    const logger = this.#host.logger;
    const head = this.#head;
    if (error instanceof ResponseStreamError && head !== null) {
      logger.error(`Cannot send response to ${describe(head)}`, error);
    } else if (logger.enabled("debug")) {
      logger.debug(`Cannot send response to ${this.remote.hostname}: ${String(error)}`);
    }
    this.#record(serialized, head, { status, bodyBytes: 0, keep: "X" });
    this.abort();
  }

  /**
   * The keep-alive race every server has: a request crossed the drain's close of an idle
   * connection. It went unanswered; a client sends it again on a new connection (RFC 9112
   * §9.3.1), as browsers and curl do. Logged so that a lost request can be told from it.
   */
  #logClosedIdleRace(): void {
    this.#host.logger.info(
      `Closed idle connection of ${this.remote.hostname} as a request arrived (${this.#io.lingerBytes} bytes unanswered); a client retries it on a new connection`,
    );
  }

  /** Answers a request the parser refused, then closes (lingering). */
  async #reject(error: HttpError): Promise<void> {
    this.#lingerWanted = true;
    this.#beginUnparsed(Date.now());
    if (this.#host.logger.enabled("debug")) {
      this.#host.logger.debug(`Refused request from ${this.remote.hostname}: ${error.message}`);
    }
    const response = errorResponse(error.status, error.headers);
    const serialized = this.#closingHead(response);
    this.#head = null;
    this.#io.responseStarted = true;
    try {
      const bodyBytes = await this.#io.send(serialized, response.body);
      this.#record(serialized, null, { status: error.status, bodyBytes, keep: "-" });
    } catch (failure) {
      this.#sendFailed(failure, serialized, error.status);
    }
  }

  /** The sweeper found a stalled head or body read: answer 408 now and wind down. */
  #answerTimeout(nowMs: number): void {
    const io = this.#io;
    const head = io.phase === BODY ? this.#head : null;
    io.timedOut = true;
    this.#io.responseStarted = true;
    this.#lingerWanted = true;
    if (head === null) this.#beginUnparsed(nowMs);
    this.#host.logger.info(
      `Cannot read request ${
        head === null ? "head" : "body"
      } from ${this.remote.hostname}: read timeout`,
    );
    io.startLinger(nowMs);
    const response = errorResponse(408);
    const serialized = this.#closingHead(response);
    const body = response.body as Uint8Array;
    io.sendWhileReading(serialized.head, body);
    this.#record(serialized, head, { status: 408, bodyBytes: body.length, keep: "-" });
  }

  /** Starts the exchange of a request that has no parsed head: its time and its request line. */
  #beginUnparsed(nowMs: number): void {
    this.#receivedAt = nowMs;
    if (this.#host.onExchange !== undefined) this.#startedPerf = performance.now();
    const io = this.#io;
    const limit = this.#host.settings.limitRequestLine;
    this.requestLine = requestLineOf(io.buf.subarray(io.start, io.end), limit);
  }

  #closingHead(response: ServerResponse): SerializedHead {
    return closingHead(response, { date: cachedHttpDate(Date.now()), server: this.#host.banner });
  }

  #record(serialized: SerializedHead, head: RequestHead | null, outcome: Outcome): void {
    const onExchange = this.#host.onExchange;
    if (onExchange === undefined) return;
    const io = this.#io;
    // As mod_logio, a request counts the bytes it consumed: bytes read ahead belong to the
    // next request. A request never parsed, or timed out, ends the connection: all it sent
    // so far was its own.
    const unconsumed = head === null || io.timedOut ? 0 : io.end - io.start;
    const received = io.receivedBytes - unconsumed;
    const receivedBytes = received - this.#receivedMark;
    const sentBytes = io.sentBytes - this.#sentMark;
    this.#receivedMark = received;
    this.#sentMark = io.sentBytes;
    onExchange(
      new ExchangeRecord({
        remote: this.remote,
        local: this.local,
        startedAt: this.#receivedAt,
        durationUs: Math.round((performance.now() - this.#startedPerf) * 1000),
        requestLine: this.requestLine,
        method: head?.method ?? "",
        path: head?.path ?? "",
        query: head?.query ?? "",
        protocol: head?.version ?? "",
        requestHeaders: head?.headers ?? new Map(),
        status: outcome.status,
        head: serialized.head,
        bodyBytes: outcome.bodyBytes,
        receivedBytes,
        sentBytes,
        keepAliveRequests: this.requests,
        connectionStatus: outcome.keep,
        serverName: this.#host.serverNameOf(this.local, head?.host ?? ""),
        tls: this.#tls?.tls ?? null,
      }),
    );
  }
}
