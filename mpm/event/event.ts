/**
 * The event MPM's policy file: worker's process and thread model, but idle keep-alive
 * connections wait in the event loop instead of holding a thread, up to a per-process limit
 * set by AsyncRequestWorkerFactor. Today it holds the directive table with httpd 2.4's
 * defaults; the clamping rules (with their warnings) and the maintenance plan belong here too.
 *
 * @module
 */

import { decimal, type Directive } from "../../server/config/directive.ts";
import { MAX_COUNT } from "../_shared_directives.ts";
import type { MpmPolicy } from "../mpm_policy.ts";
import { WORKER_DIRECTIVES } from "../worker/mod.ts";

/** event's directives: worker's, plus AsyncRequestWorkerFactor (default 2, a fraction allowed). */
export const EVENT_DIRECTIVES: readonly Directive<number>[] = [
  ...WORKER_DIRECTIVES,
  decimal({
    name: "AsyncRequestWorkerFactor",
    help: "Connections a process may hold per idle thread, beyond ThreadsPerChild",
    default: 2,
    above: 0,
    max: MAX_COUNT,
  }),
];

/** The event MPM's policy. */
export const EVENT: MpmPolicy = {
  name: "event",
  caps: { threaded: "fixed", forked: "variable", async: true },
  directives: EVENT_DIRECTIVES,
};
