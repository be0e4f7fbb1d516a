/**
 * A child process of the machinery (`mpmd --child`, started by the parent): a slot host on
 * the pipe to its parent. It leaves the terminal's signals to the parent, ends on the parent's
 * SIGTERM, and exits when the pipe ends (the parent died), so no orphan keeps serving.
 *
 * @module
 */

import { connectToParent } from "../../platform/mod.ts";
import { runSlotHost } from "./slot_host.ts";
import { keepStdoutForMessages } from "../../slot/mod.ts";

/** The signals a child leaves to its parent: a terminal's ^C or hang-up reaches the group. */
const PARENT_SIGNALS: readonly Deno.Signal[] = ["SIGINT", "SIGHUP", "SIGUSR2", "SIGWINCH"];

/**
 * Runs this process as a child until it is done.
 *
 * @returns the exit code: 0 after a retirement or stop, 1 if it could not start.
 */
export async function runChild(): Promise<number> {
  keepStdoutForMessages();
  for (const signal of PARENT_SIGNALS) Deno.addSignalListener(signal, () => {});
  const host = runSlotHost(connectToParent());
  Deno.addSignalListener("SIGTERM", () => host.stop());
  return await host.exited;
}
