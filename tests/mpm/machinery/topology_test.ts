import assert from "node:assert/strict";
import {
  childrenOf,
  getStatus,
  mpmConfig,
  scoreboardPids,
  scoreboardWhere,
  startMpmd,
  workerThreadsOf,
} from "./_mpm.ts";

// processes: children (0: the parent hosts the threads); threads: Workers in each.
const CASES = [
  {
    mpm: "prefork",
    section: { StartServers: 3, MinSpareServers: 1, MaxSpareServers: 5 },
    processes: 3,
    threads: 0,
  },
  {
    mpm: "worker",
    section: { StartServers: 2, ThreadsPerChild: 3, MinSpareThreads: 1, MaxSpareThreads: 6 },
    processes: 2,
    threads: 3,
  },
  {
    mpm: "event",
    section: { StartServers: 2, ThreadsPerChild: 3, MinSpareThreads: 1, MaxSpareThreads: 6 },
    processes: 2,
    threads: 3,
  },
  { mpm: "winnt", section: { ThreadsPerChild: 3 }, processes: 1, threads: 3 },
  {
    mpm: "netware",
    section: { StartThreads: 3, MinSpareThreads: 1, MaxSpareThreads: 4, MaxThreads: 8 },
    processes: 0,
    threads: 3,
  },
  {
    mpm: "mpmt_os2",
    section: { StartServers: 2, MinSpareThreads: 2, MaxSpareThreads: 4 },
    processes: 2,
    threads: 2,
  },
] as const;

for (const c of CASES) {
  Deno.test(`${c.mpm}: ${c.processes} children of ${c.threads} Workers, in /proc and the scoreboard`, async () => {
    await using server = await startMpmd(mpmConfig(c.mpm, c.section));
    const regions = Math.max(1, c.processes);
    const slots = Math.max(1, c.threads);
    const scoreboard = await scoreboardWhere(
      server,
      (s) =>
        s.processes.length === regions &&
        s.processes.every((p) => p.slots.filter((slot) => slot.state === "_").length === slots),
      `${regions} processes of ${slots} idle slots`,
    );
    assert.equal(scoreboard.generation, 1);
    assert.equal(scoreboard.parentPid, server.pid);
    assert.equal(childrenOf(server.pid).length, c.processes);
    // netware: the parent's own region; every other MPM: one region per child.
    const hosts = c.processes === 0 ? [server.pid] : childrenOf(server.pid);
    assert.deepEqual(scoreboardPids(scoreboard), hosts, "scoreboard = /proc");
    for (const process of scoreboard.processes) {
      assert.equal(process.generation, 1);
      assert.equal(workerThreadsOf(process.pid), c.threads, `Workers of process ${process.pid}`);
      // Beyond the live slots, the region's records stay open.
      assert.ok(process.slots.slice(slots).every((slot) => slot.state === "."));
    }
    if (c.processes > 0) assert.equal(workerThreadsOf(server.pid), 0, "the parent serves nothing");
    assert.equal(await getStatus(server.origin), 200);
  });
}
