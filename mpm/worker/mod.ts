/**
 * The worker MPM: its policy (directives with httpd 2.4's defaults).
 *
 * @module
 */

export { WORKER, WORKER_DIRECTIVES } from "./worker.ts";
