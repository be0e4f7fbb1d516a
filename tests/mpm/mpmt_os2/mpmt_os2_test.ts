import assert from "node:assert/strict";
import { checkMpmtOs2, type MpmtOs2Settings, planMpmtOs2 } from "../../../mpm/mod.ts";
import {
  type CheckCase,
  type PlanCase,
  proc,
  procs,
  snapshotOf,
  stateWith,
  stepThroughChecks,
  stepThroughPlans,
  warningsOf,
} from "../_fixtures.ts";
import type { ProcessSnapshot } from "../../../scoreboard/mod.ts";

const DEFAULTS: MpmtOs2Settings = {
  startServers: 2,
  minSpareThreads: 5,
  maxSpareThreads: 10,
  maxConnectionsPerChild: 0,
};

const CHECK_CASES: CheckCase<MpmtOs2Settings>[] = [
  { name: "keeps httpd's defaults without a warning", given: {}, settings: {}, warnings: [] },
  {
    name: "raises StartServers 0 to 1 (no child would serve)",
    given: { StartServers: 0 },
    settings: { startServers: 1 },
    warnings: ["StartServers of 0 not allowed, increasing to 1"],
  },
  {
    name: "caps StartServers at 10 (HARD_SERVER_LIMIT)",
    given: { StartServers: 12 },
    settings: { startServers: 10 },
    warnings: ["StartServers of 12 exceeds compile-time limit of 10 servers, decreasing to 10"],
  },
  {
    name: "raises MinSpareThreads 0 to 1",
    given: { MinSpareThreads: 0 },
    settings: { minSpareThreads: 1 },
    warnings: [
      "MinSpareThreads of 0 not allowed, increasing to 1 to avoid almost certain server " +
      "failure. Please read the documentation",
    ],
  },
  {
    name: "raises MaxSpareThreads above MinSpareThreads",
    given: { MaxSpareThreads: 5 },
    settings: { maxSpareThreads: 6 },
    warnings: ["MaxSpareThreads of 5 is not above MinSpareThreads of 5, increasing to 6"],
  },
];

Deno.test("checkMpmtOs2()", (t) => stepThroughChecks(t, checkMpmtOs2, DEFAULTS, CHECK_CASES));

const old = (p: ProcessSnapshot) => ({ ...p, generation: 0, quiescing: true });

const PLAN_CASES: PlanCase<MpmtOs2Settings>[] = [
  {
    name: "spawns children until StartServers serve",
    procs: [],
    actions: [{ kind: "spawn", count: 2 }],
  },
  {
    name: "replaces a child that died",
    procs: [proc(101, "_____WW")],
    actions: [{ kind: "spawn", count: 1 }],
  },
  {
    name: "does nothing with StartServers children and idle threads within bounds",
    procs: procs(2, "_____WW"),
    actions: [],
  },
  {
    name: "replaces children that finish after a graceful restart",
    procs: procs(2, "GG").map(old),
    actions: [{ kind: "spawn", count: 2 }],
  },
  {
    name: "never has more than 10 children, counting those finishing",
    procs: procs(9, "G").map(old),
    actions: [{ kind: "spawn", count: 1 }],
  },
  {
    name: "starts the missing idle threads of a child at once",
    procs: [proc(101, "_WWW"), proc(102, "SSSSS")],
    actions: [{ kind: "spawnThreads", pid: 101, count: 4 }],
  },
  {
    name: "retires one thread of a child with idle threads > MaxSpareThreads",
    procs: [proc(101, "___________"), proc(102, "_____")],
    actions: [{ kind: "retireThreads", pid: 101, count: 1 }],
  },
  {
    name: "leaves the threads of a finishing child alone",
    procs: [...procs(2, "_____"), old(proc(201, "W"))],
    actions: [],
  },
  {
    name: "starts no more than 256 threads in a child",
    procs: [proc(101, "W".repeat(254)), proc(102, "_____")],
    actions: [{ kind: "spawnThreads", pid: 101, count: 2 }],
  },
];

Deno.test("planMpmtOs2()", async (t) => {
  await stepThroughPlans(t, planMpmtOs2, DEFAULTS, PLAN_CASES);
});

Deno.test("planMpmtOs2() warns once per generation when a child reaches 256 threads", () => {
  const message = "server reached the limit of 256 threads in a child process, consider " +
    "raising StartServers";
  let state = stateWith();
  const given: string[][] = [];
  for (const generation of [1, 1, 2]) {
    const children = procs(2, "W".repeat(256)).map((p) => ({ ...p, generation }));
    const plan = planMpmtOs2({
      snapshot: snapshotOf(children, generation),
      settings: DEFAULTS,
      state,
    });
    assert.deepEqual(plan.actions.filter((a) => a.kind !== "warn"), []);
    given.push(warningsOf(plan.actions));
    state = plan.state;
  }
  assert.deepEqual(given, [[message], [], [message]]);
});
