import assert from "node:assert/strict";
import { RawClient } from "../../server/http/_raw_client.ts";
import {
  childrenOf,
  FAULTY_APP,
  getStatus,
  mpmConfig,
  ONE_CHILD_TWO_THREADS,
  scoreboardOf,
  scoreboardPids,
  scoreboardWhere,
  startMpmd,
  type TestServer,
} from "./_mpm.ts";
import type { ScoreboardDetail } from "../../../scoreboard/mod.ts";

const REQUEST = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
const MOST_CONNECTIONS = 40;

/**
 * Load that holds slots: keep-alive connections that stay open (KeepAliveTimeout is long).
 * Under prefork and worker a slot holds its connection, so each served connection takes a
 * slot out of the spare pool. Opens one connection at a time until `enough` holds.
 */
async function holdSlotsUntil(
  server: TestServer,
  enough: (scoreboard: ScoreboardDetail) => boolean,
): Promise<RawClient[]> {
  const clients: RawClient[] = [];
  for (let i = 0; i < MOST_CONNECTIONS; i++) {
    if (enough(await scoreboardOf(server))) return clients;
    const client = await RawClient.connect(server.port);
    clients.push(client);
    await client.send(REQUEST);
    // Answered at once by an idle slot; one hashed to a busy slot's listener waits there.
    await client.receivesWithin(300);
  }
  for (const client of clients) client.close();
  throw new Error(`The pool did not grow enough for ${MOST_CONNECTIONS} held connections`);
}

/** Whether the server's child processes are exactly the scoreboard's. */
function sameProcesses(server: TestServer, scoreboard: ScoreboardDetail): boolean {
  return childrenOf(server.pid).join() === scoreboardPids(scoreboard).join();
}

Deno.test("prefork: spare servers grow the pool under load and shrink it after", async () => {
  await using server = await startMpmd(mpmConfig("prefork", {
    StartServers: 1,
    MinSpareServers: 1,
    MaxSpareServers: 2,
    MaxRequestWorkers: 8,
  }, "KeepAliveTimeout: 30"));
  const clients = await holdSlotsUntil(server, (s) => s.processes.length >= 4);
  const grown = scoreboardPids(await scoreboardOf(server));
  for (const client of clients) client.close();
  // A retired child leaves the scoreboard just before its process ends: wait for both.
  const shrunk = await scoreboardWhere(
    server,
    (s) => s.processes.length === 2 && sameProcesses(server, s),
    "the pool back at MaxSpareServers idle children, the retired ones exited",
  );
  const kept = scoreboardPids(shrunk);
  assert.ok(kept.every((pid) => grown.includes(pid)), "idle children are retired, not replaced");
});

Deno.test("worker: spare threads grow the pool by processes and shrink it after", async () => {
  await using server = await startMpmd(mpmConfig("worker", {
    ...ONE_CHILD_TWO_THREADS,
    MaxRequestWorkers: 8,
  }, "KeepAliveTimeout: 30"));
  const clients = await holdSlotsUntil(server, (s) => s.processes.length >= 3);
  for (const client of clients) client.close();
  await scoreboardWhere(
    server,
    (s) => s.processes.length === 1 && sameProcesses(server, s),
    "one child left (its two idle threads are within MaxSpareThreads), the others exited",
  );
});

Deno.test("event: threads busy with requests grow the pool; it shrinks when they finish", async () => {
  await using server = await startMpmd(
    mpmConfig("event", {
      ...ONE_CHILD_TWO_THREADS,
      MaxRequestWorkers: 8,
    }, FAULTY_APP),
  );
  // Under event an idle keep-alive connection holds no thread: a request in progress does.
  const slow: Promise<number>[] = [];
  for (let i = 0; i < MOST_CONNECTIONS && (await scoreboardOf(server)).processes.length < 3; i++) {
    slow.push(getStatus(server.origin, "/app/slow?ms=4000"));
    await scoreboardWhere(server, (s) => s.processes.length >= 3, "more children", 300)
      .catch(() => null);
  }
  const grown = await scoreboardOf(server);
  assert.ok(grown.processes.length >= 3, `grew to ${grown.processes.length} children`);
  assert.ok((await Promise.all(slow)).every((status) => status === 200));
  await scoreboardWhere(
    server,
    (s) => s.processes.length === 1 && sameProcesses(server, s),
    "one child left once the requests are done, the others exited",
  );
});

/** Live (not open) slots of the scoreboard's processes. */
function liveThreads(scoreboard: ScoreboardDetail): number {
  return scoreboard.processes.flatMap((p) => p.slots).filter((slot) => slot.state !== ".").length;
}

const THREAD_POOL_CASES = [
  {
    mpm: "netware",
    section: { StartThreads: 2, MinSpareThreads: 1, MaxSpareThreads: 3, MaxThreads: 8 },
    processes: 1,
  },
  {
    mpm: "mpmt_os2",
    section: { StartServers: 1, MinSpareThreads: 1, MaxSpareThreads: 3 },
    processes: 1,
  },
] as const;

for (const c of THREAD_POOL_CASES) {
  Deno.test(`${c.mpm}: spare threads grow inside the process under load and retire after`, async () => {
    await using server = await startMpmd(mpmConfig(c.mpm, c.section, "KeepAliveTimeout: 30"));
    const clients = await holdSlotsUntil(server, (s) => liveThreads(s) >= 5);
    const grown = await scoreboardOf(server);
    assert.equal(grown.processes.length, c.processes, "threads grow, not processes");
    for (const client of clients) client.close();
    const shrunk = await scoreboardWhere(
      server,
      (s) => liveThreads(s) <= c.section.MaxSpareThreads,
      "no more than MaxSpareThreads threads left",
    );
    assert.equal(shrunk.processes.length, c.processes);
    assert.equal(await getStatus(server.origin), 200);
  });
}
