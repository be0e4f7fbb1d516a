import assert from "node:assert/strict";
import { proc, snapshotOf } from "../mpm/_fixtures.ts";
import {
  idleSlotsOf,
  isIdleSlot,
  isLiveSlot,
  liveSlotsOf,
  servingProcesses,
  SLOT_STATES,
  type SlotState,
  spareSlotsOf,
} from "../../scoreboard/mod.ts";

const KEYS = Object.keys(SLOT_STATES) as SlotState[];

Deno.test("SLOT_STATES has exactly httpd's scoreboard keys", () => {
  assert.deepEqual([...KEYS].sort(), [".", "C", "D", "G", "I", "K", "L", "R", "S", "W", "_"]);
});

Deno.test("isIdleSlot() is true for starting and waiting slots only", () => {
  assert.deepEqual(KEYS.filter(isIdleSlot).sort(), ["S", "_"]);
});

Deno.test("isLiveSlot() is false for the open slot only", () => {
  assert.deepEqual(KEYS.filter((k) => !isLiveSlot(k)), ["."]);
});

Deno.test("idleSlotsOf() and liveSlotsOf() count a process's slots", () => {
  const p = proc(1, "_SWKGI..");
  assert.equal(idleSlotsOf(p), 2);
  assert.equal(liveSlotsOf(p), 6);
});

Deno.test("servingProcesses() and spareSlotsOf()", async (t) => {
  const CASES = [
    { name: "count a serving, accepting child", procs: [proc(1, "__W")], serving: 1, spare: 2 },
    {
      name: "leave out a child of an old generation",
      procs: [proc(1, "__W", { generation: 1 })],
      generation: 2,
      serving: 0,
      spare: 0,
    },
    {
      name: "leave out a quiescing child",
      procs: [proc(1, "__W", { quiescing: true })],
      serving: 0,
      spare: 0,
    },
    {
      name: "serve but add no spare slots for a child not accepting",
      procs: [proc(1, "__W", { notAccepting: true }), proc(2, "_")],
      serving: 2,
      spare: 1,
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const snapshot = snapshotOf(c.procs, c.generation ?? 1);
      assert.equal(servingProcesses(snapshot).length, c.serving);
      assert.equal(spareSlotsOf(snapshot), c.spare);
    });
  }
});
