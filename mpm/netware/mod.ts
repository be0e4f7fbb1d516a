/**
 * The netware MPM: its policy (directives with httpd 2.4's defaults).
 *
 * @module
 */

export { NETWARE, NETWARE_DIRECTIVES } from "./netware.ts";
