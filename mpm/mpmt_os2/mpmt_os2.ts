/**
 * The mpmt_os2 MPM's policy file: a fixed number (StartServers) of child processes, each
 * keeping its own idle threads between MinSpareThreads and MaxSpareThreads. Today it holds the
 * directive table with httpd 2.4's defaults; the clamping rules (with their warnings) and the
 * maintenance plan belong here too.
 *
 * @module
 */

import type { Directive } from "../../server/config/directive.ts";
import type { MpmPolicy } from "../mpm_policy.ts";
import {
  maxConnectionsPerChild,
  maxSpareThreads,
  minSpareThreads,
  startServers,
} from "../_shared_directives.ts";

/** mpmt_os2's directives with httpd 2.4's defaults. */
export const MPMT_OS2_DIRECTIVES: readonly Directive<number>[] = [
  startServers(2),
  minSpareThreads(5),
  maxSpareThreads(10),
  maxConnectionsPerChild(),
];

/** The mpmt_os2 MPM's policy. */
export const MPMT_OS2: MpmPolicy = {
  name: "mpmt_os2",
  caps: { threaded: "variable", forked: "no", async: false },
  directives: MPMT_OS2_DIRECTIVES,
};
