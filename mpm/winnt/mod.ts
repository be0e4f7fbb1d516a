/**
 * The winnt MPM: its policy (directives with httpd 2.4's defaults, clamping rules,
 * maintenance plan).
 *
 * @module
 */

export { checkWinnt, planWinnt, WINNT, WINNT_DIRECTIVES, WINNT_MAX_THREAD_LIMIT } from "./winnt.ts";
export type { WinntSettings } from "./winnt.ts";
