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

const CASES = [
  {
    mpm: "prefork",
    section: { StartServers: 3, MinSpareServers: 1, MaxSpareServers: 5 },
    threads: 0,
  },
  {
    mpm: "worker",
    section: { StartServers: 2, ThreadsPerChild: 3, MinSpareThreads: 1, MaxSpareThreads: 6 },
    threads: 3,
  },
  {
    mpm: "event",
    section: { StartServers: 2, ThreadsPerChild: 3, MinSpareThreads: 1, MaxSpareThreads: 6 },
    threads: 3,
  },
] as const;

for (const c of CASES) {
  Deno.test(`${c.mpm}: StartServers children with ThreadsPerChild Workers, in /proc and the scoreboard`, async () => {
    await using server = await startMpmd(mpmConfig(c.mpm, c.section));
    const processes = c.section.StartServers;
    const slots = Math.max(1, c.threads);
    const scoreboard = await scoreboardWhere(
      server,
      (s) =>
        s.processes.length === processes &&
        s.processes.every((p) => p.slots.filter((slot) => slot.state === "_").length === slots),
      `${processes} processes of ${slots} idle slots`,
    );
    assert.equal(scoreboard.generation, 1);
    assert.equal(scoreboard.parentPid, server.pid);
    assert.deepEqual(scoreboardPids(scoreboard), childrenOf(server.pid), "scoreboard = /proc");
    for (const process of scoreboard.processes) {
      assert.equal(process.generation, 1);
      assert.equal(workerThreadsOf(process.pid), c.threads, `Workers of child ${process.pid}`);
      // Beyond the live slots, the region's records stay open.
      assert.ok(process.slots.slice(slots).every((slot) => slot.state === "."));
    }
    assert.equal(workerThreadsOf(server.pid), 0, "the parent serves nothing");
    assert.equal(await getStatus(server.origin), 200);
  });
}
