/**
 * Deno's built-in HTTP server (hyper, in Rust) as mpmd's second engine (`HttpEngine: native`),
 * behind the same {@link HttpEngine} face as mpmd's own: it is handed accepted connections one
 * by one (Deno's server for a single connection), answers with the same site handler, writes
 * the same access records and reports each connection's state, so that the slot around it
 * keeps the MPM's accept discipline, scoreboard and drain. What it cannot do is keep httpd's
 * limits and timeouts: those are Deno's. An app's `Response` goes out as the app made it, so
 * an app answers as fast here as under `deno serve`.
 *
 * @module
 */

import { refuseDeclaredTooLarge } from "./native_request.ts";
import { nativeResponse } from "./native_response.ts";
import { NativeExchange } from "./_native_exchange.ts";
import {
  assertServeOnConnection,
  type ConnectionServer,
  serveOnConnection,
} from "./_serve_on_connection.ts";
import type { ServerConfig } from "../config/mod.ts";
import type { AccessRecord, Endpoint, Logger } from "../log/mod.ts";
import {
  type ConnectionState,
  type ConnectionView,
  drainIdleGraceMs,
  EngineListeners,
  type EngineStats,
  errorResponse,
  type Handler,
  type HttpEngine,
  serverBanner,
  type ServerNameOf,
  type ServerResponse,
  type ShutdownOptions,
} from "../http/mod.ts";
import { withDeadline } from "../../base/mod.ts";

/** Options of {@link createNativeEngine}. */
export interface NativeEngineOptions {
  /** The slot's error log. */
  readonly logger: Logger;
  /** Answers every request (the site handler); `null` means 404. */
  readonly handler: Handler;
  /** Called whenever a connection changes state (the scoreboard). */
  readonly onState?: (connection: ConnectionView) => void;
  /** Called once per finished exchange (the access log). */
  readonly onExchange?: (record: AccessRecord) => void;
  /**
   * Names the host reported in access records (`%v`).
   * @default {the main server's ServerName}
   */
  readonly serverNameOf?: ServerNameOf;
}

/**
 * Creates a native engine serving `config`'s settings that Deno's server applies
 * (KeepAlive, LimitRequestBody, ServerTokens).
 *
 * @throws {Error} when this Deno offers no way to serve one connection with its server.
 */
export function createNativeEngine(config: ServerConfig, options: NativeEngineOptions): HttpEngine {
  return new NativeEngine(config, options);
}

/** One connection Deno's server holds, as the scoreboard sees it. */
class NativeConnection implements ConnectionView {
  state: ConnectionState = "read";
  requests = 0;
  requestLine = "";
  host = "";
  /** Requests whose answer is not completely sent yet. */
  inFlight = 0;
  server: ConnectionServer | null = null;
  /** Deno's server was asked to close this connection. */
  ending = false;

  constructor(
    readonly id: number,
    readonly remote: Endpoint,
    readonly local: Endpoint,
  ) {}
}

class NativeEngine implements HttpEngine {
  readonly #handler: Handler;
  readonly #logger: Logger;
  readonly #onState: ((connection: ConnectionView) => void) | undefined;
  readonly #onExchange: ((record: AccessRecord) => void) | undefined;
  readonly #banner: string;
  readonly #serverNameOf: ServerNameOf;
  readonly #limitBodyBytes: number;
  readonly #graceMs: number;
  readonly #connections = new Set<NativeConnection>();
  readonly #own: EngineListeners;
  readonly #shutdownWaiters: Array<() => void> = [];
  /** Every answer asks the client to close: KeepAlive Off, or draining. */
  #closing: boolean;
  #shutDown = false;
  #nextId = 1;
  #busy = 0;

  constructor(config: ServerConfig, options: NativeEngineOptions) {
    assertServeOnConnection();
    this.#handler = options.handler;
    this.#logger = options.logger.withModule("http");
    this.#onState = options.onState;
    this.#onExchange = options.onExchange;
    this.#banner = serverBanner(config.serverTokens);
    const mainName = config.hosts[0].serverName;
    this.#serverNameOf = options.serverNameOf ?? (() => mainName);
    this.#limitBodyBytes = config.limitRequestBodyBytes;
    this.#graceMs = drainIdleGraceMs(config);
    this.#closing = !config.keepAlive;
    this.#own = new EngineListeners(this.#logger, (conn) => this.handleConnection(conn));
  }

