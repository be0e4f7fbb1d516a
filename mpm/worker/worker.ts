/**
 * The worker MPM's policy file: child processes each running a fixed ThreadsPerChild
 * threads, children added and retired to keep the server-wide idle threads between
 * MinSpareThreads and MaxSpareThreads. Its directive table with httpd 2.4's defaults; the
 * clamping rules and the maintenance it shares with event live in `mpm/_threaded_children.ts`.
 *
 * @module
 */

import { DirectiveCheck } from "../_check_rules.ts";
import {
  clampThreadedChildren,
  planThreadedChildren,
  threadedChildrenTopology,
} from "../_threaded_children.ts";
import { ONE_CONNECTION } from "../discipline.ts";
import type { CheckOptions, CheckResult, MpmPolicy } from "../mpm_policy.ts";
import type { Plan, PlanInput } from "../plan.ts";
import type { ThreadedChildrenSettings } from "../threaded_children_settings.ts";
import {
  maxConnectionsPerChild,
  maxRequestWorkers,
  maxSpareThreads,
  minSpareThreads,
  serverLimit,
  startServers,
  threadLimit,
  threadsPerChild,
} from "../_shared_directives.ts";
import type { Directive } from "../../server/config/mod.ts";

/** worker's directives with httpd 2.4's defaults (MaxRequestWorkers = 16 × 25). */
export const WORKER_DIRECTIVES: readonly Directive<number>[] = [
  startServers(3),
  minSpareThreads(75),
  maxSpareThreads(250),
  threadsPerChild(25),
  threadLimit(64),
  serverLimit(16),
  maxRequestWorkers(400),
  maxConnectionsPerChild(),
];

/** Highest ThreadLimit worker accepts (httpd's MAX_THREAD_LIMIT in worker.c). */
export const WORKER_MAX_THREAD_LIMIT = 20_000;

/** worker's settings after {@link checkWorker}. */
export type WorkerSettings = ThreadedChildrenSettings;

/** Applies httpd's worker rules (worker.c: `worker_check_config` and `worker_run`). */
export function checkWorker(
  directives: Readonly<Record<string, number>>,
  options: CheckOptions<WorkerSettings> = {},
): CheckResult<WorkerSettings> {
  const c = new DirectiveCheck(WORKER_DIRECTIVES, directives);
  return c.result(clampThreadedChildren(c, WORKER_MAX_THREAD_LIMIT, options.running));
}

/**
 * Decides one worker maintenance cycle: the spare-thread ramp counted in children, retiring a
 * child whenever idle threads exceed MaxSpareThreads.
 */
export function planWorker(input: PlanInput<WorkerSettings>): Plan {
  return planThreadedChildren(input, {
    retire: "any time",
    busyTail: ({ total }) => `and ${total} total children`,
  });
}

/** The worker MPM's policy. */
export const WORKER: MpmPolicy<WorkerSettings> = {
  name: "worker",
  caps: { threaded: "fixed", forked: "variable", async: false },
  directives: WORKER_DIRECTIVES,
  check: checkWorker,
  plan: planWorker,
  topology: (s) => threadedChildrenTopology(s, ONE_CONNECTION),
};
