/**
 * Every MPM's directive table, by MPM name.
 *
 * @module
 */

import type { Directive } from "../server/config/directive.ts";
import type { MpmName } from "../server/config/server_config.ts";
import { EVENT_DIRECTIVES } from "./event/mod.ts";
import { MPMT_OS2_DIRECTIVES } from "./mpmt_os2/mod.ts";
import { NETWARE_DIRECTIVES } from "./netware/mod.ts";
import { PREFORK_DIRECTIVES } from "./prefork/mod.ts";
import { WINNT_DIRECTIVES } from "./winnt/mod.ts";
import { WORKER_DIRECTIVES } from "./worker/mod.ts";

/** Each MPM's directives with httpd 2.4's defaults; the section of that name in the config. */
export const MPM_DIRECTIVES: Readonly<Record<MpmName, readonly Directive<number>[]>> = {
  prefork: PREFORK_DIRECTIVES,
  worker: WORKER_DIRECTIVES,
  event: EVENT_DIRECTIVES,
  winnt: WINNT_DIRECTIVES,
  netware: NETWARE_DIRECTIVES,
  mpmt_os2: MPMT_OS2_DIRECTIVES,
};
