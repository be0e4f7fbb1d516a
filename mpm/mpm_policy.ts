/**
 * What every MPM policy declares: our equivalent of httpd's `ap_mpm_query()`. Core code
 * reads these capabilities and tables; it never asks for an MPM by name.
 *
 * @module
 */

import type { Directive } from "../server/config/directive.ts";
import type { MpmName } from "../server/config/server_config.ts";

/** httpd's `AP_MPMQ_IS_THREADED` answers: no threads, a fixed or a variable count per process. */
export const THREADING = ["no", "fixed", "variable"] as const;
/** One of {@link THREADING}. */
export type Threading = typeof THREADING[number];

/** httpd's `AP_MPMQ_IS_FORKED` answers: no children, a static or a variable count. */
export const FORKING = ["no", "static", "variable"] as const;
/** One of {@link FORKING}. */
export type Forking = typeof FORKING[number];

/** How an MPM uses processes and threads. */
export interface MpmCaps {
  readonly threaded: Threading;
  readonly forked: Forking;
  /** Whether idle keep-alive connections are parked off the slots (`AP_MPMQ_IS_ASYNC`). */
  readonly async: boolean;
}

/** One MPM: its name, capabilities and directive table (httpd 2.4's defaults). */
export interface MpmPolicy {
  readonly name: MpmName;
  readonly caps: MpmCaps;
  /** The directives of its config section, with httpd 2.4's defaults. */
  readonly directives: readonly Directive<number>[];
}
