/**
 * The HTTP/1.1 engine: accept loops over `Deno.Listener`s, the live connections, one sweeper
 * that enforces every connection's time limits, counters for the scoreboard, and graceful
 * shutdown. The MPM layer drives it; it knows nothing about processes or threads.
 *
 * @module
 */

import { serverBanner } from "./version.ts";
import { BufferPool } from "./_buffer_pool.ts";
import type { ConnectionHost } from "./_connection_host.ts";
import { HttpConnection } from "./connection.ts";
import { maxHeadBytes } from "./head_scanner.ts";
import { drainIdleGraceMs } from "./keep_alive.ts";
import { EngineListeners } from "./serve_listener.ts";
import {
  type ConnectionState,
  DEFAULT_ENGINE_SETTINGS,
  type EngineSettings,
  type HttpEngineOptions,
  type ServerNameOf,
} from "./engine_options.ts";
import type { Logger } from "../log/mod.ts";
import { TIMED_OUT, withDeadline } from "../../base/mod.ts";

/** Connection counts by state. */
export interface EngineStats {
  /** Open connections, whatever their state. */
  readonly connections: number;
  /** Waiting for or reading a request head. */
  readonly reading: number;
  /** A handler is running. */
  readonly busy: number;
  /** Writing a response. */
  readonly writing: number;
  /** Idle kept-alive connections. */
  readonly keepAliveIdle: number;
  /** In lingering close. */
  readonly closing: number;
  /** Tunnelling bytes after a protocol switch. */
  readonly tunnels: number;
}

/** Options of {@link HttpEngine.shutdown}. */
export interface ShutdownOptions {
  /**
   * How long in-flight requests may take before their connections are aborted.
   * @default Infinity
   */
  readonly graceMs?: number;
}

/**
 * An HTTP/1.1 server engine that the MPM layer feeds with listeners or connections: mpmd's
 * own ({@link createHttpEngine}) or Deno's native server behind the same face.
 */
export interface HttpEngine {
  /**
   * Accepts connections from `listener` until it is closed (by {@link stopAccepting} or
   * {@link shutdown}); resolves then. Connections accepted keep being served.
   */
  serve(listener: Deno.Listener): Promise<void>;
  /** Serves one already accepted connection; resolves when it is closed. */
  handleConnection(conn: Deno.Conn): Promise<void>;
  /** Closes every listener being served; open connections are not affected. */
  stopAccepting(): void;
  /** Closes the connections idle between requests (event MPM under pressure); returns how many. */
  closeIdle(): number;
  /**
   * Closes the connections that switched protocols (their tunnels end as at their idle
   * timeout) and answers later requests to switch with 503; returns how many it closed. A
   * graceful restart bounds tunnels with this: {@link drain} waits for requests, and a tunnel
   * is not one that ends by itself.
   */
  closeTunnels(): number;
  /**
   * Starts a graceful exit without refusing anyone: every request in flight, every request
   * that arrives within a short grace on a connection idle now, and every connection still
   * handed to {@link handleConnection} gets one answer with `Connection: close`; connections
   * still idle after the grace are closed without a reset.
   */
  drain(): void;
  /**
   * Stops accepting and drains; lets in-flight requests finish, aborts what is left after
   * `graceMs`, and resolves when every connection is closed.
   */
  shutdown(options?: ShutdownOptions): Promise<void>;
  /** Current connection counts (computed on read). */
  readonly stats: EngineStats;
}

/** The sweeper runs at a quarter of the shortest limit, clamped to this range. */
const MIN_SWEEP_MS = 10;
const MAX_SWEEP_MS = 250;
/** Receive and output buffers start at this size (a typical head, or head and a small body). */
const BUFFER_BYTES = 4096;
/** Buffers kept for new connections: up to 4 MiB. */
const MAX_FREE_BUFFERS = 1024;
const STATE_INDEX: Readonly<Record<ConnectionState, number>> = {
  read: 0,
  busy: 1,
  write: 2,
  keepalive: 3,
  closing: 4,
  closed: 5,
  tunnel: 6,
};

/**
 * The most fields the engine ever accepts: LimitRequestFields 0 means "unlimited" in httpd,
 * but every head still has to fit in memory, so 0 stands for the largest value httpd allows.
 */
const MAX_REQUEST_FIELDS = 32767;

function fieldLimit(configured: number): number {
  return configured === 0 ? MAX_REQUEST_FIELDS : configured;
}

function sweepIntervalMs(settings: EngineSettings): number {
  const limits = [
    settings.timeoutMs,
    settings.keepAliveTimeoutMs,
    settings.requestReadTimeout.header.initialMs,
    settings.requestReadTimeout.body.initialMs,
  ].filter((ms) => ms > 0);
  const shortest = Math.min(...limits, 4 * MAX_SWEEP_MS);
  return Math.max(MIN_SWEEP_MS, Math.min(MAX_SWEEP_MS, Math.floor(shortest / 4)));
}

/**
 * `hook`, made to log its failure: hooks run inside the accept loop, the sweeper's timer and
 * the closing of a connection, where a throw would stop accepting, crash the process or leave
 * the connection counted forever.
 */
function guarded<T>(
  hook: ((value: T) => void) | undefined,
  name: string,
  logger: Logger,
): ((value: T) => void) | undefined {
  if (hook === undefined) return undefined;
  return (value) => {
    try {
      hook(value);
    } catch (error) {
      logger.error(`Cannot run the engine's ${name} hook`, error);
    }
  };
}

/**
 * Creates an engine. Settings missing from `options` take httpd's defaults
 * ({@link DEFAULT_ENGINE_SETTINGS}).
 */
