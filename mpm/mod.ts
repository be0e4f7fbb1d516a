/**
 * The six Multi-Processing Modules. Today: each MPM's policy — its capabilities (as httpd's
 * `ap_mpm_query()` reports them) and its directive table, which the config reader uses to
 * validate the `prefork:`, `worker:`, … sections and fill in httpd's defaults.
 *
 * @example
 * ```ts
 * import { MPM_DIRECTIVES } from "./mod.ts";
 *
 * MPM_DIRECTIVES.prefork.map((d) => `${d.name} ${d.default}`); // ["StartServers 5", …]
 * ```
 *
 * @module
 */

export { MPM_NAMES } from "../server/config/server_config.ts";
export type { MpmName } from "../server/config/server_config.ts";
export { MPM_DIRECTIVES, MPMS } from "./registry.ts";
export { FORKING, THREADING } from "./mpm_policy.ts";
export type { Forking, MpmCaps, MpmPolicy, Threading } from "./mpm_policy.ts";
export { PREFORK, PREFORK_DIRECTIVES } from "./prefork/mod.ts";
export { WORKER, WORKER_DIRECTIVES } from "./worker/mod.ts";
export { EVENT, EVENT_DIRECTIVES } from "./event/mod.ts";
export { WINNT, WINNT_DIRECTIVES } from "./winnt/mod.ts";
export { NETWARE, NETWARE_DIRECTIVES } from "./netware/mod.ts";
export { MPMT_OS2, MPMT_OS2_DIRECTIVES } from "./mpmt_os2/mod.ts";
