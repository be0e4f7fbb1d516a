/**
 * Which slots have stopped running: the heartbeat test that both the avoidance of a stuck slot
 * and its replacement at RequestTimeout apply, as a pure function of the scoreboard.
 *
 * @module
 */

import type { SlotRecord } from "../../scoreboard/mod.ts";

/** A slot whose heartbeat is older than the limit. */
export interface StaleSlot {
  /** Its index in its process. */
  readonly index: number;
  /** How long its heartbeat has not moved. */
  readonly staleMs: number;
}

/**
 * The live slots (not `.`, with a heartbeat) whose heartbeat is more than `limitMs` old at
 * `nowMs`. A slot that never beat has not started: it is not stale.
 */
export function staleSlots(
  slots: readonly SlotRecord[],
  nowMs: number,
  limitMs: number,
): StaleSlot[] {
  const stale: StaleSlot[] = [];
  slots.forEach((slot, index) => {
    if (slot.state === "." || slot.heartbeatMs === 0) return;
    const staleMs = nowMs - slot.heartbeatMs;
    if (staleMs > limitMs) stale.push({ index, staleMs });
  });
  return stale;
}