export function createHttpEngine(options: HttpEngineOptions): HttpEngine {
  return new Engine(options);
}

class Engine implements HttpEngine, ConnectionHost {
  readonly settings: Readonly<EngineSettings>;
  readonly handler: HttpEngineOptions["handler"];
  readonly logger: Logger;
  readonly serverNameOf: ServerNameOf;
  readonly banner: string;
  readonly maxHeadBytes: number;
  readonly onExchange: HttpEngineOptions["onExchange"];
  readonly onState: HttpEngineOptions["onState"];
  readonly buffers = new BufferPool(BUFFER_BYTES, MAX_FREE_BUFFERS);
  draining = false;
  tunnelsClosed = false;
  /** Set by {@link shutdown}: a connection handed over after it is closed unserved. */
  #shutDown = false;

  readonly #connections = new Set<HttpConnection>();
  readonly #own: EngineListeners;
  readonly #counts = [0, 0, 0, 0, 0, 0, 0];
  readonly #sweepMs: number;
  #sweeper: ReturnType<typeof setInterval> | null = null;
  #nextId = 1;
  /** Resolvers of the pending {@link shutdown} calls (a graceful stop may be followed by a hard one). */
  readonly #shutdownWaiters: Array<() => void> = [];

  constructor(options: HttpEngineOptions) {
    const d = DEFAULT_ENGINE_SETTINGS;
    this.settings = Object.freeze({
      timeoutMs: options.timeoutMs ?? d.timeoutMs,
      keepAlive: options.keepAlive ?? d.keepAlive,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? d.keepAliveTimeoutMs,
      maxKeepAliveRequests: options.maxKeepAliveRequests ?? d.maxKeepAliveRequests,
      requestReadTimeout: options.requestReadTimeout ?? d.requestReadTimeout,
      limitRequestLine: options.limitRequestLine ?? d.limitRequestLine,
      limitRequestFieldSize: options.limitRequestFieldSize ?? d.limitRequestFieldSize,
      limitRequestFields: fieldLimit(options.limitRequestFields ?? d.limitRequestFields),
      limitRequestBodyBytes: options.limitRequestBodyBytes ?? d.limitRequestBodyBytes,
      serverTokens: options.serverTokens ?? d.serverTokens,
    });
    this.handler = options.handler;
    this.logger = options.logger;
    this.serverNameOf = options.serverNameOf ?? (() => "localhost");
    this.banner = serverBanner(this.settings.serverTokens);
    const s = this.settings;
    this.maxHeadBytes = maxHeadBytes(s);
    this.onExchange = guarded(options.onExchange, "onExchange", this.logger);
    this.onState = guarded(options.onState, "onState", this.logger);
    this.#sweepMs = sweepIntervalMs(s);
    this.#own = new EngineListeners(this.logger, (conn) => this.handleConnection(conn));
  }

  get stats(): EngineStats {
    const c = this.#counts;
    return {
      connections: this.#connections.size,
      reading: c[0]!,
      busy: c[1]!,
      writing: c[2]!,
      keepAliveIdle: c[3]!,
      closing: c[4]!,
      tunnels: c[6]!,
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
    const connection = new HttpConnection(conn, {
      host: this,
      id: this.#nextId++,
      nowMs: Date.now(),
    });
    this.#connections.add(connection);
    this.#counts[STATE_INDEX[connection.state]]!++;
    this.onState?.(connection);
    if (this.#sweeper === null) {
      const sweeper = setInterval(() => this.#sweep(), this.#sweepMs);
      Deno.unrefTimer(sweeper);
      this.#sweeper = sweeper;
    }
    return connection.run();
  }

  stateChanged(from: ConnectionState, to: ConnectionState): void {
    this.#counts[STATE_INDEX[from]]!--;
    this.#counts[STATE_INDEX[to]]!++;
  }

  release(connection: HttpConnection): void {
    if (!this.#connections.delete(connection)) return;
    this.#counts[STATE_INDEX.closed]!--;
    if (this.#connections.size === 0) {
      if (this.#sweeper !== null) {
        clearInterval(this.#sweeper);
        this.#sweeper = null;
      }
      for (const wake of this.#shutdownWaiters.splice(0)) wake();
    }
  }

  #sweep(): void {
    const now = Date.now();
    for (const connection of this.#connections) {
      if (connection.deadline <= now) connection.expire(now);
    }
  }

  stopAccepting(): void {
    this.#own.closeAll();
  }

  closeIdle(): number {
    return this.#abortWhere((connection) => connection.idle);
  }

  closeTunnels(): number {
    this.tunnelsClosed = true;
    return this.#abortWhere((connection) => connection.tunnelling);
  }

  /** Aborts the connections `chosen` picks; returns how many. */
  #abortWhere(chosen: (connection: HttpConnection) => boolean): number {
    let closed = 0;
    for (const connection of this.#connections) {
      if (chosen(connection)) {
        connection.abort();
        closed++;
      }
    }
    return closed;
  }

  drain(): void {
    this.draining = true;
    const deadline = Date.now() + drainIdleGraceMs(this.settings);
    for (const connection of this.#connections) connection.closeWhenIdle(deadline);
  }

  async shutdown(options: ShutdownOptions = {}): Promise<void> {
    const graceMs = options.graceMs ?? Infinity;
    this.#shutDown = true;
    this.stopAccepting();
    this.drain();
    if (this.#connections.size === 0) return;
    const allClosed = new Promise<void>((resolve) => this.#shutdownWaiters.push(resolve));
    if (await withDeadline(allClosed, graceMs) === TIMED_OUT) {
      for (const connection of this.#connections) connection.abort();
      await allClosed;
    }
  }
}
