import assert from "node:assert/strict";
import { checkWorker, planWorker, type WorkerSettings } from "../../../mpm/mod.ts";
import {
  type CheckCase,
  type PlanCase,
  proc,
  procs,
  SMALL_THREADED,
  snapshotOf,
  stateWith,
  stepThroughChecks,
  stepThroughPlans,
  warningsOf,
} from "../_fixtures.ts";

const DEFAULTS: WorkerSettings = {
  startServers: 3,
  minSpareThreads: 75,
  maxSpareThreads: 250,
  threadsPerChild: 25,
  threadLimit: 64,
  serverLimit: 16,
  maxRequestWorkers: 400,
  maxConnectionsPerChild: 0,
};

const CHECK_CASES: CheckCase<WorkerSettings>[] = [
  { name: "keeps httpd's defaults without a warning", given: {}, settings: {}, warnings: [] },
  {
    name: "keeps ServerLimit and ThreadLimit on a restart",
    given: { ServerLimit: 32, ThreadLimit: 128 },
    running: DEFAULTS,
    settings: {},
    warnings: [
      "changing ServerLimit to 32 from original value of 16 not allowed during restart",
      "changing ThreadLimit to 128 from original value of 64 not allowed during restart",
    ],
  },
  {
    name: "caps ServerLimit at 20000 (MAX_SERVER_LIMIT)",
    given: { ServerLimit: 30000 },
    settings: { serverLimit: 20000 },
    warnings: [
      "ServerLimit of 30000 exceeds compile-time limit of 20000 servers, decreasing to 20000",
    ],
  },
  {
    name: "raises ServerLimit 0 to 1, and what depends on it follows",
    given: { ServerLimit: 0 },
    settings: { serverLimit: 1, maxRequestWorkers: 25, startServers: 1 },
    warnings: [
      "ServerLimit of 0 not allowed, increasing to 1",
      "MaxRequestWorkers of 400 would require 16 servers and would exceed ServerLimit of 1, " +
      "decreasing to 25. To increase, please see the ServerLimit directive",
      "StartServers of 3 exceeds the number of servers MaxRequestWorkers allows (1), " +
      "decreasing to 1",
    ],
  },
  {
    name: "caps ThreadLimit at 20000 (MAX_THREAD_LIMIT)",
    given: { ThreadLimit: 30000 },
    settings: { threadLimit: 20000 },
    warnings: [
      "ThreadLimit of 30000 exceeds compile-time limit of 20000 threads, decreasing to 20000",
    ],
  },
  {
    name: "raises ThreadLimit 0 to 1, and what depends on it follows",
    given: { ThreadLimit: 0, MaxRequestWorkers: 16 },
    settings: { threadLimit: 1, threadsPerChild: 1, maxRequestWorkers: 16 },
    warnings: [
      "ThreadLimit of 0 not allowed, increasing to 1",
      "ThreadsPerChild of 25 exceeds ThreadLimit of 1 threads, decreasing to 1. To increase, " +
      "please see the ThreadLimit directive",
    ],
  },
  {
    name: "lowers ThreadsPerChild to ThreadLimit",
    given: { ThreadsPerChild: 100, MaxRequestWorkers: 640 },
    settings: { threadsPerChild: 64, maxRequestWorkers: 640 },
    warnings: [
      "ThreadsPerChild of 100 exceeds ThreadLimit of 64 threads, decreasing to 64. To increase, " +
      "please see the ThreadLimit directive",
    ],
  },
  {
    name: "raises ThreadsPerChild 0 to 1",
    given: { ThreadsPerChild: 0, MaxRequestWorkers: 16 },
    settings: { threadsPerChild: 1, maxRequestWorkers: 16 },
    warnings: ["ThreadsPerChild of 0 not allowed, increasing to 1"],
  },
  {
    name: "raises MaxRequestWorkers to ThreadsPerChild",
    given: { MaxRequestWorkers: 10, StartServers: 1 },
    settings: { maxRequestWorkers: 25, startServers: 1 },
    warnings: [
      "MaxRequestWorkers of 10 is less than ThreadsPerChild of 25, increasing to 25. " +
      "MaxRequestWorkers must be at least as large as the number of threads in a single server",
    ],
  },
  {
    name: "rounds MaxRequestWorkers down to a multiple of ThreadsPerChild",
    given: { MaxRequestWorkers: 410 },
    settings: { maxRequestWorkers: 400 },
    warnings: [
      "MaxRequestWorkers of 410 is not an integer multiple of ThreadsPerChild of 25, " +
      "decreasing to nearest multiple 400, for a maximum of 16 servers",
    ],
  },
  {
    name: "lowers MaxRequestWorkers to ServerLimit × ThreadsPerChild",
    given: { MaxRequestWorkers: 500 },
    settings: { maxRequestWorkers: 400 },
    warnings: [
      "MaxRequestWorkers of 500 would require 20 servers and would exceed ServerLimit of 16, " +
      "decreasing to 400. To increase, please see the ServerLimit directive",
    ],
  },
  {
    name: "rounds MaxRequestWorkers down, then lowers it to the ServerLimit",
    given: { MaxRequestWorkers: 510 },
    settings: { maxRequestWorkers: 400 },
    warnings: [
      "MaxRequestWorkers of 510 is not an integer multiple of ThreadsPerChild of 25, " +
      "decreasing to nearest multiple 500, for a maximum of 20 servers",
      "MaxRequestWorkers of 500 would require 20 servers and would exceed ServerLimit of 16, " +
      "decreasing to 400. To increase, please see the ServerLimit directive",
    ],
  },
  {
    name: "raises StartServers 0 to 1",
    given: { StartServers: 0 },
    settings: { startServers: 1 },
    warnings: ["StartServers of 0 not allowed, increasing to 1"],
  },
  {
    name: "lowers StartServers to MaxRequestWorkers / ThreadsPerChild",
    given: { StartServers: 20 },
    settings: { startServers: 16 },
    warnings: [
      "StartServers of 20 exceeds the number of servers MaxRequestWorkers allows (16), " +
      "decreasing to 16",
    ],
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
    name: "raises MaxSpareThreads to MinSpareThreads + ThreadsPerChild",
    given: { MaxSpareThreads: 80 },
    settings: { maxSpareThreads: 100 },
    warnings: [
      "MaxSpareThreads of 80 is less than MinSpareThreads plus ThreadsPerChild (100), " +
      "increasing to 100",
    ],
  },
];

