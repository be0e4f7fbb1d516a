/**
 * The mpmt_os2 MPM's policy file: a fixed number (StartServers) of child processes, each
 * keeping its own idle threads between MinSpareThreads and MaxSpareThreads. Its directive
 * table with httpd 2.4's defaults, httpd's clamping rules with their warnings, and the
 * maintenance plan.
 *
 * @module
 */

import { DirectiveCheck } from "../_check_rules.ts";
import { type CheckResult, type MpmPolicy, topologyOf } from "../mpm_policy.ts";
import { type Action, type Plan, type PlanInput, warnOnce } from "../plan.ts";
import {
  maxConnectionsPerChild,
  maxSpareThreads,
  minSpareThreads,
  startServers,
} from "../_shared_directives.ts";
import { idleSlotsOf, liveSlotsOf, servingProcesses } from "../../scoreboard/mod.ts";
import type { Directive } from "../../server/config/mod.ts";

/** mpmt_os2's directives with httpd 2.4's defaults. */
export const MPMT_OS2_DIRECTIVES: readonly Directive<number>[] = [
  startServers(2),
  minSpareThreads(5),
  maxSpareThreads(10),
  maxConnectionsPerChild(),
];

/** Most child processes (HARD_SERVER_LIMIT in mpmt_os2.c: children exist for redundancy). */
export const MPMT_OS2_MAX_SERVERS = 10;

/** Most threads in one child (HARD_THREAD_LIMIT in mpmt_os2.c). */
export const MPMT_OS2_MAX_THREADS = 256;

/** mpmt_os2's settings after {@link checkMpmtOs2}. */
export interface MpmtOs2Settings {
  /** The number of children, from 1 to {@link MPMT_OS2_MAX_SERVERS}. */
  readonly startServers: number;
  /** Idle threads each child keeps at least. */
  readonly minSpareThreads: number;
  /** Idle threads each child keeps at most; above minSpareThreads. */
  readonly maxSpareThreads: number;
  /** MaxConnectionsPerChild: connections a child serves before it is replaced; 0: never. */
  readonly maxConnectionsPerChild: number;
}

/**
 * Applies httpd's mpmt_os2 rules (mpmt_os2.c: `mpmt_os2_check_config`, `master_main`), with
 * two safeguards httpd lacks, each with its warning: StartServers 0 becomes 1 (httpd raises
 * only negative values, and 0 would leave no child to serve), and MaxSpareThreads must exceed
 * MinSpareThreads as netware requires (the manual: mpmt_os2 "works similar to mpm_netware"),
 * or each child would start and retire a thread every cycle.
 */
export function checkMpmtOs2(
  directives: Readonly<Record<string, number>>,
): CheckResult<MpmtOs2Settings> {
  const c = new DirectiveCheck(MPMT_OS2_DIRECTIVES, directives);
  // master_main() only fills MPMT_OS2_MAX_SERVERS scoreboard slots: more are never started.
  const start = c.withinCompiledLimit(
    "StartServers",
    c.get("StartServers"),
    MPMT_OS2_MAX_SERVERS,
    "servers",
  );
  const { min: minSpare, max: maxSpare } = c.spares("MinSpareThreads", "MaxSpareThreads");
  return c.result({
    startServers: start,
    minSpareThreads: minSpare,
    maxSpareThreads: maxSpare,
    maxConnectionsPerChild: c.get("MaxConnectionsPerChild"),
  });
}

/**
 * Decides one mpmt_os2 maintenance cycle: spawn children until StartServers serve the running
 * generation; in each, start the threads missing below MinSpareThreads idle at once (no ramp,
 * as mpmt_os2_child.c does, up to 256 threads) or retire one thread above MaxSpareThreads.
 * A starting thread counts as idle, as in the other MPMs: mpmt_os2_child.c counts only ready
 * ones, but it looks from inside the child every 500 ms, where our snapshot may be older.
 */
export function planMpmtOs2({ snapshot, settings, state }: PlanInput<MpmtOs2Settings>): Plan {
  const serving = servingProcesses(snapshot);
  const actions: Action[] = [];
  const missing = settings.startServers - serving.length;
  const room = MPMT_OS2_MAX_SERVERS - snapshot.processes.length;
  if (missing > 0 && room > 0) actions.push({ kind: "spawn", count: Math.min(missing, room) });

  let next = state;
  for (const process of serving) {
    const { pid } = process;
    const idle = idleSlotsOf(process);
    if (idle > settings.maxSpareThreads) {
      actions.push({ kind: "retireThreads", pid, count: 1 });
    } else if (idle < settings.minSpareThreads) {
      const free = MPMT_OS2_MAX_THREADS - liveSlotsOf(process);
      if (free > 0) {
        actions.push({
          kind: "spawnThreads",
          pid,
          count: Math.min(settings.minSpareThreads - idle, free),
        });
      } else {
        const warned = warnOnce(next, {
          kind: "reachedLimit",
          generation: snapshot.generation,
          level: "error",
          message:
            `server reached the limit of ${MPMT_OS2_MAX_THREADS} threads in a child process, ` +
            "consider raising StartServers",
        });
        actions.push(...warned.actions);
        next = warned.state;
      }
    }
  }
  return { actions, state: next };
}

/** The mpmt_os2 MPM's policy. */
export const MPMT_OS2: MpmPolicy<MpmtOs2Settings> = {
  name: "mpmt_os2",
  caps: { threaded: "variable", forked: "no", async: false },
  directives: MPMT_OS2_DIRECTIVES,
  check: checkMpmtOs2,
  plan: planMpmtOs2,
  topology: (s) =>
    topologyOf({
      // The serving children, and two generations a pair of quick restarts may leave draining.
      serverLimit: 3 * s.startServers,
      threadLimit: MPMT_OS2_MAX_THREADS,
      startProcesses: s.startServers,
      threadsPerProcess: s.minSpareThreads,
      maxConnectionsPerChild: s.maxConnectionsPerChild,
    }),
};
