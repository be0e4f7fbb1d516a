/**
 * The default-MPM decision, as httpd's build picks one per platform: Windows → winnt;
 * threads and a thread-safe poller → event; threads only → worker; neither → prefork. A build
 * made with `--with-mpm` runs that one instead, and a build without the platform's choice
 * takes the next one it holds.
 *
 * @module
 */

import type { MpmName } from "../server/config/mod.ts";
import type { PlatformCapabilities } from "../platform/mod.ts";
import { BUILT_DEFAULT_MPM, BUILT_IN_MPMS } from "./build_config.ts";

/** The chosen default and the reason, worded for `mpmd -V`. */
export interface DefaultMpmChoice {
  /** The MPM used when the config names none. */
  readonly mpm: MpmName;
  /** Why, as `mpmd -V` prints it ("threads and thread-safe polling are available"). */
  readonly reason: string;
}

/** What a build holds, as far as the default MPM is concerned. */
export interface MpmBuild {
  /** The MPMs it can run. */
  readonly mpms: readonly MpmName[];
  /** The MPM chosen when it was built (`--with-mpm`), or `null` for the platform's. */
  readonly defaultMpm: MpmName | null;
}

/** This build: what `mpm/build_config.ts` says. */
export const THIS_BUILD: MpmBuild = { mpms: BUILT_IN_MPMS, defaultMpm: BUILT_DEFAULT_MPM };

/**
 * Chooses the default MPM for a capability set and a build.
 *
 * @param caps what the platform offers (injectable: tests pass literal sets).
 * @param build what the build holds.
 * @returns the MPM and why it was chosen.
 */
export function chooseDefaultMpm(
  caps: Pick<PlatformCapabilities, "os" | "threads" | "threadSafePolling">,
  build: MpmBuild = THIS_BUILD,
): DefaultMpmChoice {
  if (build.defaultMpm !== null) {
    return { mpm: build.defaultMpm, reason: "chosen when this mpmd was built (--with-mpm)" };
  }
  const preferred = platformPreference(caps);
  const [first] = preferred;
  for (const choice of preferred) {
    if (!build.mpms.includes(choice.mpm)) continue;
    return choice === first
      ? choice
      : { mpm: choice.mpm, reason: `${choice.reason}; ${first.mpm} is not built in` };
  }
  const mpm = build.mpms[0]!;
  return { mpm, reason: `none of the platform's choices is built in (${first.mpm} first)` };
}

/** The platform's MPMs, best first, each with the reason it fits. */
function platformPreference(
  caps: Pick<PlatformCapabilities, "os" | "threads" | "threadSafePolling">,
): [DefaultMpmChoice, ...DefaultMpmChoice[]] {
  const prefork = { mpm: "prefork", reason: "no threads: one process per connection" } as const;
  if (caps.os === "windows") {
    return [{ mpm: "winnt", reason: "Windows: one child process with a fixed pool of threads" }];
  }
  if (!caps.threads) return [prefork];
  const worker = {
    mpm: "worker",
    reason: "threads are available, thread-safe polling is not",
  } as const;
  if (!caps.threadSafePolling) return [worker, prefork];
  return [
    { mpm: "event", reason: "threads and thread-safe polling are available" },
    { ...worker, reason: "threads are available" },
    { ...prefork, reason: "one process per connection" },
  ];
}
