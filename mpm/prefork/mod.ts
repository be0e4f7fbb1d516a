/**
 * The prefork MPM: its policy (directives with httpd 2.4's defaults).
 *
 * @module
 */

export { PREFORK, PREFORK_DIRECTIVES } from "./prefork.ts";
