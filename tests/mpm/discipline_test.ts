import assert from "node:assert/strict";
import { type Discipline, ONE_CONNECTION, overConnectionLimit } from "../../mpm/mod.ts";

const EVENT: Discipline = {
  kind: "requests",
  asyncRequestWorkerFactor: 2,
  maxRequestsPerThread: 0,
  maxReadingPerThread: 10,
};

Deno.test("overConnectionLimit()", async (t) => {
  const CASES = [
    {
      name: "one-connection slots never are: each slot takes only what it serves",
      discipline: ONE_CONNECTION,
      counts: { connections: 100, keepAlive: 0, reading: 0, tunnels: 0, slots: 2, idleSlots: 0 },
      over: false,
    },
    {
      name: "event under ThreadsPerChild + factor × idle threads accepts",
      discipline: EVENT,
      counts: { connections: 5, keepAlive: 0, reading: 0, tunnels: 0, slots: 2, idleSlots: 2 },
      over: false,
    },
    {
      name: "event at the limit stops (2 + 2 × 2 = 6)",
      discipline: EVENT,
      counts: { connections: 6, keepAlive: 0, reading: 0, tunnels: 0, slots: 2, idleSlots: 2 },
      over: true,
    },
    {
      name: "parked keep-alive connections do not count",
      discipline: EVENT,
      counts: { connections: 106, keepAlive: 100, reading: 0, tunnels: 0, slots: 2, idleSlots: 2 },
      over: true,
    },
    {
      name: "tunnels do not count",
      discipline: EVENT,
      counts: {
        connections: 1005,
        keepAlive: 0,
        reading: 0,
        tunnels: 1000,
        slots: 2,
        idleSlots: 2,
      },
      over: false,
    },
    {
      name: "with every thread full (MaxRequestsPerThread), the threads alone are the limit",
      discipline: EVENT,
      counts: { connections: 101, keepAlive: 100, reading: 0, tunnels: 0, slots: 2, idleSlots: 0 },
      over: false,
    },
    {
      name: "connections sending their heads do not count against the threads",
      discipline: EVENT,
      counts: { connections: 24, keepAlive: 0, reading: 19, tunnels: 0, slots: 2, idleSlots: 2 },
      over: false,
    },
    {
      name: "they have their own bound: MaxReadingPerThread per slot (2 × 10)",
      discipline: EVENT,
      counts: { connections: 20, keepAlive: 0, reading: 20, tunnels: 0, slots: 2, idleSlots: 2 },
      over: true,
    },
    {
      name: "requests in progress beside them still meet the threads' limit",
      discipline: EVENT,
      counts: { connections: 25, keepAlive: 0, reading: 19, tunnels: 0, slots: 2, idleSlots: 2 },
      over: true,
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.equal(overConnectionLimit(c.discipline, c.counts), c.over);
    });
  }
});
