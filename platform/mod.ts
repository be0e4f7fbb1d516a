/**
 * What this OS offers, and the decisions that depend only on that.
 *
 * @example
 * ```ts
 * import { chooseDefaultMpm, detectCapabilities } from "./platform/mod.ts";
 * const { mpm, reason } = chooseDefaultMpm(detectCapabilities());
 * ```
 *
 * @module
 */

export { detectCapabilities } from "./capabilities.ts";
export type { PlatformCapabilities } from "./capabilities.ts";
export { chooseDefaultMpm } from "./default_mpm.ts";
export type { DefaultMpmChoice } from "./default_mpm.ts";
export { watchStopSignals } from "./stop_signals.ts";
export type { StopSignals } from "./stop_signals.ts";
