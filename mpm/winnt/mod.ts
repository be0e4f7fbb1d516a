/**
 * The winnt MPM: its policy (directives with httpd 2.4's defaults).
 *
 * @module
 */

export { WINNT, WINNT_DIRECTIVES } from "./winnt.ts";
