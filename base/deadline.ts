/**
 * Waits bounded in time, written once: a race between a promise and a timer that is always
 * cleared, so that no timer outlives the wait and keeps a process alive.
 *
 * @module
 */

/** What {@link withDeadline} resolves with when the time ran out first. */
export const TIMED_OUT: unique symbol = Symbol("timed out");

/**
 * Resolves as `promise` does, or with {@link TIMED_OUT} once `ms` have passed first (never for
 * `Infinity`). Rejects as `promise` does, if it does so in time.
 */
export async function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
): Promise<T | typeof TIMED_OUT> {
  if (!Number.isFinite(ms)) return await promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms`: a pause (after a failed accept, between two starts). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
