/**
 * How long backends may stay silent, watched by one timer per slot: an exchange records when
 * it last heard from its backend, and a sweep a tenth of a second apart closes the connections
 * whose silence ran over. Arming a timer per exchange costs more than the proxying of a small
 * answer does in JavaScript.
 *
 * @module
 */

/** How often the sweep runs, which is also how late a timeout may be noticed. */
export const SWEEP_MS = 100;

/** One exchange's watch. */
export class Silence {
  /** The backend stayed silent too long (its connection has been closed). */
  expired = false;
  /** When the silence runs over, ms since the epoch. */
  deadline: number;
  readonly #ms: number;
  readonly #onExpire: () => void;
  readonly #watch: SilenceWatch;

  /** Starts watching; see {@link SilenceWatch.start}. */
  constructor(watch: SilenceWatch, ms: number, onExpire: () => void) {
    this.#watch = watch;
    this.#ms = ms;
    this.#onExpire = onExpire;
    this.deadline = Date.now() + ms;
  }

  /** The backend said something (or was given something to answer): the wait starts anew. */
  kick(): void {
    this.deadline = Date.now() + this.#ms;
  }

  /** The exchange is over: no more watching. */
  stop(): void {
    this.#watch.forget(this);
  }

  /** Called by the sweep when the deadline has passed. */
  expire(): void {
    this.expired = true;
    this.#onExpire();
  }
}

/** The watches of one slot and the one timer that sweeps them. */
export class SilenceWatch {
  readonly #watched = new Set<Silence>();
  #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * Watches an exchange: `onExpire` runs once its backend has been silent for `ms` (give or
   * take {@link SWEEP_MS}).
   */
  start(ms: number, onExpire: () => void): Silence {
    const silence = new Silence(this, ms, onExpire);
    this.#watched.add(silence);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), SWEEP_MS);
      // An idle slot may exit while exchanges are watched: they end with it.
      Deno.unrefTimer(this.#timer);
    }
    return silence;
  }

  /** Stops watching `silence`. */
  forget(silence: Silence): void {
    this.#watched.delete(silence);
  }

  #sweep(): void {
    const now = Date.now();
    for (const silence of this.#watched) {
      if (silence.deadline > now) continue;
      this.#watched.delete(silence);
      silence.expire();
    }
    if (this.#watched.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
