/**
 * What worker and event share: children with a fixed ThreadsPerChild threads, spawned and
 * retired to keep the server-wide idle threads between MinSpareThreads and MaxSpareThreads.
 * httpd's worker.c and event.c carry the same `*_check_config` rules and maintenance; here
 * they are written once, and the two policy files pass what differs. Private to `mpm/`.
 *
 * httpd 2.4 splits the listeners into "buckets" (one per few CPUs, ListenCoresBucketsRatio)
 * and divides MinSpareThreads, MaxSpareThreads and the spawn rate between them. mpmd has one
 * bucket (every slot owns its reuseport listener), so the thresholds apply whole.
 *
 * @module
 */

import { type DirectiveCheck, RAISED_MIN_SPARE_ADVICE } from "./_check_rules.ts";
import type { Discipline } from "./discipline.ts";
import { type Topology, topologyOf } from "./mpm_policy.ts";
import type { Plan, PlanInput } from "./plan.ts";
import { childToRetire, MAX_SPAWN_RATE, planRamp } from "./spawn_ramp.ts";
import type { ThreadedChildrenSettings } from "./threaded_children_settings.ts";
import { servingProcesses, spareSlotsOf } from "../scoreboard/mod.ts";

/** Highest ServerLimit of worker and event (httpd's MAX_SERVER_LIMIT). */
export const THREADED_MAX_SERVER_LIMIT = 20_000;

/** Applies the rules of worker.c and event.c (`*_check_config`, `*_run`). */
export function clampThreadedChildren(
  c: DirectiveCheck,
  maxThreadLimit: number,
  running: ThreadedChildrenSettings | undefined,
): ThreadedChildrenSettings {
  const serverLimit = c.sizingLimit(
    "ServerLimit",
    THREADED_MAX_SERVER_LIMIT,
    "servers",
    running?.serverLimit,
  );
  const threadLimit = c.sizingLimit("ThreadLimit", maxThreadLimit, "threads", running?.threadLimit);
  let perChild = c.get("ThreadsPerChild");
  if (perChild > threadLimit) {
    perChild = c.use(
      "ThreadsPerChild",
      threadLimit,
      `ThreadsPerChild of ${perChild} exceeds ThreadLimit of ${threadLimit} threads, decreasing ` +
        `to ${threadLimit}. To increase, please see the ThreadLimit directive`,
    );
  }
  perChild = c.atLeastOne("ThreadsPerChild", perChild);

  let workers = c.get("MaxRequestWorkers");
  if (workers < perChild) {
    workers = c.use(
      "MaxRequestWorkers",
      perChild,
      `MaxRequestWorkers of ${workers} is less than ThreadsPerChild of ${perChild}, increasing ` +
        `to ${perChild}. MaxRequestWorkers must be at least as large as the number of threads ` +
        "in a single server",
    );
  }
  let children = Math.floor(workers / perChild);
  if (workers % perChild !== 0) {
    workers = c.use(
      "MaxRequestWorkers",
      children * perChild,
      `MaxRequestWorkers of ${workers} is not an integer multiple of ThreadsPerChild of ` +
        `${perChild}, decreasing to nearest multiple ${children * perChild}, for a maximum of ` +
        `${children} servers`,
    );
  }
  if (children > serverLimit) {
    // httpd lowers only its process count here; its message promises the product, so do both.
    workers = c.use(
      "MaxRequestWorkers",
      serverLimit * perChild,
      `MaxRequestWorkers of ${workers} would require ${children} servers and would exceed ` +
        `ServerLimit of ${serverLimit}, decreasing to ${serverLimit * perChild}. To increase, ` +
        "please see the ServerLimit directive",
    );
    children = serverLimit;
  }
  let start = c.atLeastOne("StartServers", c.get("StartServers"));
  const minSpare = c.atLeastOne(
    "MinSpareThreads",
    c.get("MinSpareThreads"),
    RAISED_MIN_SPARE_ADVICE,
  );
  // The last two httpd applies silently in worker_run()/event_run(); we say so. The manual's
  // rule (mpm_common, MaxSpareThreads) is min + ThreadsPerChild: enough that retiring one child
  // never drops below the minimum.
  let maxSpare = c.get("MaxSpareThreads");
  if (maxSpare < minSpare + perChild) {
    maxSpare = c.use(
      "MaxSpareThreads",
      minSpare + perChild,
      `MaxSpareThreads of ${maxSpare} is less than MinSpareThreads plus ThreadsPerChild ` +
        `(${minSpare + perChild}), increasing to ${minSpare + perChild}`,
    );
  }
  if (start > children) {
    start = c.use(
      "StartServers",
      children,
      `StartServers of ${start} exceeds the number of servers MaxRequestWorkers allows ` +
        `(${children}), decreasing to ${children}`,
    );
  }
  return {
    startServers: start,
    minSpareThreads: minSpare,
    maxSpareThreads: maxSpare,
    threadsPerChild: perChild,
    threadLimit,
    serverLimit,
    maxRequestWorkers: workers,
    maxConnectionsPerChild: c.get("MaxConnectionsPerChild"),
  };
}

