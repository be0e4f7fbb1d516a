/**
 * The mpmt_os2 MPM: its policy (directives with httpd 2.4's defaults).
 *
 * @module
 */

export { MPMT_OS2, MPMT_OS2_DIRECTIVES } from "./mpmt_os2.ts";
