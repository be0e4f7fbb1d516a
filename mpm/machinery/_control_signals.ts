/**
 * The parent's signals, as httpd's: SIGTERM and SIGINT stop, SIGWINCH stops gracefully (and
 * SIGTERM under GracefulSigterm), SIGHUP restarts, SIGUSR2 restarts gracefully (never SIGUSR1:
 * Deno starts its inspector on it).
 *
 * @module
 */

import { stopActionOf, type StopSignal } from "../../platform/mod.ts";

/** What each signal asks of the parent. */
export interface ControlHandlers {
  /** Stop now; resolves when every child is gone. */
  stop(signal: StopSignal): Promise<void>;
  /** Let requests in flight finish, then stop; resolves when every child is gone. */
  gracefulStop(signal: StopSignal): Promise<void>;
  /** Restart: a new generation, the old one retired (`graceful`) or terminated. */
  restart(signal: "SIGHUP" | "SIGUSR2", graceful: boolean): void;
  /** GracefulSigterm of the configuration in force: whether a SIGTERM stops gracefully. */
  gracefulSigterm(): boolean;
}

/** The installed listeners. */
export interface ControlSignals {
  /** Resolves once a stop (of either kind) has finished. */
  readonly stopped: Promise<void>;
  /** Removes the listeners. */
  dispose(): void;
}

/**
 * Installs the listeners. The stop signals mean what platform's `stopActionOf()` says (a
 * second graceful request is ignored, an immediate one during a graceful stop stops at
 * once); once an immediate stop has begun, stop signals are ignored: a signal that reaches
 * the parent twice (from the terminal's process group and again from `deno task` or an init
 * that forwards it) stops it once. Whichever stop finishes first ends `stopped`.
 */
export function watchControlSignals(handlers: ControlHandlers): ControlSignals {
  const listeners: [Deno.Signal, () => void][] = [];
  const on = (signal: Deno.Signal, action: () => void) => {
    listeners.push([signal, action]);
    Deno.addSignalListener(signal, action);
  };
  const stopped = Promise.withResolvers<void>();
  let stoppingGracefully = false;
  let stoppingNow = false;
  for (const signal of ["SIGTERM", "SIGINT", "SIGWINCH"] as const) {
    on(signal, () => {
      if (stoppingNow) return;
      const gracefulSigterm = handlers.gracefulSigterm();
      const action = stopActionOf(signal, { gracefulSigterm, stoppingGracefully });
      if (action === "graceful-stop") {
        stoppingGracefully = true;
        void handlers.gracefulStop(signal).then(stopped.resolve);
      } else if (action === "stop") {
        stoppingNow = true;
        void handlers.stop(signal).then(stopped.resolve);
      }
    });
  }
  on("SIGHUP", () => handlers.restart("SIGHUP", false));
  on("SIGUSR2", () => handlers.restart("SIGUSR2", true));
  return {
    stopped: stopped.promise,
    dispose() {
      for (const [signal, action] of listeners) Deno.removeSignalListener(signal, action);
    },
  };
}
