/**
 * One engine face over two: the HTTP/1.1 engine (mpmd's own) and the HTTP/2 engine (Deno's
 * server), a TLS connection going to the one its handshake chose by ALPN. Plain connections and
 * TLS connections that chose HTTP/1.1 (or offered no ALPN) stay with the HTTP/1.1 engine, so
 * that HTTP/1.1 keeps mpmd's limits and timeouts.
 *
 * @module
 */

import {
  type EngineStats,
  type HttpEngine,
  type ShutdownOptions,
  TlsConnection,
} from "../server/http/mod.ts";
import { TIMED_OUT, withDeadline } from "../base/mod.ts";

/** Options of {@link routeByAlpn}. */
export interface AlpnRouteOptions {
  /** Serves plain connections and TLS ones that chose HTTP/1.x. */
  readonly http1: HttpEngine;
  /** Serves TLS connections that chose h2. */
  readonly h2: HttpEngine;
  /**
   * How long a handshake may take (RequestReadTimeout's header stage); 0: no limit. A
   * connection closed for it is counted and logged as a handshake timeout by its TLS layer.
   */
  readonly handshakeMs: number;
}

/** An engine handing each connection to `http1` or `h2` as its TLS handshake decides. */
export function routeByAlpn(options: AlpnRouteOptions): HttpEngine {
  return new AlpnRoute(options);
}

class AlpnRoute implements HttpEngine {
  readonly #http1: HttpEngine;
  readonly #h2: HttpEngine;
  readonly #handshakeMs: number;
  /**
   * Connections whose handshake is still running: read by {@link stats} as reading, and
   * waited for by {@link shutdown}, as they belong to neither engine yet.
   */
  readonly #handshaking = new Set<TlsConnection>();
  /** Wake each {@link shutdown} waiting once no handshake runs. */
  readonly #handshakeWaiters: (() => void)[] = [];

  constructor(options: AlpnRouteOptions) {
    this.#http1 = options.http1;
    this.#h2 = options.h2;
    this.#handshakeMs = options.handshakeMs;
  }

  get stats(): EngineStats {
    const a = this.#http1.stats;
    const b = this.#h2.stats;
    return {
      connections: a.connections + b.connections + this.#handshaking.size,
      reading: a.reading + b.reading + this.#handshaking.size,
      busy: a.busy + b.busy,
      writing: a.writing + b.writing,
      keepAliveIdle: a.keepAliveIdle + b.keepAliveIdle,
      closing: a.closing + b.closing,
      tunnels: a.tunnels + b.tunnels,
    };
  }

  serve(listener: Deno.Listener): Promise<void> {
    return this.#http1.serve(listener);
  }

  async handleConnection(conn: Deno.Conn): Promise<void> {
    if (!(conn instanceof TlsConnection)) return await this.#http1.handleConnection(conn);
    this.#handshaking.add(conn);
    let negotiated: string | null | typeof TIMED_OUT;
    try {
      negotiated = this.#handshakeMs > 0
        ? await withDeadline(conn.negotiated, this.#handshakeMs)
        : await conn.negotiated;
    } finally {
      this.#handshaking.delete(conn);
      if (this.#handshaking.size === 0) {
        for (const wake of this.#handshakeWaiters.splice(0)) wake();
      }
    }
    if (negotiated === TIMED_OUT) conn.close();
    // A failed or closed handshake goes to the HTTP/1.1 engine too, whose read sees the end
    // and closes the connection as it does any other's (the slot counts it closed then).
    const engine = negotiated === "h2" ? this.#h2 : this.#http1;
    await engine.handleConnection(conn);
  }

  stopAccepting(): void {
    this.#http1.stopAccepting();
    this.#h2.stopAccepting();
  }

  closeIdle(): number {
    return this.#http1.closeIdle() + this.#h2.closeIdle();
  }

  closeTunnels(): number {
    return this.#http1.closeTunnels() + this.#h2.closeTunnels();
  }

  drain(): void {
    this.#http1.drain();
    this.#h2.drain();
  }

  /**
   * Lets every handshake under way reach its engine first (a connection accepted as the slot
   * retires is served, not dropped), within the grace; then shuts both engines down.
   */
  async shutdown(options?: ShutdownOptions): Promise<void> {
    if (this.#handshaking.size > 0) {
      const over = new Promise<void>((resolve) => this.#handshakeWaiters.push(resolve));
      if (await withDeadline(over, options?.graceMs ?? Infinity) === TIMED_OUT) {
        for (const conn of this.#handshaking) conn.close();
      }
    }
    await Promise.all([this.#http1.shutdown(options), this.#h2.shutdown(options)]);
  }
}
