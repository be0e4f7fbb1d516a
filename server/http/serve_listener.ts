/**
 * The listeners an engine accepts from itself (`-X`, tests): every connection goes to the
 * engine at once. Under an MPM a slot accepts instead, at its own pace, and hands the engine
 * one connection at a time. Both engines serve listeners through this one loop.
 *
 * @module
 */

import type { Logger } from "../log/mod.ts";
import { delay } from "../../base/mod.ts";

/** Pause after an accept failure such as EMFILE, so the loop does not spin. */
const ACCEPT_RETRY_MS = 100;

/** An engine's own listeners, each with its accept loop, closed together. */
export class EngineListeners {
  readonly #listeners = new Set<Deno.Listener>();
  readonly #logger: Logger;
  readonly #handle: (conn: Deno.Conn) => unknown;

  /** Listeners whose connections go to `handle`; accept failures are logged to `logger`. */
  constructor(logger: Logger, handle: (conn: Deno.Conn) => unknown) {
    this.#logger = logger;
    this.#handle = handle;
  }

  /** Accepts from `listener` until it is closed ({@link closeAll}); resolves then. */
  async serve(listener: Deno.Listener): Promise<void> {
    this.#listeners.add(listener);
    try {
      while (this.#listeners.has(listener)) {
        let conn: Deno.Conn;
        try {
          conn = await listener.accept();
        } catch (error) {
          if (!this.#listeners.has(listener) || isClosedListenerError(error)) return;
          this.#logger.error("Cannot accept connection", error);
          await delay(ACCEPT_RETRY_MS);
          continue;
        }
        void this.#handle(conn);
      }
    } finally {
      this.#listeners.delete(listener);
    }
  }

  /** Closes every listener being served; open connections are not affected. */
  closeAll(): void {
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) {
      try {
        listener.close();
      } catch {
        // Closed elsewhere already.
      }
    }
  }
}

/** Whether `error` is what a pending accept fails with once its listener is closed. */
export function isClosedListenerError(error: unknown): boolean {
  return error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted;
}
