import assert from "node:assert/strict";
import { type Discipline, ONE_CONNECTION, overConnectionLimit } from "../../mpm/mod.ts";

const EVENT: Discipline = {
  kind: "requests",
  asyncRequestWorkerFactor: 2,
  maxRequestsPerThread: 0,
};

Deno.test("overConnectionLimit()", async (t) => {
  const CASES = [
    {
      name: "one-connection slots never are: each slot takes only what it serves",
      discipline: ONE_CONNECTION,
      counts: { connections: 100, keepAlive: 0, slots: 2, idleSlots: 0 },
      over: false,
    },
    {
      name: "event under ThreadsPerChild + factor × idle threads accepts",
      discipline: EVENT,
      counts: { connections: 5, keepAlive: 0, slots: 2, idleSlots: 2 },
      over: false,
    },
    {
      name: "event at the limit stops (2 + 2 × 2 = 6)",
      discipline: EVENT,
      counts: { connections: 6, keepAlive: 0, slots: 2, idleSlots: 2 },
      over: true,
    },
    {
      name: "parked keep-alive connections do not count",
      discipline: EVENT,
      counts: { connections: 106, keepAlive: 100, slots: 2, idleSlots: 2 },
      over: true,
    },
    {
      name: "with every thread busy, the threads alone are the limit",
      discipline: EVENT,
      counts: { connections: 101, keepAlive: 100, slots: 2, idleSlots: 0 },
      over: false,
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.equal(overConnectionLimit(c.discipline, c.counts), c.over);
    });
  }
});