Deno.test("checkWorker()", (t) => stepThroughChecks(t, checkWorker, DEFAULTS, CHECK_CASES));

const SMALL = checkWorker(SMALL_THREADED);

const PLAN_CASES: PlanCase<WorkerSettings>[] = [
  {
    name: "does nothing when idle threads are within bounds",
    procs: [proc(101, "__WW")],
    rate: 2,
    actions: [],
    nextRate: 1,
  },
  {
    name: "retires one child when idle threads > MaxSpareThreads",
    procs: [proc(101, "__WW"), proc(102, "____"), proc(103, "_W__")],
    rate: 1,
    actions: [{ kind: "retire", pid: 102 }],
    nextRate: 1,
  },
  {
    name: "retires even when the scoreboard is crowded (event would not)",
    procs: [...procs(3, "____"), proc(201, "GG..", { generation: 0, quiescing: true })],
    rate: 1,
    actions: [{ kind: "retire", pid: 103 }],
    nextRate: 1,
  },
  {
    name: "spawns children at the current rate below MinSpareThreads",
    procs: [proc(101, "_WWW")],
    rate: 2,
    actions: [{ kind: "spawn", count: 2 }],
    nextRate: 4,
  },
  {
    name: "does not count the idle threads of a child not accepting",
    procs: [proc(101, "____", { notAccepting: true }), proc(102, "WWWW")],
    rate: 1,
    actions: [{ kind: "spawn", count: 1 }],
    nextRate: 2,
  },
  {
    name: "never more serving children than MaxRequestWorkers / ThreadsPerChild",
    procs: procs(3, "WWWW"),
    rate: 4,
    actions: [{
      kind: "warn",
      level: "error",
      message:
        "server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting",
    }],
    nextRate: 1,
  },
  {
    name: "never more children than ServerLimit",
    procs: [
      ...procs(2, "WWWW"),
      ...procs(2, "GGG.", 201).map((p) => ({ ...p, generation: 0, quiescing: true })),
    ],
    rate: 4,
    actions: [{
      kind: "warn",
      level: "error",
      message: "scoreboard is full, not at MaxRequestWorkers; increase ServerLimit",
    }],
    nextRate: 1,
  },
  {
    name: "says the server seems busy from a rate of 8",
    procs: [proc(101, "WWWW"), proc(201, "GGGG", { generation: 0, quiescing: true })],
    rate: 8,
    actions: [
      {
        kind: "warn",
        level: "info",
        message: "server seems busy, (you may need to increase StartServers, ThreadsPerChild " +
          "or Min/MaxSpareThreads), spawning 2 children, there are around 0 idle threads, " +
          "and 2 total children",
      },
      { kind: "spawn", count: 2 },
    ],
    nextRate: 16,
  },
];

Deno.test("planWorker()", async (t) => {
  assert.deepEqual(SMALL.warnings, []);
  await stepThroughPlans(t, planWorker, SMALL.settings, PLAN_CASES);
});

Deno.test("planWorker() warns that MaxRequestWorkers is reached once per generation", () => {
  let state = stateWith();
  let warnings = 0;
  for (let cycle = 0; cycle < 5; cycle++) {
    const plan = planWorker({
      snapshot: snapshotOf(procs(3, "WWWW")),
      settings: SMALL.settings,
      state,
    });
    warnings += warningsOf(plan.actions).length;
    state = plan.state;
  }
  assert.equal(warnings, 1);
});
