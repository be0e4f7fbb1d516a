/**
 * The snapshot a maintenance plan reads, as a pure function of what the parent knows (its
 * children) and what the scoreboard file says (their regions). The parent's knowledge wins
 * where the two differ: a child it told to retire is quiescing whatever its last flush says,
 * and a child still starting counts as `S` (httpd counts that as idle), so the ramp does not
 * spawn again for children on their way.
 *
 * @module
 */

import type { ProcessDetail, ProcessSnapshot, ScoreboardSnapshot } from "../../scoreboard/mod.ts";

/** What the parent knows of one child. */
export interface KnownChild {
  /** Its scoreboard region. */
  readonly index: number;
  /** Its process id (netware's hosts all have the parent's). */
  readonly pid: number;
  /** The generation that started it. */
  readonly generation: number;
  /** Spawned, not yet listening. */
  readonly starting: boolean;
  /** Told to finish and exit. */
  readonly quiescing: boolean;
}

/**
 * Builds the snapshot: one process per known child, in region order, with the slots its region
 * shows — or `startingSlots` slots in `S` while it starts or before its region is flushed.
 */
export function snapshotOf(input: {
  readonly children: readonly KnownChild[];
  readonly details: readonly ProcessDetail[];
  readonly generation: number;
  readonly startingSlots: number;
}): ScoreboardSnapshot {
  const processes: ProcessSnapshot[] = [...input.children]
    .sort((a, b) => a.index - b.index)
    .map((child) => {
      const detail = input.details.find((process) =>
        process.index === child.index && process.pid === child.pid
      );
      return {
        pid: child.pid,
        generation: child.generation,
        quiescing: child.quiescing,
        notAccepting: detail?.notAccepting ?? false,
        slots: !child.starting && detail !== undefined
          ? detail.slots
          : Array.from({ length: input.startingSlots }, () => ({ state: "S" as const })),
      };
    });
  return { generation: input.generation, processes };
}
