import assert from "node:assert/strict";
import { checkPrefork, planPrefork, type PreforkSettings } from "../../../mpm/mod.ts";
import {
  type CheckCase,
  effectsOf,
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

const DEFAULTS: PreforkSettings = {
  startServers: 5,
  minSpareServers: 5,
  maxSpareServers: 10,
  serverLimit: 256,
  maxRequestWorkers: 256,
  maxConnectionsPerChild: 0,
};

const CHECK_CASES: CheckCase<PreforkSettings>[] = [
  { name: "keeps httpd's defaults without a warning", given: {}, settings: {}, warnings: [] },
  {
    name: "keeps ServerLimit on a restart",
    given: { ServerLimit: 300 },
    running: DEFAULTS,
    settings: {},
    warnings: ["changing ServerLimit to 300 from original value of 256 not allowed during restart"],
  },
  {
    name: "keeps MaxConnectionsPerChild as given",
    given: { MaxConnectionsPerChild: 1000 },
    settings: { maxConnectionsPerChild: 1000 },
    warnings: [],
  },
  {
    name: "caps ServerLimit at 200000 (MAX_SERVER_LIMIT)",
    given: { ServerLimit: 300000 },
    settings: { serverLimit: 200000 },
    warnings: [
      "ServerLimit of 300000 exceeds compile-time limit of 200000 servers, decreasing to 200000",
    ],
  },
  {
    name: "raises ServerLimit 0 to 1, and what depends on it follows",
    given: { ServerLimit: 0 },
    settings: { serverLimit: 1, maxRequestWorkers: 1, startServers: 1 },
    warnings: [
      "ServerLimit of 0 not allowed, increasing to 1",
      "MaxRequestWorkers of 256 exceeds ServerLimit value of 1 servers, decreasing " +
      "MaxRequestWorkers to 1. To increase, please see the ServerLimit directive",
      "StartServers of 5 exceeds MaxRequestWorkers of 1, decreasing to 1",
    ],
  },
  {
    name: "lowers MaxRequestWorkers to ServerLimit",
    given: { MaxRequestWorkers: 300 },
    settings: { maxRequestWorkers: 256 },
    warnings: [
      "MaxRequestWorkers of 300 exceeds ServerLimit value of 256 servers, decreasing " +
      "MaxRequestWorkers to 256. To increase, please see the ServerLimit directive",
    ],
  },
  {
    name: "raises MaxRequestWorkers 0 to 1",
    given: { MaxRequestWorkers: 0, StartServers: 1 },
    settings: { maxRequestWorkers: 1, startServers: 1 },
    warnings: ["MaxRequestWorkers of 0 not allowed, increasing to 1"],
  },
  {
    name: "raises StartServers 0 to 1",
    given: { StartServers: 0 },
    settings: { startServers: 1 },
    warnings: ["StartServers of 0 not allowed, increasing to 1"],
  },
  {
    name: "lowers StartServers to MaxRequestWorkers",
    given: { StartServers: 300 },
    settings: { startServers: 256 },
    warnings: ["StartServers of 300 exceeds MaxRequestWorkers of 256, decreasing to 256"],
  },
  {
    name: "raises MinSpareServers 0 to 1",
    given: { MinSpareServers: 0 },
    settings: { minSpareServers: 1 },
    warnings: [
      "MinSpareServers of 0 not allowed, increasing to 1 to avoid almost certain server " +
      "failure. Please read the documentation",
    ],
  },
  {
    name: "raises MaxSpareServers to MinSpareServers + 1",
    given: { MinSpareServers: 5, MaxSpareServers: 5 },
    settings: { maxSpareServers: 6 },
    warnings: ["MaxSpareServers of 5 is not above MinSpareServers of 5, increasing to 6"],
  },
];

Deno.test("checkPrefork()", (t) => stepThroughChecks(t, checkPrefork, DEFAULTS, CHECK_CASES));

/** MinSpareServers 2, MaxSpareServers 4, MaxRequestWorkers 8. */
const SMALL = checkPrefork({
  StartServers: 2,
  MinSpareServers: 2,
  MaxSpareServers: 4,
  ServerLimit: 8,
  MaxRequestWorkers: 8,
}).settings;

const REACHED =
  "server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting";

const PLAN_CASES: PlanCase<PreforkSettings>[] = [
  {
    name: "does nothing when idle is within bounds, and resets the rate",
    procs: [...procs(3, "_"), ...procs(2, "W", 201)],
    rate: 4,
    actions: [],
    nextRate: 1,
  },
  {
    name: "counts a starting child as idle",
    procs: procs(2, "S"),
    rate: 1,
    actions: [],
    nextRate: 1,
  },
  {
    name: "retires one child when idle > MaxSpareServers",
    procs: [proc(101, "_"), proc(102, "W"), ...procs(4, "_", 103)],
    rate: 2,
    actions: [{ kind: "retire", pid: 106 }],
    nextRate: 1,
  },
  {
    name: "spawns at the current rate below MinSpareServers",
    procs: [proc(101, "_"), proc(102, "W")],
    rate: 2,
    actions: [{ kind: "spawn", count: 2 }],
    nextRate: 4,
  },
  {
    name: "never exceeds MaxRequestWorkers",
    procs: procs(6, "W"),
    rate: 4,
    actions: [{ kind: "spawn", count: 2 }],
    nextRate: 8,
  },
  {
    name: "counts old-generation children still finishing against MaxRequestWorkers",
    procs: [...procs(3, "W"), proc(201, "G", { generation: 0, quiescing: true })],
    rate: 8,
    actions: [
      {
        kind: "warn",
        level: "info",
        message: "server seems busy, (you may need to increase StartServers, or " +
          "Min/MaxSpareServers), spawning 4 children, there are 0 idle, and 4 total children",
      },
      { kind: "spawn", count: 4 },
    ],
    nextRate: 16,
  },
  {
    name: "does not count idle children of an old generation as spare",
    procs: procs(3, "_").map((p) => ({ ...p, generation: 0 })),
    rate: 1,
    actions: [{ kind: "spawn", count: 1 }],
    nextRate: 2,
  },
  {
    name: "warns when MaxRequestWorkers is reached, and resets the rate",
    procs: procs(8, "W"),
    rate: 4,
    actions: [{ kind: "warn", level: "error", message: REACHED }],
    nextRate: 1,
  },
];

Deno.test("planPrefork()", async (t) => {
  await stepThroughPlans(t, planPrefork, SMALL, PLAN_CASES);
});

Deno.test("planPrefork() doubles to 32 children per cycle under load, then resets", () => {
  const settings = checkPrefork({}).settings;
  const children: ProcessSnapshot[] = [];
  let state = stateWith();
  const spawned: number[] = [];
  for (let cycle = 0; cycle < 7; cycle++) {
    const plan = planPrefork({ snapshot: snapshotOf(children), settings, state });
    const spawn = effectsOf(plan.actions);
    assert.equal(spawn.length, 1);
    assert.ok(spawn[0]?.kind === "spawn");
    spawned.push(spawn[0].count);
    // Each new child picks up a connection before the next cycle.
    children.push(...procs(spawn[0].count, "W", 1000 + children.length));
    state = plan.state;
  }
  assert.deepEqual(spawned, [1, 2, 4, 8, 16, 32, 32]);
  children.push(...procs(6, "_", 5000));
  const calm = planPrefork({ snapshot: snapshotOf(children), settings, state });
  assert.deepEqual(calm.actions, []);
  assert.equal(calm.state.spawnRate, 1);
});

Deno.test("planPrefork() warns that MaxRequestWorkers is reached once per generation", () => {
  let state = stateWith();
  const given: string[][] = [];
  for (const generation of [1, 1, 1, 2, 2]) {
    const children = procs(8, "W").map((p) => ({ ...p, generation }));
    const plan = planPrefork({
      snapshot: snapshotOf(children, generation),
      settings: SMALL,
      state,
    });
    given.push(warningsOf(plan.actions));
    state = plan.state;
  }
  assert.deepEqual(given, [[REACHED], [], [], [REACHED], []]);
});
