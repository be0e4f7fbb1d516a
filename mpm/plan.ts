/**
 * What a maintenance decision takes and returns. Each MPM's `plan()` is a pure function of a
 * scoreboard snapshot, the MPM's checked settings and the state the previous cycle left (our
 * version of httpd's retained data); it returns actions as data, which the machinery applies.
 *
 * @module
 */

import type { ScoreboardSnapshot } from "../scoreboard/mod.ts";

/** One thing the machinery should do this cycle. */
export type Action =
  /** Start `count` child processes. */
  | { readonly kind: "spawn"; readonly count: number }
  /** Ask one child to finish its connections and exit (httpd's pipe of death). */
  | { readonly kind: "retire"; readonly pid: number }
  /** Start `count` threads in process `pid` (netware: the parent itself). */
  | { readonly kind: "spawnThreads"; readonly pid: number; readonly count: number }
  /** Let `count` idle threads of process `pid` finish and exit. */
  | { readonly kind: "retireThreads"; readonly pid: number; readonly count: number }
  /** Log `message` at `level` (httpd's levels for these messages: error and info). */
  | { readonly kind: "warn"; readonly level: "error" | "info"; readonly message: string };

/** One of the `kind`s of {@link Action}. */
export type ActionKind = Action["kind"];

/** The warnings a plan gives at most once per generation. */
export const WARNING_KINDS = ["reachedLimit", "scoreboardFull", "busy"] as const;
/** One of {@link WARNING_KINDS}. */
export type WarningKind = typeof WARNING_KINDS[number];

/** What one maintenance cycle leaves for the next (httpd keeps this in its retained data). */
export interface MaintenanceState {
  /**
   * How many children (netware: threads) the next short cycle spawns: 1, doubled after each
   * cycle that had to spawn, up to the MPM's maximum, back to 1 when a cycle needs none
   * (httpd's `idle_spawn_rate`).
   */
  readonly spawnRate: number;
  /**
   * Short cycles left in which the rate does not double: after a graceful restart the old
   * children are still leaving (httpd's `hold_off_on_exponential_spawning`).
   */
  readonly holdOffCycles: number;
  /** For each warning already given, the generation it was given in. */
  readonly warnedIn: Readonly<Partial<Record<WarningKind, number>>>;
}

/** The state before the first cycle. */
export const INITIAL_MAINTENANCE_STATE: MaintenanceState = {
  spawnRate: 1,
  holdOffCycles: 0,
  warnedIn: {},
};

/** Short cycles without doubling after a graceful restart (httpd's `*_run()` use 10). */
export const GRACEFUL_HOLD_OFF_CYCLES = 10;

/** The state to carry into the generation a graceful restart starts. */
export function afterGracefulRestart(state: MaintenanceState): MaintenanceState {
  return { ...state, holdOffCycles: GRACEFUL_HOLD_OFF_CYCLES };
}

/** What a policy's `plan()` reads. */
export interface PlanInput<S> {
  /** The scoreboard as read at the start of this cycle. */
  readonly snapshot: ScoreboardSnapshot;
  /** The MPM's settings, as its `check()` returned them. */
  readonly settings: S;
  /** What earlier cycles left: spawn rate, hold-off cycles, warnings given. */
  readonly state: MaintenanceState;
}

/** A cycle's decision: actions in order, and the state for the next cycle. */
export interface Plan {
  /** What the machinery applies this cycle, in order. */
  readonly actions: readonly Action[];
  /** The state to pass to the next cycle's `plan()`. */
  readonly state: MaintenanceState;
}

/**
 * A warning given at most once per generation: the action (or none, if `kind` was already
 * given in `generation`) and the state that remembers it.
 */
export function warnOnce(
  state: MaintenanceState,
  warning: {
    readonly kind: WarningKind;
    readonly generation: number;
    readonly level: "error" | "info";
    readonly message: string;
  },
): { readonly actions: readonly Action[]; readonly state: MaintenanceState } {
  if (state.warnedIn[warning.kind] === warning.generation) return { actions: [], state };
  return {
    actions: [{ kind: "warn", level: warning.level, message: warning.message }],
    state: { ...state, warnedIn: { ...state.warnedIn, [warning.kind]: warning.generation } },
  };
}
