/**
 * The winnt MPM's policy file: the parent and exactly one child process with a fixed pool of
 * ThreadsPerChild threads; the child is respawned if it dies. Its directive table with httpd
 * 2.4's defaults, httpd's clamping rules with their warnings, and the maintenance plan.
 *
 * @module
 */

import { DirectiveCheck } from "../_check_rules.ts";
import { type CheckOptions, type CheckResult, type MpmPolicy, topologyOf } from "../mpm_policy.ts";
import type { Plan, PlanInput } from "../plan.ts";
import { maxConnectionsPerChild, threadLimit, threadsPerChild } from "../_shared_directives.ts";
import { servingProcesses } from "../../scoreboard/mod.ts";
import type { Directive } from "../../server/config/mod.ts";

/** winnt's directives with httpd 2.4's defaults. */
export const WINNT_DIRECTIVES: readonly Directive<number>[] = [
  threadsPerChild(64),
  threadLimit(1920),
  maxConnectionsPerChild(),
];

/** Highest ThreadLimit winnt accepts (httpd's MAX_THREAD_LIMIT in winnt's mpm_default.h). */
export const WINNT_MAX_THREAD_LIMIT = 15_000;

/** winnt's settings after {@link checkWinnt}. */
export interface WinntSettings {
  /** Threads of the one child, at most threadLimit. */
  readonly threadsPerChild: number;
  /** ThreadLimit: upper bound on threadsPerChild; kept on restart, as it sizes the scoreboard. */
  readonly threadLimit: number;
  /** MaxConnectionsPerChild: connections the child serves before it is replaced; 0: never. */
  readonly maxConnectionsPerChild: number;
}

/** Applies httpd's winnt rules (mpm_winnt.c: `winnt_check_config`). */
export function checkWinnt(
  directives: Readonly<Record<string, number>>,
  options: CheckOptions<WinntSettings> = {},
): CheckResult<WinntSettings> {
  const c = new DirectiveCheck(WINNT_DIRECTIVES, directives);
  const limit = c.sizingLimit(
    "ThreadLimit",
    WINNT_MAX_THREAD_LIMIT,
    "threads",
    options.running?.threadLimit,
  );
  let perChild = c.get("ThreadsPerChild");
  if (perChild > limit) {
    perChild = c.use(
      "ThreadsPerChild",
      limit,
      `ThreadsPerChild of ${perChild} exceeds ThreadLimit of ${limit} threads, decreasing to ` +
        `${limit}. To increase, please see the ThreadLimit directive`,
    );
  }
  return c.result({
    threadsPerChild: c.atLeastOne("ThreadsPerChild", perChild),
    threadLimit: limit,
    maxConnectionsPerChild: c.get("MaxConnectionsPerChild"),
  });
}

/**
 * Decides one winnt maintenance cycle: spawn the child when none serves the running
 * generation (it died, reached MaxConnectionsPerChild, or a graceful restart set it
 * finishing). Its thread count is fixed, so there is nothing else to decide.
 */
export function planWinnt({ snapshot, state }: PlanInput<WinntSettings>): Plan {
  const serving = servingProcesses(snapshot).length;
  return { actions: serving === 0 ? [{ kind: "spawn", count: 1 }] : [], state };
}

/** The winnt MPM's policy. */
export const WINNT: MpmPolicy<WinntSettings> = {
  name: "winnt",
  caps: { threaded: "fixed", forked: "no", async: false },
  directives: WINNT_DIRECTIVES,
  check: checkWinnt,
  plan: planWinnt,
  topology: (s) =>
    topologyOf({
      // The child, and the regions of two generations a pair of quick restarts may leave draining.
      serverLimit: 3,
      threadLimit: s.threadLimit,
      startProcesses: 1,
      threadsPerProcess: s.threadsPerChild,
      maxConnectionsPerChild: s.maxConnectionsPerChild,
      restartIsGraceful: true,
    }),
};
