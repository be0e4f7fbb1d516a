import assert from "node:assert/strict";
import { RawClient } from "../../server/http/_raw_client.ts";
import { mpmConfig, scoreboardOf, scoreboardWhere, startMpmd, type TestServer } from "./_mpm.ts";
import type { ScoreboardDetail } from "../../../scoreboard/mod.ts";

// One process of two threads that cannot grow (ServerLimit 1), keep-alive connections that
// would stay idle for 30 s: what a third client gets depends only on the MPM's discipline.
function onePairOfThreads(mpm: "worker" | "event"): string {
  return mpmConfig(mpm, {
    StartServers: 1,
    ServerLimit: 1,
    ThreadsPerChild: 2,
    MaxRequestWorkers: 2,
    MinSpareThreads: 1,
    MaxSpareThreads: 3,
  }, "KeepAliveTimeout: 30");
}

const REQUEST = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";

/** Slots in `K` once there are `wanted` of them, or as many as there are after a second. */
async function keptAliveSlots(server: TestServer, wanted: number): Promise<number> {
  const count = (s: ScoreboardDetail) =>
    s.processes[0]?.slots.filter((slot) => slot.state === "K").length ?? 0;
  try {
    return count(await scoreboardWhere(server, (s) => count(s) >= wanted, "keep-alive", 1_000));
  } catch {
    return count(await scoreboardOf(server));
  }
}

Deno.test("worker: two idle keep-alive connections hold both threads, a third client waits", async () => {
  await using server = await startMpmd(onePairOfThreads("worker"));
  const clients: RawClient[] = [];
  try {
    // The kernel hashes each connection to one thread's listener; open connections until
    // both threads hold one in keep-alive (a connection hashed to a busy thread just waits).
    let kept = 0;
    for (let i = 0; i < 8 && kept < 2; i++) {
      const client = await RawClient.connect(server.port);
      clients.push(client);
      await client.send(REQUEST);
      kept = await keptAliveSlots(server, kept + 1);
    }
    assert.equal(kept, 2, "both threads hold a keep-alive connection");
    await using third = await RawClient.connect(server.port);
    await third.send(REQUEST);
    assert.equal(await third.receivesWithin(750), false, "the third client is not served");
    for (const client of clients) client.close();
    const response = await third.readResponse({ deadlineMs: 5_000 });
    assert.equal(response.status, 200, "served once a thread is free");
  } finally {
    for (const client of clients) client.close();
  }
});

Deno.test("event: 100 idle keep-alive connections do not keep a new client waiting", async () => {
  await using server = await startMpmd(onePairOfThreads("event"));
  const clients: RawClient[] = [];
  try {
    for (let i = 0; i < 100; i++) {
      const client = await RawClient.connect(server.port);
      clients.push(client);
      await client.send(REQUEST);
      assert.equal((await client.readResponse()).status, 200, `client ${i}`);
    }
    // Both threads come back to idle once the last answer is written; the scoreboard may show
    // that a moment after the client has read it.
    await scoreboardWhere(
      server,
      (s) =>
        s.processes[0]?.keepAlive === 100 &&
        s.processes[0].slots.slice(0, 2).every((slot) => slot.state === "_"),
      "both threads idle while 100 keep-alive connections are parked",
    );
    await using late = await RawClient.connect(server.port);
    await late.send(REQUEST);
    assert.equal((await late.readResponse({ deadlineMs: 5_000 })).status, 200);
    for (const client of clients) {
      assert.equal(client.eof, false, "parked connections stay open");
    }
  } finally {
    for (const client of clients) client.close();
  }
});
