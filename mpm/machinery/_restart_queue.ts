/**
 * The parent's restarts, one at a time and only once the first generation has started. A
 * restart asked for while another waits its turn joins it: it reads the configuration and the
 * modules as they are when it begins, so `--watch` saving file after file makes one more
 * restart, not one each.
 *
 * @module
 */

/** Restarts in order; see the module comment. */
export class RestartQueue {
  readonly #run: (graceful: boolean) => Promise<void>;
  #tail: Promise<void>;
  /** The restart queued and not begun, which later requests join. */
  #pending: { graceful: boolean } | null = null;

  /**
   * @param after what the first restart waits for (the first generation's start).
   * @param run carries out one restart.
   */
  constructor(after: Promise<void>, run: (graceful: boolean) => Promise<void>) {
    this.#tail = after;
    this.#run = run;
  }

  /** Queues a restart; a joined one stays graceful only if every request was. */
  request(graceful: boolean): void {
    const pending = this.#pending;
    if (pending !== null) {
      pending.graceful &&= graceful;
      return;
    }
    const next = { graceful };
    this.#pending = next;
    this.#tail = this.#tail.then(() => {
      this.#pending = null;
      return this.#run(next.graceful);
    });
  }
}
