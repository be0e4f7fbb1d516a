/**
 * The event MPM: its policy (directives with httpd 2.4's defaults, clamping rules,
 * maintenance plan).
 *
 * @module
 */

export { checkEvent, EVENT, EVENT_DIRECTIVES, EVENT_MAX_THREAD_LIMIT, planEvent } from "./event.ts";
export type { EventSettings } from "./event.ts";