/** What worker and event do differently in maintenance. */
export interface ThreadedChildrenProfile {
  /**
   * When a child may be retired: any time (worker), or only while the scoreboard has room for
   * it to finish (event: total children ≤ MaxRequestWorkers / ThreadsPerChild and below
   * ServerLimit, so gracefully finishing children cannot fill the scoreboard).
   */
  readonly retire: "any time" | "with scoreboard headroom";
  /** The end of the "server seems busy" message, after the idle thread count. */
  busyTail(counts: { readonly serving: number; readonly total: number }): string;
}

/**
 * Decides one cycle: idle threads above MaxSpareThreads → retire one child; below
 * MinSpareThreads → spawn children at the current rate (1, 2, 4 … 32), never more serving
 * children than MaxRequestWorkers / ThreadsPerChild nor more children than ServerLimit.
 */
export function planThreadedChildren(
  { snapshot, settings, state }: PlanInput<ThreadedChildrenSettings>,
  profile: ThreadedChildrenProfile,
): Plan {
  const allowed = Math.floor(settings.maxRequestWorkers / settings.threadsPerChild);
  const serving = servingProcesses(snapshot).length;
  const total = snapshot.processes.length;
  const idle = spareSlotsOf(snapshot);
  const headroom = total <= allowed && total < settings.serverLimit;
  const retirePid = profile.retire === "any time" || headroom ? childToRetire(snapshot) : null;
  return planRamp({
    idle,
    minSpare: settings.minSpareThreads,
    maxSpare: settings.maxSpareThreads,
    room: Math.max(0, Math.min(allowed - serving, settings.serverLimit - total)),
    limitedBy: serving >= allowed ? "reachedLimit" : "scoreboardFull",
    maxSpawnRate: MAX_SPAWN_RATE,
    spawn: (count) => ({ kind: "spawn", count }),
    retire: retirePid === null ? null : { kind: "retire", pid: retirePid },
    wording: {
      reachedLimit:
        "server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting",
      scoreboardFull: "scoreboard is full, not at MaxRequestWorkers; increase ServerLimit",
      busy: (spawning) =>
        "server seems busy, (you may need to increase StartServers, ThreadsPerChild or " +
        `Min/MaxSpareThreads), spawning ${spawning} children, there are around ${idle} idle ` +
        `threads, ${profile.busyTail({ serving, total })}`,
    },
    generation: snapshot.generation,
    state,
  });
}

/**
 * worker's and event's layout: StartServers children of ThreadsPerChild threads; `async` holds
 * event's AsyncRequestWorkerFactor and MaxRequestsPerThread, `null` for worker's one
 * connection per thread.
 */
export function threadedChildrenTopology(
  settings: ThreadedChildrenSettings,
  discipline: Discipline,
): Topology {
  return topologyOf({
    serverLimit: settings.serverLimit,
    threadLimit: settings.threadLimit,
    startProcesses: settings.startServers,
    threadsPerProcess: settings.threadsPerChild,
    maxConnectionsPerChild: settings.maxConnectionsPerChild,
    discipline,
  });
}
