/**
 * The periodic copy of a process's scoreboard region to the shared file: what makes the
 * scoreboard readable by other processes at most {@link FLUSH_INTERVAL_MS} stale, and what a
 * crashed child leaves behind (its last flush) until the parent clears it.
 *
 * @module
 */

import type { ProcessScoreboard } from "./process_scoreboard.ts";
import { ScoreboardError } from "./scoreboard_error.ts";
import type { ScoreboardFile } from "./scoreboard_file.ts";

/**
 * How often a process writes its region to the file. Four times per one-second maintenance
 * cycle keeps what the parent and the status page read well under a second old, for one
 * small write per 250 ms per process.
 */
export const FLUSH_INTERVAL_MS = 250;

/** What to flush, where, and how often. */
export interface FlusherOptions {
  /** This process's region, the source of each copy. */
  readonly scoreboard: ProcessScoreboard;
  /** The shared scoreboard file the region is copied into. */
  readonly file: ScoreboardFile;
  /** This process's index in the file (its process slot). */
  readonly index: number;
  /** Called with a failed periodic flush; the timer keeps going. */
  readonly onError: (error: ScoreboardError) => void;
  /** Milliseconds between two periodic flushes. @default {FLUSH_INTERVAL_MS} */
  readonly intervalMs?: number;
  /** The clock stamped into the region as its flush time. @default {Date.now} */
  readonly now?: () => number;
}

/** A running flusher. */
export interface Flusher {
  /** Writes the region now (e.g. right after a state change the parent should see soon). */
  flush(): void;
  /** Stops the timer and writes the region one last time; call it on the way out. */
  stop(): void;
}

/**
 * Starts flushing a process's region to the file every `intervalMs`, beginning with one
 * flush now. The timer does not keep the process alive.
 *
 * @throws {ScoreboardError} if the first flush fails
 */
export function startFlushing(options: FlusherOptions): Flusher {
  const { scoreboard, file, index, onError } = options;
  const intervalMs = options.intervalMs ?? FLUSH_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const region = new Uint8Array(scoreboard.buffer.byteLength);
  const flush = () => file.writeRegion(index, scoreboard.copyRegion(now(), region));
  flush();
  const timer = setInterval(() => {
    try {
      flush();
    } catch (error) {
      if (!(error instanceof ScoreboardError)) throw error;
      onError(error);
    }
  }, intervalMs);
  Deno.unrefTimer(timer);
  return {
    flush,
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}
