/**
 * The prefork MPM's policy file: one process per connection, no threads, a dynamic pool of
 * children kept between MinSpareServers and MaxSpareServers idle. Today it holds the
 * directive table with httpd 2.4's defaults; the clamping rules (with their warnings) and the
 * maintenance plan belong here too.
 *
 * @module
 */

import type { Directive } from "../../server/config/directive.ts";
import type { MpmPolicy } from "../mpm_policy.ts";
import {
  maxConnectionsPerChild,
  maxRequestWorkers,
  mpmCount,
  serverLimit,
  startServers,
} from "../_shared_directives.ts";

/** prefork's directives with httpd 2.4's defaults. */
export const PREFORK_DIRECTIVES: readonly Directive<number>[] = [
  startServers(5),
  mpmCount("MinSpareServers", "Fewest idle child processes kept ready", 5),
  mpmCount("MaxSpareServers", "Most idle child processes kept before some are retired", 10),
  serverLimit(256),
  maxRequestWorkers(256),
  maxConnectionsPerChild(),
];

/** The prefork MPM's policy. */
export const PREFORK: MpmPolicy = {
  name: "prefork",
  caps: { threaded: "no", forked: "variable", async: false },
  directives: PREFORK_DIRECTIVES,
};
