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
  /** Where it stands in its watch's list; -1 once it is no longer watched. */
  index: number = -1;
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

/**
 * The watches of one slot and the one timer that sweeps them. They are kept in a plain list,
 * each knowing its place, not in a Set: with a Set, nearly every exchange's objects outlived
 * two young-generation collections and were copied to the old one (measured with
 * --trace-gc: 2.8 KB promoted and ~10 us of scavenging per proxied request, against ~0.1 KB
 * and ~1 us with the list).
 */
export class SilenceWatch {
  readonly #watched: Silence[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * Watches an exchange: `onExpire` runs once its backend has been silent for `ms` (give or
   * take {@link SWEEP_MS}).
   */
  start(ms: number, onExpire: () => void): Silence {
    const silence = new Silence(this, ms, onExpire);
    silence.index = this.#watched.length;
    this.#watched.push(silence);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), SWEEP_MS);
      // An idle slot may exit while exchanges are watched: they end with it.
      Deno.unrefTimer(this.#timer);
    }
    return silence;
  }

  /** Stops watching `silence`. */
  forget(silence: Silence): void {
    const at = silence.index;
    if (at < 0) return;
    silence.index = -1;
    // The last one takes its place: no hole, no shifting.
    const last = this.#watched.pop()!;
    if (last !== silence) {
      last.index = at;
      this.#watched[at] = last;
    }
  }

  #sweep(): void {
    const now = Date.now();
    // Backwards: forgetting one moves the last (already looked at) into its place.
    for (let i = this.#watched.length - 1; i >= 0; i--) {
      const silence = this.#watched[i]!;
      if (silence.deadline > now) continue;
      this.forget(silence);
      silence.expire();
    }
    if (this.#watched.length === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
