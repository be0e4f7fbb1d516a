import assert from "node:assert/strict";
import { watchControlSignals } from "../../../mpm/machinery/_control_signals.ts";

/**
 * Sends `signal` to this process and resolves once a listener installed after the parent's has
 * seen it: the parent's listener has run for that delivery by then.
 */
function deliver(signal: Deno.Signal): Promise<void> {
  const seen = Promise.withResolvers<void>();
  // Also what keeps the event loop alive meanwhile: signal listeners do not.
  const timer = setTimeout(() => seen.reject(new Error(`No ${signal} within 5 s`)), 5_000);
  const listener = () => {
    Deno.removeSignalListener(signal, listener);
    clearTimeout(timer);
    seen.resolve();
  };
  Deno.addSignalListener(signal, listener);
  Deno.kill(Deno.pid, signal);
  return seen.promise;
}

Deno.test("watchControlSignals() stops once, however often a stop signal arrives", async () => {
  const calls: string[] = [];
  const never = new Promise<void>(() => {});
  const signals = watchControlSignals({
    stop: (signal) => {
      calls.push(`stop ${signal}`);
      return never;
    },
    gracefulStop: (signal) => {
      calls.push(`gracefulStop ${signal}`);
      return never;
    },
    restart: (signal) => void calls.push(`restart ${signal}`),
    gracefulSigterm: () => false,
  });
  try {
    // A graceful stop, then an immediate one (it cuts the graceful one short), then more.
    await deliver("SIGWINCH");
    await deliver("SIGWINCH");
    await deliver("SIGTERM");
    await deliver("SIGTERM");
    // (Not SIGINT: deno test takes it as an interrupt of the run.)
    await deliver("SIGWINCH");
    assert.deepEqual(calls, ["gracefulStop SIGWINCH", "stop SIGTERM"]);
  } finally {
    signals.dispose();
  }
});
