/**
 * The netware MPM's policy file: one process, no children; its threads are started and
 * retired to keep the idle ones between MinSpareThreads and MaxSpareThreads, up to
 * MaxThreads. Its directive table with httpd 2.4's defaults, httpd's clamping rules with their
 * warnings, and the maintenance plan (the shared ramp, counted in threads).
 *
 * @module
 */

import { DirectiveCheck } from "../_check_rules.ts";
import { type CheckResult, type MpmPolicy, topologyOf } from "../mpm_policy.ts";
import type { Plan, PlanInput } from "../plan.ts";
import { planRamp } from "../spawn_ramp.ts";
import {
  maxConnectionsPerChild,
  maxSpareThreads,
  minSpareThreads,
  mpmCount,
} from "../_shared_directives.ts";
import { idleSlotsOf, liveSlotsOf, servingProcesses } from "../../scoreboard/mod.ts";
import type { Directive } from "../../server/config/mod.ts";

/** netware's directives with httpd 2.4's defaults. */
export const NETWARE_DIRECTIVES: readonly Directive<number>[] = [
  mpmCount("StartThreads", "Threads created at startup", 50),
  minSpareThreads(10),
  maxSpareThreads(100),
  mpmCount("MaxThreads", "Most threads the process runs", 2048),
  maxConnectionsPerChild(),
];

/** Highest MaxThreads (httpd's HARD_THREAD_LIMIT in netware's mpm_default.h; also its default). */
export const NETWARE_MAX_THREADS = 2048;

/** Most threads netware starts in one cycle (MAX_SPAWN_RATE in mpm_netware.c). */
export const NETWARE_MAX_SPAWN_RATE = 64;

/** netware's settings after {@link checkNetware}. */
export interface NetwareSettings {
  /** Threads started at launch, at most maxThreads. */
  readonly startThreads: number;
  /** MinSpareThreads: fewest idle threads before more are started. */
  readonly minSpareThreads: number;
  /** Above minSpareThreads. */
  readonly maxSpareThreads: number;
  /** MaxThreads: most threads the one process runs, at most {@link NETWARE_MAX_THREADS}. */
  readonly maxThreads: number;
  /** MaxConnectionsPerChild as given; 0: no limit. */
  readonly maxConnectionsPerChild: number;
}

/** Applies httpd's netware rules (mpm_netware.c: `netware_check_config`, `ap_mpm_run`). */
export function checkNetware(
  directives: Readonly<Record<string, number>>,
): CheckResult<NetwareSettings> {
  const c = new DirectiveCheck(NETWARE_DIRECTIVES, directives);
  const maxThreads = c.withinCompiledLimit(
    "MaxThreads",
    c.get("MaxThreads"),
    NETWARE_MAX_THREADS,
    "threads",
  );
  // The maximum and StartThreads httpd clamps silently (ap_mpm_run(), startup_workers()); we
  // say so.
  const { min: minSpare, max: maxSpare } = c.spares("MinSpareThreads", "MaxSpareThreads");
  let start = c.get("StartThreads");
  if (start > maxThreads) {
    start = c.use(
      "StartThreads",
      maxThreads,
      `StartThreads of ${start} exceeds MaxThreads of ${maxThreads}, decreasing to ${maxThreads}`,
    );
  }
  return c.result({
    startThreads: start,
    minSpareThreads: minSpare,
    maxSpareThreads: maxSpare,
    maxThreads,
    maxConnectionsPerChild: c.get("MaxConnectionsPerChild"),
  });
}

/**
 * Decides one netware maintenance cycle: the shared ramp counted in threads of the one
 * process (the one serving the running generation): above MaxSpareThreads idle retire one thread;
 * below MinSpareThreads start 1, 2, 4 … 64 threads, never more than MaxThreads in all.
 */
export function planNetware({ snapshot, settings, state }: PlanInput<NetwareSettings>): Plan {
  // The host of the running generation: during a restart or a recycle the old one is still
  // finishing beside it, and its threads are not spare capacity.
  const [process] = servingProcesses(snapshot);
  if (process === undefined) return { actions: [], state };
  const { pid } = process;
  const idle = idleSlotsOf(process);
  const total = liveSlotsOf(process);
  return planRamp({
    idle,
    minSpare: settings.minSpareThreads,
    maxSpare: settings.maxSpareThreads,
    room: Math.max(0, settings.maxThreads - total),
    limitedBy: "reachedLimit",
    maxSpawnRate: NETWARE_MAX_SPAWN_RATE,
    spawn: (count) => ({ kind: "spawnThreads", pid, count }),
    retire: { kind: "retireThreads", pid, count: 1 },
    wording: {
      reachedLimit: "server reached MaxThreads setting, consider raising the MaxThreads setting",
      busy: (spawning) =>
        "server seems busy, (you may need to increase StartThreads, or Min/MaxSpareThreads), " +
        `spawning ${spawning} threads, there are ${idle} idle, and ${total} total threads`,
    },
    generation: snapshot.generation,
    state,
  });
}

/** The netware MPM's policy. */
export const NETWARE: MpmPolicy<NetwareSettings> = {
  name: "netware",
  caps: { threaded: "variable", forked: "no", async: false },
  directives: NETWARE_DIRECTIVES,
  check: checkNetware,
  plan: planNetware,
  topology: (s) =>
    topologyOf({
      // The serving host, and two generations a pair of quick restarts may leave draining.
      serverLimit: 3,
      threadLimit: s.maxThreads,
      startProcesses: 1,
      threadsPerProcess: s.startThreads,
      maxConnectionsPerChild: s.maxConnectionsPerChild,
      threadsInParent: true,
    }),
};
