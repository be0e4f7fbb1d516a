/**
 * The parent's signals, as httpd's: SIGTERM and SIGINT stop, SIGWINCH stops gracefully,
 * SIGHUP restarts, SIGUSR2 restarts gracefully (never SIGUSR1: Deno starts its inspector on it).
 *
 * @module
 */

/** What each signal asks of the parent. */
export interface ControlHandlers {
  /** Stop now; resolves when every child is gone. */
  stop(signal: "SIGTERM" | "SIGINT"): Promise<void>;
  /** Let requests in flight finish, then stop; resolves when every child is gone. */
  gracefulStop(): Promise<void>;
  /** Restart: a new generation, the old one retired (`graceful`) or terminated. */
  restart(signal: "SIGHUP" | "SIGUSR2", graceful: boolean): void;
}

/** The installed listeners. */
export interface ControlSignals {
  /** Resolves once a stop (of either kind) has finished. */
  readonly stopped: Promise<void>;
  /** Removes the listeners. */
  dispose(): void;
}

/**
 * Installs the listeners. A second SIGWINCH is ignored; a SIGTERM during a graceful stop
 * stops at once, and whichever stop finishes first ends `stopped`.
 */
export function watchControlSignals(handlers: ControlHandlers): ControlSignals {
  const listeners: [Deno.Signal, () => void][] = [];
  const on = (signal: Deno.Signal, action: () => void) => {
    listeners.push([signal, action]);
    Deno.addSignalListener(signal, action);
  };
  const stopped = Promise.withResolvers<void>();
  let gracefulStop: Promise<void> | null = null;
  on("SIGTERM", () => void handlers.stop("SIGTERM").then(stopped.resolve));
  on("SIGINT", () => void handlers.stop("SIGINT").then(stopped.resolve));
  on("SIGWINCH", () => {
    if (gracefulStop !== null) return;
    gracefulStop = handlers.gracefulStop();
    void gracefulStop.then(stopped.resolve);
  });
  on("SIGHUP", () => handlers.restart("SIGHUP", false));
  on("SIGUSR2", () => handlers.restart("SIGUSR2", true));
  return {
    stopped: stopped.promise,
    dispose() {
      for (const [signal, action] of listeners) Deno.removeSignalListener(signal, action);
    },
  };
}
