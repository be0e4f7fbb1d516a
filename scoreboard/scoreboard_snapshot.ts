/**
 * A scoreboard snapshot as plain data: what a maintenance decision reads. The scoreboard
 * itself (storage, updates) is machinery; a snapshot is a copy of it taken once per cycle.
 *
 * @module
 */

/**
 * httpd's scoreboard keys (the letters of mod_status) and what each says about a slot.
 * `S` and `_` are the idle states: httpd counts a starting slot as idle, because forking more
 * while the last ones are still starting would only swamp the machine (`status <=
 * SERVER_READY` in every `perform_idle_server_maintenance`).
 */
export const SLOT_STATES = {
  _: "waiting for a connection",
  S: "starting up",
  R: "reading a request",
  W: "sending a reply",
  K: "keep-alive, waiting for the next request",
  D: "looking up a host name",
  C: "closing the connection",
  L: "logging",
  G: "finishing gracefully before it exits",
  I: "idle, being retired",
  ".": "open slot: no thread or process",
} as const;

/** One of the keys of {@link SLOT_STATES}. */
export type SlotState = keyof typeof SLOT_STATES;

/** One scoreboard slot: a thread, or a prefork child. */
export interface SlotSnapshot {
  /** What the slot is doing, as a mod_status letter. */
  readonly state: SlotState;
}

/** One process and its slots. */
export interface ProcessSnapshot {
  /** Process id of the child that owns these slots. */
  readonly pid: number;
  /** The generation that started it; a graceful restart starts a new one. */
  readonly generation: number;
  /** Told to finish its connections and exit (retired, recycled or of an old generation). */
  readonly quiescing: boolean;
  /**
   * Temporarily refusing new connections (event's per-process connection limit); its idle
   * slots are not spare capacity.
   */
  readonly notAccepting: boolean;
  /** prefork: one slot; threaded MPMs: one slot per thread slot. */
  readonly slots: readonly SlotSnapshot[];
}

/** The scoreboard at one moment: the running generation and every live process. */
export interface ScoreboardSnapshot {
  /** The generation the parent runs now. */
  readonly generation: number;
  /** Live processes only, in scoreboard order; a dead child is simply absent. */
  readonly processes: readonly ProcessSnapshot[];
}

/** Whether a slot in `state` counts as idle: starting (`S`) or waiting (`_`). */
export function isIdleSlot(state: SlotState): boolean {
  return state === "S" || state === "_";
}

/** Whether a slot in `state` holds a thread or process (every state but `.`). */
export function isLiveSlot(state: SlotState): boolean {
  return state !== ".";
}

/** The number of idle slots ({@link isIdleSlot}) of a process. */
export function idleSlotsOf(process: ProcessSnapshot): number {
  return process.slots.filter((slot) => isIdleSlot(slot.state)).length;
}

/** The number of live slots ({@link isLiveSlot}) of a process. */
export function liveSlotsOf(process: ProcessSnapshot): number {
  return process.slots.filter((slot) => isLiveSlot(slot.state)).length;
}

/** Whether a process serves the running generation: started by it and not quiescing. */
export function isServing(process: ProcessSnapshot, generation: number): boolean {
  return process.generation === generation && !process.quiescing;
}

/** The processes that serve the running generation ({@link isServing}). */
export function servingProcesses(snapshot: ScoreboardSnapshot): ProcessSnapshot[] {
  return snapshot.processes.filter((process) => isServing(process, snapshot.generation));
}

/**
 * Idle slots that are spare capacity: those of serving processes that accept connections.
 * httpd's worker and event count idle threads the same way (current generation, not
 * quiescing, not `not_accepting`).
 */
export function spareSlotsOf(snapshot: ScoreboardSnapshot): number {
  return servingProcesses(snapshot)
    .filter((process) => !process.notAccepting)
    .reduce((sum, process) => sum + idleSlotsOf(process), 0);
}
