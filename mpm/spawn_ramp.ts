/**
 * The spare-worker ramp that httpd's prefork, worker, event and netware each carry a copy of
 * in `perform_idle_server_maintenance()`, written once and fed by each MPM's own counts:
 * above the spare maximum retire one unit; below the minimum spawn at the current rate,
 * doubling it each short cycle up to a maximum; otherwise reset the rate to 1.
 *
 * @module
 */

import {
  type Action,
  type MaintenanceState,
  type Plan,
  type WarningKind,
  warnOnce,
} from "./plan.ts";
import { idleSlotsOf, type ScoreboardSnapshot, servingProcesses } from "../scoreboard/mod.ts";

/** Most children spawned in one cycle by prefork, worker and event (httpd's MAX_SPAWN_RATE). */
export const MAX_SPAWN_RATE = 32;

/** The messages of one MPM's ramp, worded as httpd's. */
export interface RampWording {
  /** Given (at error level) when spawning is needed but a limit leaves no room. */
  readonly reachedLimit: string;
  /**
   * Given (at error level) when the scoreboard has no free slot although the limit is not
   * reached (worker, event: old children still finishing fill ServerLimit).
   */
  readonly scoreboardFull?: string;
  /** Given (at info level) when the rate is 8 or more: the load outgrows the settings. */
  busy(spawning: number): string;
}

/** What one cycle of the ramp reads; the counts are the MPM's own. */
export interface RampInput {
  /** Idle units counted against the spare bounds. */
  readonly idle: number;
  readonly minSpare: number;
  readonly maxSpare: number;
  /** Units that may still be spawned now, within every limit. */
  readonly room: number;
  /** Which limit leaves no room when `room` is 0. */
  readonly limitedBy: "reachedLimit" | "scoreboardFull";
  /** Ceiling of the doubling rate: 32 (prefork, worker, event) or 64 (netware). */
  readonly maxSpawnRate: number;
  /** The action that spawns `count` units. */
  spawn(count: number): Action;
  /** The action that retires one unit; null when none may be retired now. */
  readonly retire: Action | null;
  readonly wording: RampWording;
  /** The running generation: warnings are given once per generation. */
  readonly generation: number;
  readonly state: MaintenanceState;
}

/** Decides one cycle of the ramp. */
export function planRamp(input: RampInput): Plan {
  const { state } = input;
  if (input.idle > input.maxSpare) {
    // One per cycle, gracefully: the child may have picked up a connection while we counted.
    if (input.retire === null) return { actions: [], state };
    return { actions: [input.retire], state: { ...state, spawnRate: 1 } };
  }
  if (input.idle >= input.minSpare) return { actions: [], state: { ...state, spawnRate: 1 } };

  if (input.room <= 0) {
    const kind: WarningKind = input.limitedBy;
    const { reachedLimit, scoreboardFull = reachedLimit } = input.wording;
    const warned = warnOnce(state, {
      kind,
      generation: input.generation,
      level: "error",
      message: kind === "scoreboardFull" ? scoreboardFull : reachedLimit,
    });
    return { actions: warned.actions, state: { ...warned.state, spawnRate: 1 } };
  }

  const count = Math.min(state.spawnRate, input.room);
  const busy = state.spawnRate >= 8
    ? warnOnce(state, {
      kind: "busy",
      generation: input.generation,
      level: "info",
      message: input.wording.busy(count),
    })
    : { actions: [], state };
  const next = busy.state.holdOffCycles > 0
    ? { ...busy.state, holdOffCycles: busy.state.holdOffCycles - 1 }
    : { ...busy.state, spawnRate: Math.min(busy.state.spawnRate * 2, input.maxSpawnRate) };
  return { actions: [...busy.actions, input.spawn(count)], state: next };
}

/**
 * The serving child to retire: the one with the most idle slots, the last of equals (httpd's
 * netware retires its highest-numbered slot; lower ones tend to be warmer). Null if none.
 */
export function childToRetire(snapshot: ScoreboardSnapshot): number | null {
  let chosen: { readonly pid: number; readonly idle: number } | null = null;
  for (const process of servingProcesses(snapshot)) {
    const idle = idleSlotsOf(process);
    if (chosen === null || idle >= chosen.idle) chosen = { pid: process.pid, idle };
  }
  return chosen?.pid ?? null;
}
