/**
 * The event MPM's policy file: worker's process and thread model, but idle keep-alive
 * connections wait in the event loop instead of holding a thread, up to a per-process limit
 * set by AsyncRequestWorkerFactor. Its directive table with httpd 2.4's defaults and what
 * differs from worker; the shared rules and maintenance live in `mpm/_threaded_children.ts`.
 *
 * @module
 */

import { DirectiveCheck } from "../_check_rules.ts";
import { MAX_COUNT, mpmCount } from "../_shared_directives.ts";
import {
  clampThreadedChildren,
  planThreadedChildren,
  threadedChildrenTopology,
} from "../_threaded_children.ts";
import type { CheckOptions, CheckResult, MpmPolicy } from "../mpm_policy.ts";
import type { Plan, PlanInput } from "../plan.ts";
import type { ThreadedChildrenSettings } from "../threaded_children_settings.ts";
import { WORKER_DIRECTIVES } from "../worker/mod.ts";
import { decimal, type Directive } from "../../server/config/mod.ts";

/**
 * event's directives: worker's, plus AsyncRequestWorkerFactor (default 2, a fraction allowed)
 * and mpmd's own MaxRequestsPerThread (default 0: no cap) and MaxReadingPerThread (default
 * 256).
 */
export const EVENT_DIRECTIVES: readonly Directive<number>[] = [
  ...WORKER_DIRECTIVES,
  decimal({
    name: "AsyncRequestWorkerFactor",
    help: "Connections a process may hold per idle thread, beyond ThreadsPerChild",
    default: 2,
    above: 0,
    max: MAX_COUNT,
  }),
  mpmCount(
    "MaxRequestsPerThread",
    "Requests a thread runs at once before it stops taking new ones (0: no cap)",
    0,
  ),
  mpmCount(
    "MaxReadingPerThread",
    "Connections still sending their request heads a process holds per thread",
    256,
  ),
];

/**
 * Highest ThreadLimit event accepts: httpd's event.c raises MAX_THREAD_LIMIT to 100000 (the
 * manual's ThreadLimit note), where worker keeps 20000.
 */
export const EVENT_MAX_THREAD_LIMIT = 100_000;

/** event's settings after {@link checkEvent}. */
export interface EventSettings extends ThreadedChildrenSettings {
  /** At least 1. */
  readonly asyncRequestWorkerFactor: number;
  /** Handlers a thread runs at once before it stops taking requests; 0: no cap. */
  readonly maxRequestsPerThread: number;
  /** Connections still sending their heads a process holds per thread; at least 1. */
  readonly maxReadingPerThread: number;
}

/** Applies httpd's event rules (event.c: `event_check_config`, `event_run`, `set_worker_factor`). */
export function checkEvent(
  directives: Readonly<Record<string, number>>,
  options: CheckOptions<EventSettings> = {},
): CheckResult<EventSettings> {
  const c = new DirectiveCheck(EVENT_DIRECTIVES, directives);
  const settings = clampThreadedChildren(c, EVENT_MAX_THREAD_LIMIT, options.running);
  let factor = c.get("AsyncRequestWorkerFactor");
  // set_worker_factor() refuses 0 and below (so does our parser), then silently raises a
  // fraction below 1 to 1: fewer extra connections than idle threads would defeat the MPM.
  if (factor < 1) {
    factor = c.use(
      "AsyncRequestWorkerFactor",
      1,
      `AsyncRequestWorkerFactor of ${factor} is less than 1, increasing to 1`,
    );
  }
  return c.result({
    ...settings,
    asyncRequestWorkerFactor: factor,
    maxRequestsPerThread: c.get("MaxRequestsPerThread"),
    maxReadingPerThread: c.atLeastOne("MaxReadingPerThread", c.get("MaxReadingPerThread")),
  });
}

/**
 * Decides one event maintenance cycle: worker's ramp, except that a child is retired only
 * while the scoreboard keeps room for it to finish (event.c's `perform_idle_server_maintenance`).
 */
export function planEvent(input: PlanInput<EventSettings>): Plan {
  return planThreadedChildren(input, {
    retire: "with scoreboard headroom",
    busyTail: ({ serving, total }) =>
      `${serving} active children, and ${total - serving} children that are shutting down`,
  });
}

/** The event MPM's policy. */
export const EVENT: MpmPolicy<EventSettings> = {
  name: "event",
  caps: { threaded: "fixed", forked: "variable", async: true },
  directives: EVENT_DIRECTIVES,
  check: checkEvent,
  plan: planEvent,
  topology: (s) =>
    threadedChildrenTopology(s, {
      kind: "requests",
      asyncRequestWorkerFactor: s.asyncRequestWorkerFactor,
      maxRequestsPerThread: s.maxRequestsPerThread,
      maxReadingPerThread: s.maxReadingPerThread,
    }),
};
