/**
 * mod_reqtimeout's deadline arithmetic for RequestReadTimeout, as a pure function: a phase
 * (reading the head, reading the body) gets an initial time, extended by one second for
 * each MinRate bytes received, up to a ceiling.
 *
 * @module
 */

import type { ReadTimeout } from "../config/mod.ts";

/**
 * The time by which a read phase must be complete.
 *
 * @param startMs When the phase began (ms since the epoch).
 * @param bytes Bytes received in this phase so far.
 * @param timeout The phase's RequestReadTimeout setting.
 * @returns A time in ms since the epoch; `Infinity` when the limit is disabled.
 */
export function readDeadline(startMs: number, bytes: number, timeout: ReadTimeout): number {
  if (timeout.initialMs <= 0) return Infinity;
  const initial = startMs + timeout.initialMs;
  if (timeout.minRateBytesPerSec <= 0) return initial;
  // Continuous, as mod_reqtimeout does it: each byte buys 1/MinRate of a second.
  return Math.min(startMs + timeout.maxMs, initial + (bytes * 1000) / timeout.minRateBytesPerSec);
}
