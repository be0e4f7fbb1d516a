/**
 * The default-MPM decision, as httpd's build picks one per platform: Windows → winnt;
 * threads and a thread-safe poller → event; threads only → worker; neither → prefork.
 *
 * @module
 */

import type { MpmName } from "../server/config/mod.ts";
import type { PlatformCapabilities } from "../platform/mod.ts";

/** The chosen default and the reason, worded for `mpmd -V`. */
export interface DefaultMpmChoice {
  /** The MPM used when the config names none. */
  readonly mpm: MpmName;
  /** Why, as `mpmd -V` prints it ("threads and thread-safe polling are available"). */
  readonly reason: string;
}

/**
 * Chooses the default MPM for a capability set.
 *
 * @param caps what the platform offers (injectable: tests pass literal sets).
 * @returns the MPM and why it was chosen.
 */
export function chooseDefaultMpm(
  caps: Pick<PlatformCapabilities, "os" | "threads" | "threadSafePolling">,
): DefaultMpmChoice {
  if (caps.os === "windows") {
    return { mpm: "winnt", reason: "Windows: one child process with a fixed pool of threads" };
  }
  if (caps.threads && caps.threadSafePolling) {
    return { mpm: "event", reason: "threads and thread-safe polling are available" };
  }
  if (caps.threads) {
    return { mpm: "worker", reason: "threads are available, thread-safe polling is not" };
  }
  return { mpm: "prefork", reason: "no threads: one process per connection" };
}
