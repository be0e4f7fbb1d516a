/**
 * The prefork MPM's policy file: one process per connection, no threads, a dynamic pool of
 * children kept between MinSpareServers and MaxSpareServers idle. Its directive table with
 * httpd 2.4's defaults, httpd's clamping rules with their warnings, and the maintenance plan.
 *
 * @module
 */

import { DirectiveCheck } from "../_check_rules.ts";
import { type CheckOptions, type CheckResult, type MpmPolicy, topologyOf } from "../mpm_policy.ts";
import type { Plan, PlanInput } from "../plan.ts";
import { childToRetire, MAX_SPAWN_RATE, planRamp } from "../spawn_ramp.ts";
import {
  maxConnectionsPerChild,
  maxRequestWorkers,
  mpmCount,
  serverLimit,
  startServers,
} from "../_shared_directives.ts";
import { spareSlotsOf } from "../../scoreboard/mod.ts";
import type { Directive } from "../../server/config/mod.ts";

/** prefork's directives with httpd 2.4's defaults. */
export const PREFORK_DIRECTIVES: readonly Directive<number>[] = [
  startServers(5),
  mpmCount("MinSpareServers", "Fewest idle child processes kept ready", 5),
  mpmCount("MaxSpareServers", "Most idle child processes kept before some are retired", 10),
  serverLimit(256),
  maxRequestWorkers(256),
  maxConnectionsPerChild(),
];

/** Highest ServerLimit prefork accepts (httpd's MAX_SERVER_LIMIT in prefork.c). */
export const PREFORK_MAX_SERVER_LIMIT = 200_000;

/** prefork's settings after {@link checkPrefork}. */
export interface PreforkSettings {
  /** Children started at launch, at most maxRequestWorkers. */
  readonly startServers: number;
  /** MinSpareServers: fewest idle children before more are spawned. */
  readonly minSpareServers: number;
  /** At least minSpareServers + 1. */
  readonly maxSpareServers: number;
  /** ServerLimit: most children; kept on restart, as it sizes the scoreboard. */
  readonly serverLimit: number;
  /** Children alive at once, at most serverLimit. */
  readonly maxRequestWorkers: number;
  /** MaxConnectionsPerChild: connections a child serves before it is replaced; 0: never. */
  readonly maxConnectionsPerChild: number;
}

/** Applies httpd's prefork rules (prefork.c: `prefork_check_config` and `prefork_run`). */
export function checkPrefork(
  directives: Readonly<Record<string, number>>,
  options: CheckOptions<PreforkSettings> = {},
): CheckResult<PreforkSettings> {
  const c = new DirectiveCheck(PREFORK_DIRECTIVES, directives);
  const limit = c.sizingLimit(
    "ServerLimit",
    PREFORK_MAX_SERVER_LIMIT,
    "servers",
    options.running?.serverLimit,
  );
  let workers = c.get("MaxRequestWorkers");
  if (workers > limit) {
    workers = c.use(
      "MaxRequestWorkers",
      limit,
      `MaxRequestWorkers of ${workers} exceeds ServerLimit value of ${limit} servers, ` +
        `decreasing MaxRequestWorkers to ${limit}. To increase, please see the ServerLimit directive`,
    );
  }
  workers = c.atLeastOne("MaxRequestWorkers", workers);
  let start = c.atLeastOne("StartServers", c.get("StartServers"));
  // The maximum and StartServers httpd clamps silently in prefork_run(); we say so.
  const { min: minSpare, max: maxSpare } = c.spares("MinSpareServers", "MaxSpareServers");
  if (start > workers) {
    start = c.use(
      "StartServers",
      workers,
      `StartServers of ${start} exceeds MaxRequestWorkers of ${workers}, decreasing to ${workers}`,
    );
  }
  return c.result({
    startServers: start,
    minSpareServers: minSpare,
    maxSpareServers: maxSpare,
    serverLimit: limit,
    maxRequestWorkers: workers,
    maxConnectionsPerChild: c.get("MaxConnectionsPerChild"),
  });
}

/**
 * Decides one prefork maintenance cycle: idle children above MaxSpareServers → retire one;
 * below MinSpareServers → spawn at the current rate (1, 2, 4 … 32), never more children than
 * MaxRequestWorkers (counting those of old generations still finishing).
 */
export function planPrefork({ snapshot, settings, state }: PlanInput<PreforkSettings>): Plan {
  const total = snapshot.processes.length;
  const idle = spareSlotsOf(snapshot);
  const retirePid = childToRetire(snapshot);
  return planRamp({
    idle,
    minSpare: settings.minSpareServers,
    maxSpare: settings.maxSpareServers,
    room: Math.max(0, settings.maxRequestWorkers - total),
    limitedBy: "reachedLimit",
    maxSpawnRate: MAX_SPAWN_RATE,
    spawn: (count) => ({ kind: "spawn", count }),
    retire: retirePid === null ? null : { kind: "retire", pid: retirePid },
    wording: {
      reachedLimit:
        "server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting",
      busy: (spawning) =>
        "server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), " +
        `spawning ${spawning} children, there are ${idle} idle, and ${total} total children`,
    },
    generation: snapshot.generation,
    state,
  });
}

/** The prefork MPM's policy. */
export const PREFORK: MpmPolicy<PreforkSettings> = {
  name: "prefork",
  caps: { threaded: "no", forked: "variable", async: false },
  directives: PREFORK_DIRECTIVES,
  check: checkPrefork,
  plan: planPrefork,
  topology: (s) =>
    topologyOf({
      serverLimit: s.serverLimit,
      threadLimit: 1,
      startProcesses: s.startServers,
      threadsPerProcess: 0,
      maxConnectionsPerChild: s.maxConnectionsPerChild,
    }),
};
