/**
 * The netware MPM's policy file: one process, no children; its threads are started and
 * retired to keep the idle ones between MinSpareThreads and MaxSpareThreads, up to
 * MaxThreads. Today it holds the directive table with httpd 2.4's defaults; the clamping
 * rules (with their warnings) and the maintenance plan belong here too.
 *
 * @module
 */

import type { Directive } from "../../server/config/directive.ts";
import type { MpmPolicy } from "../mpm_policy.ts";
import {
  maxConnectionsPerChild,
  maxSpareThreads,
  minSpareThreads,
  mpmCount,
} from "../_shared_directives.ts";

/** netware's directives with httpd 2.4's defaults. */
export const NETWARE_DIRECTIVES: readonly Directive<number>[] = [
  mpmCount("StartThreads", "Threads created at startup", 50),
  minSpareThreads(10),
  maxSpareThreads(100),
  mpmCount("MaxThreads", "Most threads the process runs", 2048),
  maxConnectionsPerChild(),
];

/** The netware MPM's policy. */
export const NETWARE: MpmPolicy = {
  name: "netware",
  caps: { threaded: "variable", forked: "no", async: false },
  directives: NETWARE_DIRECTIVES,
};
