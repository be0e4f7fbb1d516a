/**
 * A scoreboard as the status module reads it, built by hand: two live processes of two
 * generations with slots in several states, and a ledger of processes that are gone.
 *
 * @module
 */

import {
  EMPTY_SLOT,
  type ProcessDetail,
  RESPONSE_KIND_COUNT,
  responseKindOf,
  type ScoreboardDetail,
  type SlotRecord,
  type SlotState,
} from "../../../scoreboard/mod.ts";
import type { ServerFacts, StatusInput } from "../../../modules/status/mod.ts";

/** When the fixture's parent started; "now" is 100 s later. */
export const START_MS = Date.UTC(2026, 10, 26, 15, 0, 0);
export const NOW_MS = START_MS + 100_000;

const buckets = (...counts: number[]) => [...counts, ...new Array(12 - counts.length).fill(0)];

/** Response counters with `count` responses of `status` to `method` requests, each. */
function kinds(counted: readonly (readonly [string, number, number])[]): number[] {
  const counters = new Array<number>(RESPONSE_KIND_COUNT).fill(0);
  for (const [method, status, count] of counted) counters[responseKindOf(method, status)] = count;
  return counters;
}

function process(
  index: number,
  pid: number,
  generation: number,
  quiescing: boolean,
  slots: readonly [SlotState, Partial<SlotRecord>?][],
): ProcessDetail {
  return {
    index,
    pid,
    generation,
    quiescing,
    notAccepting: false,
    connections: 3,
    keepAlive: 1,
    startedMs: START_MS,
    flushedMs: NOW_MS,
    accepted: 10,
    threadRestarts: 1,
    slots: slots.map(([state, fields], slot) => ({
      ...EMPTY_SLOT,
      ...fields,
      state,
      index: slot,
      pid,
      generation,
    })),
  };
}

/** ServerLimit 3 × ThreadLimit 4; region 1 is empty. */
export const SCOREBOARD: ScoreboardDetail = {
  serverLimit: 3,
  threadLimit: 4,
  generation: 2,
  parentPid: 99,
  startTimeMs: START_MS,
  restartTimeMs: START_MS + 40_000,
  mpm: "event",
  ledger: {
    childCrashes: 1,
    childrenRecycled: 2,
    retiredThreadRestarts: 3,
    retired: {
      accesses: 50,
      bytes: 51_200,
      durationMs: 500,
      durationBuckets: buckets(40, 10),
      responseKinds: kinds([["GET", 200, 45], ["POST", 503, 5]]),
      // 40 handshakes; failed: 1 version, 2 not TLS, 3 timeouts; 5 HTTP/1.0, 45 HTTP/1.1.
      connectionCounters: [40, 1, 2, 3, 0, 5, 45, 0],
    },
  },
  processes: [
    process(0, 100, 2, false, [
      ["W", {
        accessCount: 20,
        bytesServed: 20_480,
        totalDurationMs: 250,
        durationBuckets: buckets(19, 0, 0, 0, 0, 1),
        responseKinds: kinds([["GET", 200, 18], ["HEAD", 304, 2]]),
        // 2 handshakes, 1 failed for another reason; 20 HTTP/2 requests.
        connectionCounters: [2, 0, 0, 0, 1, 0, 0, 20],
        requestStartMs: NOW_MS - 2_500,
        lastRequestMs: 12,
        request: "GET /<script> HTTP/1.1",
        client: "127.0.0.1",
        vhost: "localhost",
      }],
      ["K", {
        accessCount: 30,
        bytesServed: 30_720,
        totalDurationMs: 250,
        durationBuckets: buckets(30),
      }],
      ["_"],
      ["."],
    ]),
    process(2, 101, 1, true, [["G"], ["_"], ["."], ["."]]),
  ],
};

/** The fixture's server. */
export const SERVER: ServerFacts = {
  version: "mpmd/0.1.0 (Deno 2.9.6)",
  deno: "2.9.6",
  v8: "14.7.173.20",
  built: "2026-11-12T08:58:41",
  mpm: "event",
  mpmDirectives: { StartServers: 2, ThreadsPerChild: 4 },
  extendedStatus: true,
};

/** A balancer as one slot sees it: one member in use, one out after a failed check. */
export const BALANCERS: StatusInput["balancers"] = [{
  name: "app",
  lbMethod: "byrequests",
  stickySession: "ROUTEID",
  members: [
    {
      url: "http://127.0.0.1:8081/",
      route: "a",
      loadFactor: 1,
      condition: "ok",
      requests: 12,
      errors: 0,
      busy: 1,
      bytes: 12_288,
      checkMethod: "GET",
      lastCheck: { at: NOW_MS - 500, passed: true },
    },
    {
      url: "http://127.0.0.1:8082/",
      route: "",
      loadFactor: 2,
      condition: "hcfail",
      requests: 3,
      errors: 1,
      busy: 0,
      bytes: 2_048,
      checkMethod: "TCP",
      lastCheck: { at: NOW_MS - 200, passed: false },
    },
  ],
}];

/** The fixture as `statusReport()` takes it. */
export const INPUT: StatusInput = {
  scoreboard: SCOREBOARD,
  server: SERVER,
  nowMs: NOW_MS,
  loadAverage: [0.5, 0.25, 0.125],
  cpu: { user: 8, system: 2, childrenUser: 1, childrenSystem: 1 },
  // Process 101 is gone from /proc by the time it is read.
  residentBytes: new Map([[100, 64 * 2 ** 20]]),
  balancers: [],
};
