/**
 * The six Multi-Processing Modules as policies: each MPM's capabilities (as httpd's
 * `ap_mpm_query()` reports them), its directive table (which the config reader uses to
 * validate the `prefork:`, `worker:`, … sections and fill in httpd's defaults), httpd's
 * clamping rules between those values (`check`) and its maintenance decision (`plan`), a pure
 * function of a scoreboard snapshot whose actions the machinery applies.
 *
 * @example
 * ```ts
 * import { INITIAL_MAINTENANCE_STATE, MPMS } from "./mod.ts";
 *
 * const mpm = MPMS.worker;
 * const { settings, warnings } = mpm.check({ MaxRequestWorkers: 410 });
 * // warnings: ["MaxRequestWorkers of 410 is not an integer multiple of ThreadsPerChild of 25, …"]
 * const { actions, state } = mpm.plan({
 *   snapshot: { generation: 1, processes: [] },
 *   settings,
 *   state: INITIAL_MAINTENANCE_STATE,
 * });
 * // actions: [{ kind: "spawn", count: 1 }]; state.spawnRate: 2
 * ```
 *
 * @module
 */

export { MPM_DIRECTIVES, MPMS } from "./registry.ts";
export {
  chooseDefaultMpm,
  type DefaultMpmChoice,
  type MpmBuild,
  THIS_BUILD,
} from "./default_mpm.ts";
export { FORKING, THREADING } from "./mpm_policy.ts";
export {
  type ConnectionCounts,
  type Discipline,
  ONE_CONNECTION,
  overConnectionLimit,
} from "./discipline.ts";
export type {
  CheckOptions,
  CheckResult,
  ClampWarning,
  Forking,
  MpmCaps,
  MpmPolicy,
  Threading,
  Topology,
} from "./mpm_policy.ts";
export {
  afterGracefulRestart,
  GRACEFUL_HOLD_OFF_CYCLES,
  INITIAL_MAINTENANCE_STATE,
  WARNING_KINDS,
} from "./plan.ts";
export type { Action, ActionKind, MaintenanceState, Plan, PlanInput, WarningKind } from "./plan.ts";
export { MAX_SPAWN_RATE } from "./spawn_ramp.ts";
export type { ThreadedChildrenSettings } from "./threaded_children_settings.ts";
export { checkPrefork, planPrefork, PREFORK, PREFORK_DIRECTIVES } from "./prefork/mod.ts";
export type { PreforkSettings } from "./prefork/mod.ts";
export { checkWorker, planWorker, WORKER, WORKER_DIRECTIVES } from "./worker/mod.ts";
export type { WorkerSettings } from "./worker/mod.ts";
export { checkEvent, EVENT, EVENT_DIRECTIVES, planEvent } from "./event/mod.ts";
export type { EventSettings } from "./event/mod.ts";
export { checkWinnt, planWinnt, WINNT, WINNT_DIRECTIVES } from "./winnt/mod.ts";
export type { WinntSettings } from "./winnt/mod.ts";
export { checkNetware, NETWARE, NETWARE_DIRECTIVES, planNetware } from "./netware/mod.ts";
export type { NetwareSettings } from "./netware/mod.ts";
export { checkMpmtOs2, MPMT_OS2, MPMT_OS2_DIRECTIVES, planMpmtOs2 } from "./mpmt_os2/mod.ts";
export type { MpmtOs2Settings } from "./mpmt_os2/mod.ts";
