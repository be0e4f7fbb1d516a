/**
 * The signals that stop mpmd, as promises. Installed once, before anything is opened, and
 * kept until exit: a stop signal during startup or during a graceful stop is acted on
 * instead of killing the process with its logs unflushed.
 *
 * @module
 */

/** The stop requests that signals make, in the order they come. */
export interface StopSignals extends Disposable {
  /** The first request's grace period: 0 to stop (SIGTERM, SIGINT), else graceful (SIGWINCH). */
  readonly first: Promise<number>;
  /** Resolves on the first SIGTERM or SIGINT, also one that follows a SIGWINCH. */
  readonly immediate: Promise<void>;
}

/**
 * Listens for the stop signals until disposed: SIGTERM and SIGINT stop at once, SIGWINCH
 * stops gracefully (httpd's graceful-stop).
 *
 * @param gracefulShutdownTimeoutMs how long a graceful stop may take; 0 means no limit.
 */
export function watchStopSignals(gracefulShutdownTimeoutMs: number): StopSignals {
  const graceful = gracefulShutdownTimeoutMs === 0 ? Infinity : gracefulShutdownTimeoutMs;
  const first = Promise.withResolvers<number>();
  const immediate = Promise.withResolvers<void>();
  const stop = () => {
    first.resolve(0);
    immediate.resolve();
  };
  const handlers: Array<[Deno.Signal, () => void]> = [
    ["SIGTERM", stop],
    ["SIGINT", stop],
    ["SIGWINCH", () => first.resolve(graceful)],
  ];
  for (const [signal, handler] of handlers) Deno.addSignalListener(signal, handler);
  return {
    first: first.promise,
    immediate: immediate.promise,
    [Symbol.dispose]() {
      for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
    },
  };
}
