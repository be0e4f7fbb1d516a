/**
 * The MPMs whose app semantics the app tests check end to end (prefork, worker, event), each in
 * a pool small enough for a test machine.
 *
 * @module
 */

import { ONE_CHILD_TWO_THREADS } from "../../mpm/machinery/_mpm.ts";

/** MPM name and section values for `mpmConfig()`. */
export const APP_MPMS = [
  { mpm: "prefork", section: { StartServers: 2, MinSpareServers: 2, MaxSpareServers: 4 } },
  { mpm: "worker", section: ONE_CHILD_TWO_THREADS },
  { mpm: "event", section: ONE_CHILD_TWO_THREADS },
] as const;