  get stats(): EngineStats {
    let idle = 0;
    for (const connection of this.#connections) if (connection.inFlight === 0) idle++;
    return {
      connections: this.#connections.size,
      reading: 0,
      busy: this.#busy,
      writing: 0,
      keepAliveIdle: idle,
      closing: 0,
      tunnels: 0,
    };
  }

  serve(listener: Deno.Listener): Promise<void> {
    return this.#own.serve(listener);
  }

  handleConnection(conn: Deno.Conn): Promise<void> {
    if (this.#shutDown) {
      conn.close();
      return Promise.resolve();
    }
    const connection = new NativeConnection(
      this.#nextId++,
      endpointOf(conn.remoteAddr),
      endpointOf(conn.localAddr),
    );
    this.#connections.add(connection);
    this.#onState?.(connection);
    const server = serveOnConnection(
      conn,
      (request, info) => this.#answer(connection, request, info),
      (error) => {
        this.#logger.error("Cannot serve a request", error);
        return new Response(null, { status: 500 });
      },
    );
    connection.server = server;
    return server.finished.then(
      () => this.#release(connection),
      (error) => {
        if (this.#logger.enabled("debug")) {
          this.#logger.debug(`Connection from ${connection.remote.hostname} ended: ${error}`);
        }
        this.#release(connection);
      },
    );
  }

  stopAccepting(): void {
    this.#own.closeAll();
  }

  /** None to close: Deno's server never switches protocols for a handler (see `nativeResponse`). */
  closeTunnels(): number {
    return 0;
  }

  closeIdle(): number {
    let closed = 0;
    for (const connection of this.#connections) {
      if (connection.inFlight === 0 && !connection.ending) {
        this.#end(connection);
        closed++;
      }
    }
    return closed;
  }

  drain(): void {
    this.#closing = true;
    const idle = [...this.#connections].filter((connection) => connection.inFlight === 0);
    if (idle.length === 0) return;
    // As mpmd's engine: an idle connection may still bring one more request, answered with
    // `Connection: close`, before it is closed.
    setTimeout(() => {
      for (const connection of idle) if (connection.inFlight === 0) this.#end(connection);
    }, this.#graceMs);
  }

  async shutdown(options: ShutdownOptions = {}): Promise<void> {
    const graceMs = options.graceMs ?? Infinity;
    this.#shutDown = true;
    this.stopAccepting();
    this.drain();
    if (this.#connections.size === 0) return;
    const allClosed = new Promise<void>((resolve) => this.#shutdownWaiters.push(resolve));
    // Deno's server cannot abort a request in flight: after the grace the slot's isolate,
    // which ends next, takes what is left with it.
    await withDeadline(allClosed, graceMs);
  }

  #answer(
    connection: NativeConnection,
    request: Request,
    info: Deno.ServeHandlerInfo,
  ): Response | Promise<Response> {
    this.#busy++;
    connection.inFlight++;
    const exchange = new NativeExchange(request, {
      remote: connection.remote,
      local: connection.local,
      limitBodyBytes: this.#limitBodyBytes,
      serverNameOf: this.#serverNameOf,
      completed: info.completed,
    });
    connection.requestLine = exchange.requestLine;
    connection.host = exchange.request.host;
    this.#setState(connection, "busy");
    let result: ReturnType<Handler>;
    try {
      refuseDeclaredTooLarge(request, this.#limitBodyBytes);
      result = this.#handler(exchange.request);
    } catch (error) {
      return this.#send(connection, exchange, exchange.failed(error, this.#logger), info);
    }
    // An answer given at once goes back at once: Deno sends a Response it is handed sooner
    // than one it has to wait for.
    if (!(result instanceof Promise)) {
      return this.#send(connection, exchange, result ?? errorResponse(404), info);
    }
    return result.then(
      (response) => this.#send(connection, exchange, response ?? errorResponse(404), info),
      (error) => this.#send(connection, exchange, exchange.failed(error, this.#logger), info),
    );
  }

  #send(
    connection: NativeConnection,
    exchange: NativeExchange,
    response: ServerResponse,
    info: Deno.ServeHandlerInfo,
  ): Response {
    const how = { method: exchange.method, closing: this.#closing, banner: this.#banner };
    let sending: Response;
    try {
      sending = nativeResponse(response, how, exchange.sent);
    } catch (error) {
      // A field the Fetch standard refuses (a bad name or value from a handler).
      response = exchange.failed(error, this.#logger);
      sending = nativeResponse(response, how, exchange.sent);
    }
    exchange.answered(response, sending.status, how.closing);
    info.completed.then(
      () => this.#finish(connection, exchange, "done", how.closing),
      () => this.#finish(connection, exchange, "aborted", how.closing),
    );
    return sending;
  }

  #finish(
    connection: NativeConnection,
    exchange: NativeExchange,
    end: "done" | "aborted",
    closing: boolean,
  ): void {
    this.#busy--;
    connection.inFlight--;
    connection.requests++;
    exchange.finished(end);
    this.#onExchange?.(exchange);
    if (connection.inFlight > 0 || connection.state === "closed") return;
    connection.requestLine = "";
    connection.host = "";
    this.#setState(connection, "keepalive");
    // Deno's server keeps a connection after a `Connection: close` answer until the client
    // closes it: close it here, as mpmd's engine does.
    if (closing) this.#end(connection);
  }

  /** Asks Deno's server to close `connection` once what it has in flight is answered. */
  #end(connection: NativeConnection): void {
    if (connection.ending || connection.server === null) return;
    connection.ending = true;
    connection.server.shutdown().catch(() => {});
  }

  #setState(connection: NativeConnection, state: ConnectionState): void {
    connection.state = state;
    this.#onState?.(connection);
  }

  #release(connection: NativeConnection): void {
    if (!this.#connections.delete(connection)) return;
    this.#setState(connection, "closed");
    if (this.#connections.size === 0) {
      for (const wake of this.#shutdownWaiters.splice(0)) wake();
    }
  }
}

function endpointOf(addr: Deno.Addr): Endpoint {
  return "hostname" in addr ? { hostname: addr.hostname, port: addr.port } : EMPTY_ENDPOINT;
}

const EMPTY_ENDPOINT: Endpoint = { hostname: "", port: 0 };
