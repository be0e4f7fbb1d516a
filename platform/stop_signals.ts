/**
 * The signals that stop mpmd: what each asks for ({@link stopActionOf}, pure, shared by the
 * MPM parent and `-X`), and, for `-X`, as promises. Installed once, before anything is
 * opened, and kept until exit: a stop signal during startup or during a graceful stop is
 * acted on instead of killing the process with its logs unflushed.
 *
 * @module
 */

/** A signal that stops the server. */
export type StopSignal = "SIGTERM" | "SIGINT" | "SIGWINCH";

/** What a stop signal asks of the server: stop now, stop gracefully, or nothing more. */
export type StopAction = "stop" | "graceful-stop" | "none";

/** What {@link stopActionOf} decides from besides the signal. */
export interface StopState {
  /** GracefulSigterm: a SIGTERM stops gracefully (the container setting). */
  readonly gracefulSigterm: boolean;
  /** A graceful stop is already under way. */
  readonly stoppingGracefully: boolean;
}

/**
 * What a stop signal asks for. As httpd: SIGTERM and SIGINT stop at once, SIGWINCH stops
 * gracefully; under GracefulSigterm a SIGTERM stops gracefully too, since it is what
 * `docker stop` and Kubernetes send. During a graceful stop, another graceful request
 * changes nothing, and a SIGINT (or a SIGTERM, under GracefulSigterm a second one) stops at
 * once. Pure.
 */
export function stopActionOf(signal: StopSignal, state: StopState): StopAction {
  const graceful = signal === "SIGWINCH" ||
    (signal === "SIGTERM" && state.gracefulSigterm && !state.stoppingGracefully);
  if (!graceful) return "stop";
  return state.stoppingGracefully ? "none" : "graceful-stop";
}

/** A stop request: the signal that made it and its grace period. */
export interface StopRequest {
  /** The signal. */
  readonly signal: StopSignal;
  /** 0 to stop at once; else how long in-flight requests may take (Infinity: no limit). */
  readonly graceMs: number;
}

/** The stop requests that signals make, in the order they come. */
export interface StopSignals extends Disposable {
  /** The first request. */
  readonly first: Promise<StopRequest>;
  /** Resolves on the first request to stop at once, also one that follows a graceful one. */
  readonly immediate: Promise<StopSignal>;
}

/**
 * Listens for the stop signals until disposed, each meaning what {@link stopActionOf} says.
 *
 * @param gracefulShutdownTimeoutMs how long a graceful stop may take; 0 means no limit.
 * @param gracefulSigterm whether a SIGTERM stops gracefully (GracefulSigterm).
 */
export function watchStopSignals(
  gracefulShutdownTimeoutMs: number,
  gracefulSigterm: boolean,
): StopSignals {
  const graceMs = gracefulShutdownTimeoutMs === 0 ? Infinity : gracefulShutdownTimeoutMs;
  const first = Promise.withResolvers<StopRequest>();
  const immediate = Promise.withResolvers<StopSignal>();
  let stoppingGracefully = false;
  const on = (signal: StopSignal) => () => {
    const action = stopActionOf(signal, { gracefulSigterm, stoppingGracefully });
    if (action === "graceful-stop") {
      stoppingGracefully = true;
      first.resolve({ signal, graceMs });
    } else if (action === "stop") {
      first.resolve({ signal, graceMs: 0 });
      immediate.resolve(signal);
    }
  };
  const handlers = (["SIGTERM", "SIGINT", "SIGWINCH"] as const).map(
    (signal): [StopSignal, () => void] => [signal, on(signal)],
  );
  for (const [signal, handler] of handlers) Deno.addSignalListener(signal, handler);
  return {
    first: first.promise,
    immediate: immediate.promise,
    [Symbol.dispose]() {
      for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
    },
  };
}
