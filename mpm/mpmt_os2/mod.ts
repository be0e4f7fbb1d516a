/**
 * The mpmt_os2 MPM: its policy (directives with httpd 2.4's defaults, clamping rules,
 * maintenance plan).
 *
 * @module
 */

export {
  checkMpmtOs2,
  MPMT_OS2,
  MPMT_OS2_DIRECTIVES,
  MPMT_OS2_MAX_SERVERS,
  MPMT_OS2_MAX_THREADS,
  planMpmtOs2,
} from "./mpmt_os2.ts";
export type { MpmtOs2Settings } from "./mpmt_os2.ts";
