/**
 * The netware MPM: its policy (directives with httpd 2.4's defaults, clamping rules,
 * maintenance plan).
 *
 * @module
 */

export {
  checkNetware,
  NETWARE,
  NETWARE_DIRECTIVES,
  NETWARE_MAX_SPAWN_RATE,
  NETWARE_MAX_THREADS,
  planNetware,
} from "./netware.ts";
export type { NetwareSettings } from "./netware.ts";
