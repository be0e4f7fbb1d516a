import assert from "node:assert/strict";
import { EMPTY_SLOT, type SlotRecord } from "../../../scoreboard/mod.ts";
import { staleSlots } from "../../../mpm/machinery/mod.ts";

const slot = (state: SlotRecord["state"], heartbeatMs: number): SlotRecord => ({
  ...EMPTY_SLOT,
  state,
  heartbeatMs,
});

Deno.test("staleSlots() finds the live slots whose heartbeat stopped", async (t) => {
  const CASES: { name: string; slots: SlotRecord[]; want: { index: number; staleMs: number }[] }[] =
    [
      { name: "fresh heartbeats", slots: [slot("_", 9_500), slot("W", 9_000)], want: [] },
      {
        name: "one beyond the limit",
        slots: [slot("_", 9_500), slot("W", 7_000)],
        want: [{ index: 1, staleMs: 3_000 }],
      },
      { name: "exactly at the limit is not stale", slots: [slot("W", 8_000)], want: [] },
      { name: "an open slot keeps its last beat", slots: [slot(".", 1_000)], want: [] },
      { name: "a slot that never beat is starting", slots: [slot("S", 0)], want: [] },
    ];
  for (const c of CASES) {
    await t.step(c.name, () => assert.deepEqual(staleSlots(c.slots, 10_000, 2_000), c.want));
  }
});
