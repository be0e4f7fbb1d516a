/**
 * The six Multi-Processing Modules. Today: each MPM's directive table, for the config reader
 * to validate the `prefork:`, `worker:`, … sections and fill in httpd's defaults.
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
export { MPM_DIRECTIVES } from "./mpm_directives.ts";
export { PREFORK_DIRECTIVES } from "./prefork/mod.ts";
export { WORKER_DIRECTIVES } from "./worker/mod.ts";
export { EVENT_DIRECTIVES } from "./event/mod.ts";
export { WINNT_DIRECTIVES } from "./winnt/mod.ts";
export { NETWARE_DIRECTIVES } from "./netware/mod.ts";
export { MPMT_OS2_DIRECTIVES } from "./mpmt_os2/mod.ts";
