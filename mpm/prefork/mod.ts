/**
 * The prefork MPM: its policy (directives with httpd 2.4's defaults, clamping rules,
 * maintenance plan).
 *
 * @module
 */

export {
  checkPrefork,
  planPrefork,
  PREFORK,
  PREFORK_DIRECTIVES,
  PREFORK_MAX_SERVER_LIMIT,
} from "./prefork.ts";
export type { PreforkSettings } from "./prefork.ts";
