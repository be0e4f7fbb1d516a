import { type Action, checkWinnt, planWinnt, type WinntSettings } from "../../../mpm/mod.ts";
import {
  type CheckCase,
  type PlanCase,
  proc,
  stepThroughChecks,
  stepThroughPlans,
} from "../_fixtures.ts";

const DEFAULTS: WinntSettings = {
  threadsPerChild: 64,
  threadLimit: 1920,
  maxConnectionsPerChild: 0,
};

const CHECK_CASES: CheckCase<WinntSettings>[] = [
  { name: "keeps httpd's defaults without a warning", given: {}, settings: {}, warnings: [] },
  {
    name: "keeps ThreadLimit on a restart",
    given: { ThreadLimit: 2000 },
    running: DEFAULTS,
    settings: {},
    warnings: [
      "changing ThreadLimit to 2000 from original value of 1920 not allowed during restart",
    ],
  },
  {
    name: "caps ThreadLimit at 15000 (winnt's MAX_THREAD_LIMIT)",
    given: { ThreadLimit: 20000 },
    settings: { threadLimit: 15000 },
    warnings: [
      "ThreadLimit of 20000 exceeds compile-time limit of 15000 threads, decreasing to 15000",
    ],
  },
  {
    name: "raises ThreadLimit 0 to 1, and ThreadsPerChild follows",
    given: { ThreadLimit: 0 },
    settings: { threadLimit: 1, threadsPerChild: 1 },
    warnings: [
      "ThreadLimit of 0 not allowed, increasing to 1",
      "ThreadsPerChild of 64 exceeds ThreadLimit of 1 threads, decreasing to 1. To increase, " +
      "please see the ThreadLimit directive",
    ],
  },
  {
    name: "lowers ThreadsPerChild to ThreadLimit",
    given: { ThreadsPerChild: 2000 },
    settings: { threadsPerChild: 1920 },
    warnings: [
      "ThreadsPerChild of 2000 exceeds ThreadLimit of 1920 threads, decreasing to 1920. To " +
      "increase, please see the ThreadLimit directive",
    ],
  },
  {
    name: "raises ThreadsPerChild 0 to 1",
    given: { ThreadsPerChild: 0 },
    settings: { threadsPerChild: 1 },
    warnings: ["ThreadsPerChild of 0 not allowed, increasing to 1"],
  },
];

Deno.test("checkWinnt()", (t) => stepThroughChecks(t, checkWinnt, DEFAULTS, CHECK_CASES));

const SPAWN_ONE: Action[] = [{ kind: "spawn", count: 1 }];

const PLAN_CASES: PlanCase<WinntSettings>[] = [
  { name: "spawns the child when none is alive", procs: [], actions: SPAWN_ONE },
  {
    name: "does nothing while the child serves, however busy",
    procs: [proc(101, "WWWW")],
    actions: [],
  },
  {
    name: "spawns a new child while the old one finishes (MaxConnectionsPerChild)",
    procs: [proc(101, "WG..", { quiescing: true })],
    actions: SPAWN_ONE,
  },
  {
    name: "spawns the next generation's child after a graceful restart",
    procs: [proc(101, "W___")],
    generation: 2,
    actions: SPAWN_ONE,
  },
  {
    name: "never spawns a second serving child",
    procs: [proc(101, "WG..", { quiescing: true }), proc(102, "____")],
    actions: [],
  },
];

Deno.test("planWinnt()", async (t) => {
  await stepThroughPlans(t, planWinnt, DEFAULTS, PLAN_CASES);
});
