import { checkEvent, type EventSettings, planEvent } from "../../../mpm/mod.ts";
import {
  type CheckCase,
  type PlanCase,
  proc,
  procs,
  SMALL_THREADED,
  stepThroughChecks,
  stepThroughPlans,
} from "../_fixtures.ts";

const DEFAULTS: EventSettings = {
  startServers: 3,
  minSpareThreads: 75,
  maxSpareThreads: 250,
  threadsPerChild: 25,
  threadLimit: 64,
  serverLimit: 16,
  maxRequestWorkers: 400,
  maxConnectionsPerChild: 0,
  asyncRequestWorkerFactor: 2,
  maxRequestsPerThread: 0,
  maxReadingPerThread: 256,
};

const CHECK_CASES: CheckCase<EventSettings>[] = [
  { name: "keeps httpd's defaults without a warning", given: {}, settings: {}, warnings: [] },
  {
    name: "allows a ThreadLimit above worker's 20000",
    given: { ThreadLimit: 30000 },
    settings: { threadLimit: 30000 },
    warnings: [],
  },
  {
    name: "caps ThreadLimit at 100000 (event's MAX_THREAD_LIMIT)",
    given: { ThreadLimit: 200000 },
    settings: { threadLimit: 100000 },
    warnings: [
      "ThreadLimit of 200000 exceeds compile-time limit of 100000 threads, decreasing to 100000",
    ],
  },
  {
    name: "applies worker's rules between the other values",
    given: { MaxRequestWorkers: 410 },
    settings: { maxRequestWorkers: 400 },
    warnings: [
      "MaxRequestWorkers of 410 is not an integer multiple of ThreadsPerChild of 25, " +
      "decreasing to nearest multiple 400, for a maximum of 16 servers",
    ],
  },
  {
    name: "keeps a fractional AsyncRequestWorkerFactor",
    given: { AsyncRequestWorkerFactor: 1.5 },
    settings: { asyncRequestWorkerFactor: 1.5 },
    warnings: [],
  },
  {
    name: "raises an AsyncRequestWorkerFactor below 1 to 1",
    given: { AsyncRequestWorkerFactor: 0.5 },
    settings: { asyncRequestWorkerFactor: 1 },
    warnings: ["AsyncRequestWorkerFactor of 0.5 is less than 1, increasing to 1"],
  },
  {
    name: "raises a MaxReadingPerThread of 0 to 1",
    given: { MaxReadingPerThread: 0 },
    settings: { maxReadingPerThread: 1 },
    warnings: ["MaxReadingPerThread of 0 not allowed, increasing to 1"],
  },
];

Deno.test("checkEvent()", (t) => stepThroughChecks(t, checkEvent, DEFAULTS, CHECK_CASES));

const SMALL = checkEvent(SMALL_THREADED).settings;

const PLAN_CASES: PlanCase<EventSettings>[] = [
  {
    name: "retires one child when idle threads > MaxSpareThreads",
    procs: [proc(101, "__WW"), proc(102, "____"), proc(103, "_W__")],
    rate: 1,
    actions: [{ kind: "retire", pid: 102 }],
  },
  {
    name: "retires no child while finishing children fill the scoreboard",
    procs: [...procs(3, "____"), proc(201, "GG..", { generation: 0, quiescing: true })],
    rate: 1,
    actions: [],
  },
  {
    name: "spawns children at the current rate below MinSpareThreads",
    procs: [proc(101, "_WWW")],
    rate: 2,
    actions: [{ kind: "spawn", count: 2 }],
  },
  {
    name: "says the server seems busy with event's counts",
    procs: [proc(101, "WWWW"), proc(201, "GGGG", { generation: 0, quiescing: true })],
    rate: 8,
    actions: [
      {
        kind: "warn",
        level: "info",
        message: "server seems busy, (you may need to increase StartServers, ThreadsPerChild " +
          "or Min/MaxSpareThreads), spawning 2 children, there are around 0 idle threads, " +
          "1 active children, and 1 children that are shutting down",
      },
      { kind: "spawn", count: 2 },
    ],
  },
];

Deno.test("planEvent()", async (t) => {
  await stepThroughPlans(t, planEvent, SMALL, PLAN_CASES);
});
