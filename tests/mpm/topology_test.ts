import assert from "node:assert/strict";
import { MPMS, ONE_CONNECTION, type Topology } from "../../mpm/mod.ts";

// Each MPM's layout with httpd's defaults (and one changed value where it matters).
const CASES: { mpm: keyof typeof MPMS; directives: Record<string, number>; want: Topology }[] = [
  {
    mpm: "prefork",
    directives: {},
    want: {
      serverLimit: 256,
      threadLimit: 1,
      startProcesses: 5,
      threadsPerProcess: 0,
      maxConnectionsPerChild: 0,
      discipline: ONE_CONNECTION,
      threadsInParent: false,
      restartIsGraceful: false,
    },
  },
  {
    mpm: "worker",
    directives: { MaxConnectionsPerChild: 1000 },
    want: {
      serverLimit: 16,
      threadLimit: 64,
      startProcesses: 3,
      threadsPerProcess: 25,
      maxConnectionsPerChild: 1000,
      discipline: ONE_CONNECTION,
      threadsInParent: false,
      restartIsGraceful: false,
    },
  },
  {
    mpm: "event",
    directives: { AsyncRequestWorkerFactor: 3, MaxRequestsPerThread: 4 },
    want: {
      serverLimit: 16,
      threadLimit: 64,
      startProcesses: 3,
      threadsPerProcess: 25,
      maxConnectionsPerChild: 0,
      discipline: {
        kind: "requests",
        asyncRequestWorkerFactor: 3,
        maxRequestsPerThread: 4,
        maxReadingPerThread: 256,
      },
      threadsInParent: false,
      restartIsGraceful: false,
    },
  },
  {
    mpm: "winnt",
    directives: {},
    want: {
      serverLimit: 3,
      threadLimit: 1920,
      startProcesses: 1,
      threadsPerProcess: 64,
      maxConnectionsPerChild: 0,
      discipline: ONE_CONNECTION,
      threadsInParent: false,
      restartIsGraceful: true,
    },
  },
  {
    mpm: "netware",
    directives: { StartThreads: 8 },
    want: {
      serverLimit: 3,
      threadLimit: 2048,
      startProcesses: 1,
      threadsPerProcess: 8,
      maxConnectionsPerChild: 0,
      discipline: ONE_CONNECTION,
      threadsInParent: true,
      restartIsGraceful: false,
    },
  },
  {
    mpm: "mpmt_os2",
    directives: {},
    want: {
      serverLimit: 6,
      threadLimit: 256,
      startProcesses: 2,
      threadsPerProcess: 5,
      maxConnectionsPerChild: 0,
      discipline: ONE_CONNECTION,
      threadsInParent: false,
      restartIsGraceful: false,
    },
  },
];

Deno.test("each policy's topology() lays out its checked settings", async (t) => {
  for (const c of CASES) {
    await t.step(c.mpm, () => {
      const policy = MPMS[c.mpm];
      const { settings } = policy.check(c.directives);
      assert.deepEqual(policy.topology(settings), c.want);
    });
  }
});
