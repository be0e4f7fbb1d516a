/**
 * The worker MPM's policy file: child processes each running a fixed ThreadsPerChild
 * threads, children added and retired to keep the server-wide idle threads between
 * MinSpareThreads and MaxSpareThreads. Today it holds the directive table with httpd 2.4's
 * defaults; the clamping rules (with their warnings) and the maintenance plan belong here too.
 *
 * @module
 */

import type { Directive } from "../../server/config/directive.ts";
import type { MpmPolicy } from "../mpm_policy.ts";
import {
  maxConnectionsPerChild,
  maxRequestWorkers,
  maxSpareThreads,
  minSpareThreads,
  serverLimit,
  startServers,
  threadLimit,
  threadsPerChild,
} from "../_shared_directives.ts";

/** worker's directives with httpd 2.4's defaults (MaxRequestWorkers = 16 × 25). */
export const WORKER_DIRECTIVES: readonly Directive<number>[] = [
  startServers(3),
  minSpareThreads(75),
  maxSpareThreads(250),
  threadsPerChild(25),
  threadLimit(64),
  serverLimit(16),
  maxRequestWorkers(400),
  maxConnectionsPerChild(),
];

/** The worker MPM's policy. */
export const WORKER: MpmPolicy = {
  name: "worker",
  caps: { threaded: "fixed", forked: "variable", async: false },
  directives: WORKER_DIRECTIVES,
};
