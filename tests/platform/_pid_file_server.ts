/**
 * A test-only detached server: `serve <pidFile>` writes its pid to the PidFile, then on
 * SIGTERM removes it and exits 0; `exit <code>` exits at once with that code; `silent`
 * never writes a PidFile and dies on SIGTERM (no listener).
 *
 * @module
 */

import { removePidFile, writePidFile } from "../../platform/mod.ts";

const [mode, argument] = Deno.args;
if (mode === "serve" && argument !== undefined) {
  Deno.addSignalListener("SIGTERM", () => {
    removePidFile(argument, Deno.pid);
    Deno.exit(0);
  });
  writePidFile(argument, Deno.pid);
  setInterval(() => {}, 60_000);
} else if (mode === "exit") {
  Deno.exit(Number(argument));
} else if (mode === "silent") {
  setInterval(() => {}, 60_000);
} else {
  throw new Error(`Cannot run the test server: unknown mode ${mode}`);
}
