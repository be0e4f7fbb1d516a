/**
 * Takes connections from a slot's listeners one at a time, at the slot's own pace: at most
 * one `accept()` is pending per listener, and a connection the kernel handed over is never
 * dropped — not when the slot is busy elsewhere, not when the listeners are closed.
 *
 * @module
 */

import type { Logger } from "../../server/log/mod.ts";

/** Pause after an accept failure such as EMFILE, so the loop does not spin. */
const ACCEPT_RETRY_MS = 100;

type Accepted =
  | { readonly listener: Deno.Listener; readonly conn: Deno.Conn }
  | { readonly listener: Deno.Listener; readonly error: unknown };

/** What {@link Acceptor.next} returns when nothing arrived in time. */
export const QUIET = Symbol("quiet");
/** What {@link Acceptor.next} returns when {@link Acceptor.wake} interrupted the wait. */
export const WOKEN = Symbol("woken");

/** A slot's listeners as one source of connections. */
export class Acceptor {
  readonly #listeners: Set<Deno.Listener>;
  readonly #pending = new Map<Deno.Listener, Promise<Accepted>>();
  readonly #logger: Logger;
  #closed = false;
  #wake: (() => void) | null = null;

  /** Takes over `listeners`; {@link close} closes them. */
  constructor(listeners: readonly Deno.Listener[], logger: Logger) {
    this.#listeners = new Set(listeners);
    this.#logger = logger;
  }

  /** Whether {@link close} has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The next connection from any listener; `null` once every listener is closed; {@link QUIET}
   * if `quietMs` is given and nothing arrived while waiting that long; {@link WOKEN} when
   * {@link wake} was called meanwhile (the caller's situation changed: ask again).
   */
  async next(quietMs?: number): Promise<Deno.Conn | null | typeof QUIET | typeof WOKEN> {
    for (;;) {
      if (this.#closed || this.#listeners.size === 0) return null;
      for (const listener of this.#listeners) {
        if (!this.#pending.has(listener)) this.#pending.set(listener, accept(listener));
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waits: Promise<Accepted | typeof QUIET | typeof WOKEN>[] = [
        ...this.#pending.values(),
        new Promise((resolve) => this.#wake = () => resolve(WOKEN)),
      ];
      if (quietMs !== undefined) {
        waits.push(new Promise((resolve) => timer = setTimeout(() => resolve(QUIET), quietMs)));
      }
      const accepted = await Promise.race(waits);
      clearTimeout(timer);
      this.#wake = null;
      if (accepted === QUIET || accepted === WOKEN) return accepted;
      this.#pending.delete(accepted.listener);
      if ("conn" in accepted) return accepted.conn;
      if (this.#closed || isClosedListenerError(accepted.error)) {
        this.#listeners.delete(accepted.listener);
        continue;
      }
      this.#logger.error("Cannot accept connection", accepted.error);
      await new Promise((resolve) => setTimeout(resolve, ACCEPT_RETRY_MS));
    }
  }

  /** Ends a pending {@link next} with {@link WOKEN}; nothing happens if none is pending. */
  wake(): void {
    this.#wake?.();
  }

  /**
   * Closes every listener and returns the connections that pending accepts still delivered
   * (a connection can complete its handshake just as its listener closes): the caller serves
   * them like any other.
   */
  async close(): Promise<Deno.Conn[]> {
    this.#closed = true;
    for (const listener of this.#listeners) {
      try {
        listener.close();
      } catch {
        // Closed already.
      }
    }
    this.#listeners.clear();
    const settled = await Promise.all(this.#pending.values());
    this.#pending.clear();
    return settled.flatMap((accepted) => "conn" in accepted ? [accepted.conn] : []);
  }
}

function accept(listener: Deno.Listener): Promise<Accepted> {
  return listener.accept().then(
    (conn) => ({ listener, conn }),
    (error) => ({ listener, error }),
  );
}

function isClosedListenerError(error: unknown): boolean {
  return error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted;
}
