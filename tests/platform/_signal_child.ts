/**
 * A test-only server stand-in: prints `ready`, then, on the first of the control signals,
 * prints that signal's name and exits 0.
 *
 * @module
 */

const SIGNALS: Deno.Signal[] = ["SIGTERM", "SIGHUP", "SIGUSR2", "SIGWINCH"];
const encoder = new TextEncoder();
for (const signal of SIGNALS) {
  Deno.addSignalListener(signal, () => {
    Deno.stdout.writeSync(encoder.encode(`${signal}\n`));
    Deno.exit(0);
  });
}
Deno.stdout.writeSync(encoder.encode("ready\n"));
// Keeps the event loop alive until a signal comes; the test kills this process otherwise.
setInterval(() => {}, 60_000);
