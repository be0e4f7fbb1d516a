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
import type { AccessRecord, Endpoint, Logger, TlsRecord } from "../log/mod.ts";
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
  TlsConnection,
} from "../http/mod.ts";
import { withDeadline } from "../../base/mod.ts";
import { relay, UnixPairs } from "./_unix_pairs.ts";

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
  return new NativeEngine(config, options, null);
}

/**
 * Creates the engine of HTTP/2 over TLS: Deno's server (hyper) given the TLS connections whose
 * handshake chose `h2`, their decrypted bytes relayed to it through a Unix socket pair (Deno's
 * server takes only its own resources). Each stream is one exchange with the same site
 * handler, access records (`%H` HTTP/2.0) and scoreboard states as the other engines; an idle
 * connection is closed (GOAWAY) after KeepAliveTimeout; KeepAlive Off does not apply.
 *
 * @throws {Error} when this Deno offers no way to serve one connection with its server.
 */
export function createH2Engine(config: ServerConfig, options: NativeEngineOptions): HttpEngine {
  return new NativeEngine(config, options, {
    pairs: new UnixPairs(),
    idleMs: config.keepAliveTimeoutMs,
  });
}

/** How the HTTP/2 engine reaches Deno's server, and how long a connection may idle. */
interface Relayed {
  /** Where the far ends that Deno's server reads come from. */
  readonly pairs: UnixPairs;
  /** An idle connection (no stream open) is closed after this long; 0: never. */
  readonly idleMs: number;
}

/**
 * Ids of the HTTP/2 engine's connections start here, apart from the HTTP/1.1 engine's beside
 * it: the slot keeps both engines' connections in the same sets, by id.
 */
const RELAYED_FIRST_ID = 2 ** 40;

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
  /** Closes the connection once it has idled too long (HTTP/2); armed at most once at a time. */
  idleTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** When the connection last had no stream open (`performance.now()`). */
  idleSinceMs = 0;

  constructor(
    readonly id: number,
    readonly remote: Endpoint,
    readonly local: Endpoint,
    readonly tls: TlsRecord | null,
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
  #nextId: number;
  #busy = 0;
  readonly #relayed: Relayed | null;
  readonly #protocol: "HTTP/1.1" | "HTTP/2.0";

  constructor(config: ServerConfig, options: NativeEngineOptions, relayed: Relayed | null) {
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
    this.#relayed = relayed;
    this.#protocol = relayed === null ? "HTTP/1.1" : "HTTP/2.0";
    this.#nextId = relayed === null ? 1 : RELAYED_FIRST_ID;
    // HTTP/2 multiplexes: one request per connection would defeat it (httpd's mod_http2 keeps
    // its sessions whatever KeepAlive says).
    this.#closing = relayed === null && !config.keepAlive;
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
      conn instanceof TlsConnection ? conn.tls : null,
    );
    this.#connections.add(connection);
    this.#onState?.(connection);
    if (this.#relayed === null) return this.#serve(connection, conn);
    this.#idleFrom(connection);
    return this.#relayed.pairs.open().then(
      ([near, far]) => {
        const relaying = relay(conn, near, (error) => this.#ended(connection, error));
        return Promise.all([relaying, this.#serve(connection, far)]).then(() => {});
      },
      (error) => {
        this.#logger.error("Cannot relay an HTTP/2 connection to Deno's server", error);
        conn.close();
        this.#release(connection);
      },
    );
  }

  /** Serves `conn` with Deno's server until it closes. */
  #serve(connection: NativeConnection, conn: Deno.Conn): Promise<void> {
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
        this.#ended(connection, error);
        this.#release(connection);
      },
    );
  }

  #ended(connection: NativeConnection, error: unknown): void {
    if (this.#logger.enabled("debug")) {
      this.#logger.debug(`Connection from ${connection.remote.hostname} ended: ${error}`);
    }
  }

  /**
   * Starts the idle clock of an HTTP/2 connection that has no stream open. A stream ends
   * thousands of times a second on a busy connection: rather than a new timer each time, the
   * one timer armed looks at when the connection last went idle, and waits again for the rest.
   */
  #idleFrom(connection: NativeConnection): void {
    const idleMs = this.#relayed?.idleMs ?? 0;
    if (idleMs === 0) return;
    connection.idleSinceMs = performance.now();
    if (connection.idleTimer === undefined) this.#armIdle(connection, idleMs);
  }

  #armIdle(connection: NativeConnection, waitMs: number): void {
    connection.idleTimer = setTimeout(() => {
      connection.idleTimer = undefined;
      // Busy now: the stream that ends last starts the clock again.
      if (connection.inFlight > 0) return;
      const idleMs = this.#relayed?.idleMs ?? 0;
      const leftMs = connection.idleSinceMs + idleMs - performance.now();
      if (leftMs > 0) this.#armIdle(connection, leftMs);
      else this.#end(connection);
    }, waitMs);
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
    if (this.#connections.size > 0) {
      const allClosed = new Promise<void>((resolve) => this.#shutdownWaiters.push(resolve));
      // Deno's server cannot abort a request in flight: after the grace the slot's isolate,
      // which ends next, takes what is left with it.
      await withDeadline(allClosed, graceMs);
    }
    this.#relayed?.pairs.close();
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
      tls: connection.tls,
      version: this.#protocol,
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
    // HTTP/2 has no Connection field (RFC 9113 section 8.2.2): a draining engine closes its
    // connections with GOAWAY instead.
    const closing = this.#closing && this.#relayed === null;
    const how = { method: exchange.method, closing, banner: this.#banner };
    let sending: Response;
    try {
      sending = nativeResponse(response, how, exchange.sent);
    } catch (error) {
      // A field the Fetch standard refuses (a bad name or value from a handler).
      response = exchange.failed(error, this.#logger);
      sending = nativeResponse(response, how, exchange.sent);
    }
    exchange.answered(response, sending.status, this.#closing);
    // What the handler left of the body is read away (see discardUnreadBody), unless a module
    // streaming its answer may still be reading it (the proxy forwarding an upload). An app
    // reading it through its `Request` keeps it to itself.
    const streamed = response.web === undefined && response.body !== null &&
      !(response.body instanceof Uint8Array);
    if (!streamed) void exchange.request.discardUnreadBody();
    info.completed.then(
      () => this.#finish(connection, exchange, "done", this.#closing),
      () => this.#finish(connection, exchange, "aborted", this.#closing),
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
    if (this.#relayed !== null) this.#idleFrom(connection);
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
    clearTimeout(connection.idleTimer);
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
