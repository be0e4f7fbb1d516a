/**
 * The MPMs whose app semantics the app tests check end to end (prefork, worker, event, and event
 * on Deno's native engine), each in a pool small enough for a test machine.
 *
 * @module
 */

import { type MpmCase, ONE_CHILD_TWO_THREADS } from "../../mpm/machinery/_mpm.ts";

/** The cases, for `caseName()` and `caseConfig()`. */
export const APP_MPMS: readonly MpmCase[] = [
  { mpm: "prefork", section: { StartServers: 2, MinSpareServers: 2, MaxSpareServers: 4 } },
  { mpm: "worker", section: ONE_CHILD_TWO_THREADS },
  { mpm: "event", section: ONE_CHILD_TWO_THREADS },
  { mpm: "event", section: ONE_CHILD_TWO_THREADS, engine: "native" },
];
