/**
 * event's MaxRequestsPerThread, end to end on one thread: while its cap of handlers runs, a
 * request on a new connection is not taken and one on a kept-alive connection waits; without
 * a cap the thread interleaves them.
 */

import assert from "node:assert/strict";
import { RawClient } from "../../server/http/_raw_client.ts";
import {
  caseConfig,
  caseName,
  FAULTY_APP,
  type MpmCase,
  scoreboardWhere,
  startMpmd,
} from "./_mpm.ts";

/** One process, one thread, and no room for the maintenance to start another. */
const ONE_THREAD = {
  StartServers: 1,
  ServerLimit: 1,
  ThreadsPerChild: 1,
  MaxRequestWorkers: 1,
  MinSpareThreads: 1,
  MaxSpareThreads: 2,
};
const SLOW_MS = 1_500;
const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: t\r\n\r\n`;

// On Deno's native engine the thread still takes the new connection; its request waits the same.
const CASES = [undefined, "native" as const].flatMap((engine) => [
  { engine, cap: 1, quickFinishesFirst: false },
  { engine, cap: 0, quickFinishesFirst: true },
]);

for (const c of CASES) {
  const mpm: MpmCase = {
    mpm: "event",
    section: { ...ONE_THREAD, MaxRequestsPerThread: c.cap },
    ...(c.engine === undefined ? {} : { engine: c.engine }),
  };
  Deno.test(`${caseName(mpm)}: MaxRequestsPerThread ${c.cap} ${c.quickFinishesFirst ? "lets a thread interleave requests" : "holds a second request while one runs"}`, async (t) => {
    await using server = await startMpmd(caseConfig(mpm, FAULTY_APP));
    for (const connection of ["a new connection", "a kept-alive connection"]) {
      await t.step(`the quick request on ${connection}`, async () => {
        await using quick = await RawClient.connect(server.port);
        if (connection === "a kept-alive connection") {
          await quick.send(get("/app/"));
          assert.equal((await quick.readResponse()).status, 200);
        }
        await using slow = await RawClient.connect(server.port);
        await slow.send(get(`/app/slow?ms=${SLOW_MS}`));
        // By its request line: a W left from the quick request before it may still be in the
        // file for a flush interval.
        await scoreboardWhere(
          server,
          (s) =>
            s.processes.some((p) =>
              p.slots.some((slot) => slot.state === "W" && slot.request.includes("/app/slow"))
            ),
          "the slow request running",
        );
        const finished: string[] = [];
        await quick.send(get("/app/"));
        await Promise.all([
          quick.readResponse({ deadlineMs: 10_000 }).then(() => finished.push("quick")),
          slow.readResponse({ deadlineMs: 10_000 }).then(() => finished.push("slow")),
        ]);
        assert.deepEqual(finished, c.quickFinishesFirst ? ["quick", "slow"] : ["slow", "quick"]);
      });
    }
  });
}
