/**
 * The event MPM: its policy (directives with httpd 2.4's defaults).
 *
 * @module
 */

export { EVENT, EVENT_DIRECTIVES } from "./event.ts";
