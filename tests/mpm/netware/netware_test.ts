import assert from "node:assert/strict";
import { checkNetware, type NetwareSettings, planNetware } from "../../../mpm/mod.ts";
import {
  type CheckCase,
  type PlanCase,
  proc,
  snapshotOf,
  stateWith,
  stepThroughChecks,
  stepThroughPlans,
  warningsOf,
} from "../_fixtures.ts";

const DEFAULTS: NetwareSettings = {
  startThreads: 50,
  minSpareThreads: 10,
  maxSpareThreads: 100,
  maxThreads: 2048,
  maxConnectionsPerChild: 0,
};

const CHECK_CASES: CheckCase<NetwareSettings>[] = [
  { name: "keeps httpd's defaults without a warning", given: {}, settings: {}, warnings: [] },
  {
    name: "keeps StartThreads 0 (maintenance starts the spare threads)",
    given: { StartThreads: 0 },
    settings: { startThreads: 0 },
    warnings: [],
  },
  {
    name: "caps MaxThreads at 2048 (HARD_THREAD_LIMIT)",
    given: { MaxThreads: 5000 },
    settings: { maxThreads: 2048 },
    warnings: ["MaxThreads of 5000 exceeds compile-time limit of 2048 threads, decreasing to 2048"],
  },
  {
    name: "raises MaxThreads 0 to 1, and StartThreads follows",
    given: { MaxThreads: 0 },
    settings: { maxThreads: 1, startThreads: 1 },
    warnings: [
      "MaxThreads of 0 not allowed, increasing to 1",
      "StartThreads of 50 exceeds MaxThreads of 1, decreasing to 1",
    ],
  },
  {
    name: "lowers StartThreads to MaxThreads",
    given: { StartThreads: 3000 },
    settings: { startThreads: 2048 },
    warnings: ["StartThreads of 3000 exceeds MaxThreads of 2048, decreasing to 2048"],
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
    given: { MaxSpareThreads: 10 },
    settings: { maxSpareThreads: 11 },
    warnings: ["MaxSpareThreads of 10 is not above MinSpareThreads of 10, increasing to 11"],
  },
];

Deno.test("checkNetware()", (t) => stepThroughChecks(t, checkNetware, DEFAULTS, CHECK_CASES));

/** MinSpareThreads 2, MaxSpareThreads 4, MaxThreads 8. */
const SMALL =
  checkNetware({ StartThreads: 2, MinSpareThreads: 2, MaxSpareThreads: 4, MaxThreads: 8 })
    .settings;

const REACHED = "server reached MaxThreads setting, consider raising the MaxThreads setting";

const PLAN_CASES: PlanCase<NetwareSettings>[] = [
  {
    name: "does nothing when idle threads are within bounds",
    procs: [proc(1, "__WW....")],
    rate: 4,
    actions: [],
    nextRate: 1,
  },
  { name: "does nothing without the process", procs: [], rate: 2, actions: [], nextRate: 2 },
  {
    name: "counts only the host serving the running generation, not one still finishing",
    procs: [proc(1, "........", { quiescing: true }), proc(1, "__WW....")],
    rate: 4,
    actions: [],
    nextRate: 1,
  },
  {
    name: "retires one thread when idle threads > MaxSpareThreads",
    procs: [proc(1, "_____W..")],
    rate: 2,
    actions: [{ kind: "retireThreads", pid: 1, count: 1 }],
    nextRate: 1,
  },
  {
    name: "does not count a thread being retired as idle",
    procs: [proc(1, "____I...")],
    rate: 1,
    actions: [],
    nextRate: 1,
  },
  {
    name: "starts threads at the current rate below MinSpareThreads",
    procs: [proc(1, "_WW.....")],
    rate: 2,
    actions: [{ kind: "spawnThreads", pid: 1, count: 2 }],
    nextRate: 4,
  },
  {
    name: "never exceeds MaxThreads, counting threads being retired",
    procs: [proc(1, "WWWWWGI.")],
    rate: 4,
    actions: [{ kind: "spawnThreads", pid: 1, count: 1 }],
    nextRate: 8,
  },
  {
    name: "warns when MaxThreads is reached",
    procs: [proc(1, "WWWWWWWW")],
    rate: 4,
    actions: [{ kind: "warn", level: "error", message: REACHED }],
    nextRate: 1,
  },
  {
    name: "doubles past prefork's 32, up to 64 threads per cycle",
    settings: DEFAULTS,
    procs: [proc(1, "W".repeat(100))],
    rate: 32,
    actions: [
      {
        kind: "warn",
        level: "info",
        message: "server seems busy, (you may need to increase StartThreads, or " +
          "Min/MaxSpareThreads), spawning 32 threads, there are 0 idle, and 100 total threads",
      },
      { kind: "spawnThreads", pid: 1, count: 32 },
    ],
    nextRate: 64,
  },
];

Deno.test("planNetware()", async (t) => {
  await stepThroughPlans(t, planNetware, SMALL, PLAN_CASES);
});

Deno.test("planNetware() holds 64 threads per cycle, warning busy once per generation", () => {
  let state = stateWith({ spawnRate: 64 });
  const counts: number[] = [];
  let busy = 0;
  for (let cycle = 0; cycle < 3; cycle++) {
    const plan = planNetware({
      snapshot: snapshotOf([proc(1, "W".repeat(100 + 64 * cycle))]),
      settings: DEFAULTS,
      state,
    });
    counts.push(...plan.actions.flatMap((a) => a.kind === "spawnThreads" ? [a.count] : []));
    busy += warningsOf(plan.actions).length;
    state = plan.state;
  }
  assert.deepEqual(counts, [64, 64, 64]);
  assert.equal(busy, 1);
});
