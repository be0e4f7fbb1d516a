/**
 * The keep-alive connections of one slot to its backends: per backend at most `max=` open
 * (more requests wait for one to come free), idle ones reused newest first and closed after
 * `ttl=`. A slot is one isolate, so nothing here is shared between threads.
 *
 * @module
 */

import { TIMED_OUT, withDeadline } from "../../base/mod.ts";
import type { ProxyWorker } from "../../server/config/mod.ts";
import type { BackendAddress } from "./backend_address.ts";
import { BackendConnection, BackendError } from "./backend_connection.ts";
import { SilenceWatch } from "./silence_watch.ts";

/** One backend's connections. */
interface Backend {
  /** Open connections, idle or in use. */
  open: number;
  /** Idle connections, the most recently used last. */
  readonly idle: BackendConnection[];
  /** Exchanges waiting for a connection, first come first served. */
  readonly waiting: Array<() => void>;
}

/** Where to connect and how. */
export interface ConnectTarget {
  /** The backend. */
  readonly address: BackendAddress;
  /** The worker's settings (`max=`, `keepalive=`). */
  readonly worker: ProxyWorker;
  /** How long to wait for a free slot and then for the connection. */
  readonly connectTimeoutMs: number;
}

/** A connection and whether it comes from the pool (then it may be stale). */
export interface Acquired {
  /** The connection, owned by the caller until {@link BackendPool.release}. */
  readonly connection: BackendConnection;
  /** It carried an exchange before. */
  readonly reused: boolean;
}

/** The pool of one slot. */
export class BackendPool {
  /** The watch on the silence of this slot's backends (one timer for all). */
  readonly silence: SilenceWatch = new SilenceWatch();
  readonly #backends = new Map<string, Backend>();

  #backend(authority: string): Backend {
    let backend = this.#backends.get(authority);
    if (backend === undefined) {
      backend = { open: 0, idle: [], waiting: [] };
      this.#backends.set(authority, backend);
    }
    return backend;
  }

  /**
   * An idle connection to the backend, or a new one when fewer than `max=` are open, or the
   * first to come free; the idle one without a promise.
   *
   * @param target The backend and the worker's settings.
   * @param options `fresh`: never an idle one (the retry after a stale one failed).
   * @throws {BackendError} when no connection could be made in time.
   */
  acquire(target: ConnectTarget, options: { fresh: boolean }): Acquired | Promise<Acquired> {
    const backend = this.#backend(target.address.authority);
    // The common case answers at once: an async function would add a promise hop to it.
    if (!options.fresh) {
      const idle = backend.idle.pop();
      if (idle !== undefined) {
        clearTimeout(idle.idleTimer);
        return { connection: idle, reused: true };
      }
    }
    return this.#connect(backend, target, options);
  }

  /** {@link acquire} when no idle connection was at hand: waits for room, then connects. */
  async #connect(
    backend: Backend,
    target: ConnectTarget,
    options: { fresh: boolean },
  ): Promise<Acquired> {
    const { hostname, port, authority } = target.address;
    const deadline = Date.now() + target.connectTimeoutMs;
    for (;;) {
      if (!options.fresh) {
        const idle = backend.idle.pop();
        if (idle !== undefined) {
          clearTimeout(idle.idleTimer);
          return { connection: idle, reused: true };
        }
      }
      if (backend.open < target.worker.max) break;
      if (options.fresh && backend.idle.length > 0) {
        // Room for the fresh one: the oldest idle connection is the likeliest stale.
        backend.idle.shift()!.close();
        backend.open--;
        break;
      }
      const turn = Promise.withResolvers<void>();
      backend.waiting.push(turn.resolve);
      if (await withDeadline(turn.promise, deadline - Date.now()) === TIMED_OUT) {
        const at = backend.waiting.indexOf(turn.resolve);
        if (at >= 0) backend.waiting.splice(at, 1);
        throw new BackendError(
          `Cannot get a connection: all ${target.worker.max} (max=) stayed busy for ${target.connectTimeoutMs} ms`,
          { beforeAnswer: true },
        );
      }
    }
    backend.open++;
    try {
      const connecting = Deno.connect({ hostname, port });
      const conn = await withDeadline(connecting, deadline - Date.now());
      if (conn === TIMED_OUT) {
        connecting.then((late) => late.close(), () => {});
        throw new BackendError(
          `Cannot connect: no connection within ${target.connectTimeoutMs} ms`,
          { beforeAnswer: true, cause: TIMED_OUT },
        );
      }
      conn.setNoDelay(true);
      if (target.worker.tcpKeepAlive) conn.setKeepAlive(true);
      return { connection: new BackendConnection(conn, authority), reused: false };
    } catch (error) {
      this.#closed(backend);
      if (error instanceof BackendError) throw error;
      throw new BackendError(`Cannot connect: ${(error as Error).message ?? error}`, {
        beforeAnswer: true,
        cause: error,
      });
    }
  }

  /**
   * Gives a connection back: kept idle when `reusable` (for `ttl=` at most), else closed.
   *
   * @param connection A connection {@link acquire} gave.
   * @param reusable The exchange ended cleanly and both sides allow another.
   * @param worker The worker's settings (`ttl=`).
   */
  release(connection: BackendConnection, reusable: boolean, worker: ProxyWorker): void {
    const backend = this.#backend(connection.authority);
    connection.exchanges++;
    if (!reusable || connection.closed) {
      connection.close();
      this.#closed(backend);
      return;
    }
    const waiter = backend.waiting.shift();
    backend.idle.push(connection);
    if (worker.ttlMs > 0) {
      const timer = setTimeout(() => {
        const at = backend.idle.indexOf(connection);
        if (at < 0) return;
        backend.idle.splice(at, 1);
        connection.close();
        this.#closed(backend);
      }, worker.ttlMs);
      Deno.unrefTimer(timer);
      connection.idleTimer = timer;
    }
    waiter?.();
  }

  /** A connection of `backend` is gone: one waiting exchange may open another. */
  #closed(backend: Backend): void {
    backend.open--;
    backend.waiting.shift()?.();
  }

  /** Closes every idle connection (the slot is stopping). */
  close(): void {
    for (const backend of this.#backends.values()) {
      for (const connection of backend.idle.splice(0)) {
        connection.close();
        backend.open--;
      }
    }
  }
}
