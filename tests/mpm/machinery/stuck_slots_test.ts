import assert from "node:assert/strict";
import { EMPTY_SLOT, type ProcessDetail, type SlotRecord } from "../../../scoreboard/mod.ts";
import { planStuckSlots, staleSlots } from "../../../mpm/machinery/mod.ts";

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

Deno.test("planStuckSlots() acts once per RequestTimeout on each stuck slot", async (t) => {
  const LIMIT = 2_000;
  const NOW = 10_000;
  const detail = (pid: number, slots: SlotRecord[]) =>
    ({ index: 0, pid, slots }) as unknown as ProcessDetail;
  const CASES = [
    {
      name: "a prefork child whose slot stopped is killed",
      threaded: false,
      slots: [slot("W", 7_000)],
      acted: [],
      actions: [{ kind: "kill", index: 0, slot: { index: 0, staleMs: 3_000 } }],
      since: [[0, NOW]],
    },
    {
      name: "a stuck thread has its child replace itself",
      threaded: true,
      slots: [slot("_", 9_900), slot("W", 7_000)],
      acted: [],
      actions: [{ kind: "restartThread", index: 0, slot: { index: 1, staleMs: 3_000 } }],
      since: [[1, NOW]],
    },
    {
      name: "acted on within the limit: nothing again yet",
      threaded: true,
      slots: [slot("W", 7_000)],
      acted: [[0, 9_000]],
      actions: [],
      since: [[0, 9_000]],
    },
    {
      name: "acted on longer ago than the limit: again",
      threaded: true,
      slots: [slot("W", 1_000)],
      acted: [[0, 7_000]],
      actions: [{ kind: "restartThread", index: 0, slot: { index: 0, staleMs: 9_000 } }],
      since: [[0, NOW]],
    },
    {
      name: "a slot that runs again is forgotten",
      threaded: true,
      slots: [slot("_", 9_900)],
      acted: [[0, 9_000]],
      actions: [],
      since: [],
    },
  ] as const;
  for (const c of CASES) {
    await t.step(c.name, () => {
      const { actions, stuckSince } = planStuckSlots({
        details: [detail(42, [...c.slots])],
        children: new Map([[0, {
          index: 0,
          pid: 42,
          stuckSince: new Map(c.acted),
          threaded: c.threaded,
        }]]),
        nowMs: NOW,
        limitMs: LIMIT,
      });
      assert.deepEqual(actions, c.actions);
      assert.deepEqual([...stuckSince.get(0)!], c.since);
    });
  }
  await t.step("a region now held by another process is left alone", () => {
    const { actions } = planStuckSlots({
      details: [detail(43, [slot("W", 1_000)])],
      children: new Map([[0, { index: 0, pid: 42, stuckSince: new Map(), threaded: false }]]),
      nowMs: NOW,
      limitMs: LIMIT,
    });
    assert.deepEqual(actions, []);
  });
});
