/**
 * Fixtures for the MPM tests: builders for scoreboard snapshots (a process is written as its
 * slot letters, `proc(101, "__WW")`) and maintenance states, a small threaded section, and the
 * one runner of every MPM's `check()` table.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type Action,
  type CheckOptions,
  type CheckResult,
  INITIAL_MAINTENANCE_STATE,
  type MaintenanceState,
  type Plan,
  type PlanInput,
} from "../../mpm/mod.ts";
import {
  type ProcessSnapshot,
  type ScoreboardSnapshot,
  SLOT_STATES,
  type SlotState,
} from "../../scoreboard/mod.ts";

function isSlotState(letter: string): letter is SlotState {
  return Object.hasOwn(SLOT_STATES, letter);
}

/** A process of generation 1 (unless told) whose slots are the letters of `slots`. */
export function proc(
  pid: number,
  slots: string,
  options: { generation?: number; quiescing?: boolean; notAccepting?: boolean } = {},
): ProcessSnapshot {
  return {
    pid,
    generation: options.generation ?? 1,
    quiescing: options.quiescing ?? false,
    notAccepting: options.notAccepting ?? false,
    slots: [...slots].map((letter) => {
      if (!isSlotState(letter)) throw new Error(`Cannot build a slot: "${letter}" is no state`);
      return { state: letter };
    }),
  };
}

/** `count` processes with pids from `firstPid`, each with the slots `slots`. */
export function procs(count: number, slots: string, firstPid = 101): ProcessSnapshot[] {
  return Array.from({ length: count }, (_, i) => proc(firstPid + i, slots));
}

/** A snapshot of `processes` while the parent runs `generation`. */
export function snapshotOf(processes: ProcessSnapshot[], generation = 1): ScoreboardSnapshot {
  return { generation, processes };
}

/** The initial maintenance state with some fields changed. */
export function stateWith(change: Partial<MaintenanceState> = {}): MaintenanceState {
  return { ...INITIAL_MAINTENANCE_STATE, ...change };
}

/** The messages of the `warn` actions. */
export function warningsOf(actions: readonly Action[]): string[] {
  return actions.flatMap((a) => a.kind === "warn" ? [a.message] : []);
}

/** The actions other than `warn`. */
export function effectsOf(actions: readonly Action[]): Action[] {
  return actions.filter((a) => a.kind !== "warn");
}

/** A worker or event section: 4 threads per child, 3 serving children at most, 4 in all. */
export const SMALL_THREADED: Readonly<Record<string, number>> = {
  StartServers: 1,
  MinSpareThreads: 2,
  MaxSpareThreads: 6,
  ThreadsPerChild: 4,
  ThreadLimit: 4,
  ServerLimit: 4,
  MaxRequestWorkers: 12,
};

/** One row of a `plan()` table: the scoreboard and spawn rate going in, what the plan does. */
export interface PlanCase<S> {
  readonly name: string;
  readonly procs: ProcessSnapshot[];
  /** The generation the parent runs. @default 1 */
  readonly generation?: number;
  /** Settings of this row only; the table's otherwise. */
  readonly settings?: S;
  /** The spawn rate the cycle starts with. @default 1 */
  readonly rate?: number;
  readonly actions: Action[];
  /** The spawn rate the cycle leaves; not checked when absent. */
  readonly nextRate?: number;
}

/** Runs a policy's `plan()` over its table, from the initial state with the row's rate. */
export async function stepThroughPlans<S extends object>(
  t: Deno.TestContext,
  plan: (input: PlanInput<S>) => Plan,
  settings: S,
  cases: readonly PlanCase<S>[],
): Promise<void> {
  for (const c of cases) {
    await t.step(c.name, () => {
      const result = plan({
        snapshot: snapshotOf(c.procs, c.generation),
        settings: c.settings ?? settings,
        state: stateWith({ spawnRate: c.rate ?? 1 }),
      });
      assert.deepEqual(result.actions, c.actions);
      if (c.nextRate !== undefined) assert.equal(result.state.spawnRate, c.nextRate);
    });
  }
}

/** One row of a `check()` table: the section given, what changes from the defaults, why. */
export interface CheckCase<S> {
  readonly name: string;
  readonly given: Record<string, number>;
  /** The running settings, for a restart (ServerLimit and ThreadLimit are kept). */
  readonly running?: S;
  /** The settings that differ from httpd's defaults. */
  readonly settings: Partial<S>;
  /** The warnings, word for word. */
  readonly warnings: string[];
}

/** Runs a policy's `check()` over its table: settings = defaults + the row's changes. */
export async function stepThroughChecks<S extends object>(
  t: Deno.TestContext,
  check: (directives: Record<string, number>, options?: CheckOptions<S>) => CheckResult<S>,
  defaults: S,
  cases: readonly CheckCase<S>[],
): Promise<void> {
  for (const c of cases) {
    await t.step(c.name, () => {
      const result = check(c.given, c.running ? { running: c.running } : {});
      assert.deepEqual(result.settings, { ...defaults, ...c.settings });
      assert.deepEqual(result.warnings.map((w) => w.text), c.warnings);
      // Each names the directive it is about, which the config locates.
      for (const w of result.warnings) assert.ok(w.text.includes(w.directive), w.text);
    });
  }
}
