/**
 * RequestTimeout as a pure decision: which slots have stopped running (their heartbeat is
 * older than the limit: a handler in a busy loop), and what the parent does about each — kill
 * a prefork child, or have a threaded child replace itself (Deno cannot end a Worker that never
 * yields) — at most once per RequestTimeout for the same slot.
 *
 * @module
 */

import type { ProcessDetail, SlotRecord } from "../../scoreboard/mod.ts";

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

/** What the parent knows of a child for the watch. */
export interface WatchedChild {
  /** Its region in the scoreboard. */
  readonly index: number;
  /** Its process id: a region whose record names another is a successor's. */
  readonly pid: number;
  /** When each of its slots was last acted on. */
  readonly stuckSince: ReadonlyMap<number, number>;
  /** Whether its slots are threads (else it is its one slot): its generation's MPM says. */
  readonly threaded: boolean;
}

/** One thing to do about a stuck slot. */
export interface StuckAction {
  /** `kill`: the child's one slot (prefork); `restartThread`: a thread of a threaded child. */
  readonly kind: "kill" | "restartThread";
  /** The child's region. */
  readonly index: number;
  /** The stuck slot. */
  readonly slot: StaleSlot;
}

/** What {@link planStuckSlots} takes. */
export interface StuckWatchInput {
  /** The scoreboard's processes. */
  readonly details: readonly ProcessDetail[];
  /** The parent's children by region. */
  readonly children: ReadonlyMap<number, WatchedChild>;
  /** The time of this cycle. */
  readonly nowMs: number;
  /** RequestTimeout. */
  readonly limitMs: number;
}

/**
 * Decides this cycle's actions on stuck slots, and each child's new record of when its slots
 * were acted on (a slot that runs again is forgotten).
 */
export function planStuckSlots(input: StuckWatchInput): {
  readonly actions: StuckAction[];
  readonly stuckSince: Map<number, Map<number, number>>;
} {
  const actions: StuckAction[] = [];
  const stuckSince = new Map<number, Map<number, number>>();
  for (const detail of input.details) {
    const child = input.children.get(detail.index);
    if (child === undefined || child.pid !== detail.pid) continue;
    const since = new Map<number, number>();
    for (const slot of staleSlots(detail.slots, input.nowMs, input.limitMs)) {
      // Acted on once per RequestTimeout: a replacement takes a moment to show.
      const acted = child.stuckSince.get(slot.index);
      if (acted !== undefined && input.nowMs - acted <= input.limitMs) {
        since.set(slot.index, acted);
        continue;
      }
      since.set(slot.index, input.nowMs);
      actions.push({ kind: child.threaded ? "restartThread" : "kill", index: detail.index, slot });
    }
    stuckSince.set(detail.index, since);
  }
  return { actions, stuckSince };
}
