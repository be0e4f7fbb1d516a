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
  readonly #waiting: Array<() => void> = [];
  #inFlight = 0;

  /**
   * @param cap Handlers that may run at once (at least 1).
   * @param onRoom Called when a place frees and no request was waiting for it.
   */
  constructor(cap: number, onRoom: () => void) {
    this.#cap = cap;
    this.#onRoom = onRoom;
  }

  /** Whether `cap` handlers are running. */
  get full(): boolean {
    return this.#inFlight >= this.#cap;
  }

  /** `handler` behind the gate. */
  wrap(handler: Handler): Handler {
    return (request) => {
      if (!this.full) return this.#run(handler, request);
      return new Promise((resolve, reject) => {
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

  #run(handler: Handler, request: Parameters<Handler>[0]): ReturnType<Handler> {
    this.#inFlight++;
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
    this.#inFlight--;
    const next = this.#waiting.shift();
    if (next !== undefined) next();
    else this.#onRoom();
  }
}
