/**
 * The winnt MPM's policy file: the parent and exactly one child process with a fixed pool of
 * ThreadsPerChild threads; the child is respawned if it dies. Today it holds the directive
 * table with httpd 2.4's defaults; the clamping rules (with their warnings) and the
 * maintenance plan belong here too.
 *
 * @module
 */

import type { Directive } from "../../server/config/directive.ts";
import type { MpmPolicy } from "../mpm_policy.ts";
import { maxConnectionsPerChild, threadLimit, threadsPerChild } from "../_shared_directives.ts";

/** winnt's directives with httpd 2.4's defaults. */
export const WINNT_DIRECTIVES: readonly Directive<number>[] = [
  threadsPerChild(64),
  threadLimit(1920),
  maxConnectionsPerChild(),
];

/** The winnt MPM's policy. */
export const WINNT: MpmPolicy = {
  name: "winnt",
  caps: { threaded: "fixed", forked: "no", async: false },
  directives: WINNT_DIRECTIVES,
};
