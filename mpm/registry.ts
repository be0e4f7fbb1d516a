/**
 * Every MPM compiled into mpmd, by name: the one place that lists them all.
 *
 * @module
 */

import { EVENT } from "./event/mod.ts";
import type { MpmPolicy } from "./mpm_policy.ts";
import { MPMT_OS2 } from "./mpmt_os2/mod.ts";
import { NETWARE } from "./netware/mod.ts";
import { PREFORK } from "./prefork/mod.ts";
import { WINNT } from "./winnt/mod.ts";
import { WORKER } from "./worker/mod.ts";
import type { Directive, MpmName } from "../server/config/mod.ts";

/** The six MPMs by name. */
export const MPMS: Readonly<Record<MpmName, MpmPolicy>> = {
  prefork: PREFORK,
  worker: WORKER,
  event: EVENT,
  winnt: WINNT,
  netware: NETWARE,
  mpmt_os2: MPMT_OS2,
};

/** Each MPM's directives with httpd 2.4's defaults; the section of that name in the config. */
export const MPM_DIRECTIVES: Readonly<Record<MpmName, readonly Directive<number>[]>> = {
  prefork: MPMS.prefork.directives,
  worker: MPMS.worker.directives,
  event: MPMS.event.directives,
  winnt: MPMS.winnt.directives,
  netware: MPMS.netware.directives,
  mpmt_os2: MPMS.mpmt_os2.directives,
};
