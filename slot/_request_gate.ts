/**
 * event's MaxRequestsPerThread inside one thread: at most `cap` handlers run at once; a
 * request that arrives on a connection the thread already holds while it is full waits for a
 * place, and the slot stops accepting while the gate is full. A handler counts until it has
 * returned its response (a streamed body still being sent does not count).
 *
 * @module
 */

import type { Handler } from "../server/http/mod.ts";

/** A counting gate in front of a thread's handler. */
export class RequestGate {
  readonly #cap: number;
  readonly #onRoom: () => void;
  readonly #onFull: (full: boolean) => void;
  readonly #waiting: Array<() => void> = [];
  #inFlight = 0;

  /**
   * @param cap Handlers that may run at once (at least 1).
   * @param hooks `onRoom`: a place freed and no request was waiting for it; `onFull`: the gate
   *   became full (`true`) or has room again (`false`).
   */
  constructor(
    cap: number,
    hooks: { readonly onRoom: () => void; readonly onFull: (full: boolean) => void },
  ) {
    this.#cap = cap;
    this.#onRoom = hooks.onRoom;
    this.#onFull = hooks.onFull;
  }

  /** Whether `cap` handlers are running. */
  get full(): boolean {
    return this.#inFlight >= this.#cap;
  }

  /** `handler` behind the gate. */
  wrap(handler: Handler): Handler {
    return (request) => {
      if (!this.full) {
        this.#inFlight++;
        if (this.full) this.#onFull(true);
        return this.#run(handler, request);
      }
      return new Promise((resolve, reject) => {
        // Run when a handler ends, in its place: the count does not change.
        this.#waiting.push(() => {
          try {
            resolve(this.#run(handler, request));
          } catch (error) {
            reject(error);
          }
        });
      });
    };
  }

  /** Runs a request already counted in the gate; its end frees the place. */
  #run(handler: Handler, request: Parameters<Handler>[0]): ReturnType<Handler> {
    let result: ReturnType<Handler>;
    try {
      result = handler(request);
    } catch (error) {
      this.#release();
      throw error;
    }
    if (!(result instanceof Promise)) {
      this.#release();
      return result;
    }
    return result.finally(() => this.#release());
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) {
      next();
      return;
    }
    const wasFull = this.full;
    this.#inFlight--;
    if (wasFull) this.#onFull(false);
    this.#onRoom();
  }
}
