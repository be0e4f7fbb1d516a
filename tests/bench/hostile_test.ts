import assert from "node:assert/strict";
import { quantile, renderHostile, runHostile } from "../../bench/mod.ts";

const QUICK = {
  path: "/",
  slowClients: 10,
  byteEveryMs: 50,
  durationSec: 1,
  probeEveryMs: 20,
  probeTimeoutMs: 2_000,
};

Deno.test("quantile() picks the value at or above the share asked for", () => {
  const CASES = [
    { sorted: [5], q: 0.99, want: 5 },
    { sorted: [1, 2, 3, 4], q: 0.5, want: 2 },
    { sorted: [1, 2, 3, 4], q: 0.99, want: 4 },
    { sorted: [1, 2, 3, 4], q: 0, want: 1 },
  ];
  for (const c of CASES) assert.equal(quantile(c.sorted, c.q), c.want, JSON.stringify(c));
});

Deno.test("runHostile(): a server that reads heads without a bound answers the normal client", async () => {
  // Deno's own server holds any number of unfinished heads and answers everything else.
  const heads = new Set<string>();
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => {
      heads.add(request.headers.get("x-slow") ?? "normal");
      return new Response("ok");
    },
  );
  const result = await runHostile(
    { ...QUICK, port: server.addr.port },
    AbortSignal.timeout(10_000),
  );
  assert.equal(result.failed, 0);
  assert.ok(result.answered >= 10, `${result.answered} answered`);
  assert.ok(result.latencyMs !== null && result.latencyMs.p50 <= result.latencyMs.max);
  assert.equal(result.slowOpenAtEnd, QUICK.slowClients);
  // The slow clients never finished a head: only the normal client's requests reached it.
  assert.deepEqual([...heads], ["normal"]);
});

Deno.test("runHostile(): slow connections the server closes are counted and opened again; unanswered requests fail", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  // Accepts and closes at once: every slow connection, every normal request.
  const closing = (async () => {
    for await (const conn of listener) {
      accepted++;
      conn.close();
    }
  })();
  try {
    const result = await runHostile(
      { ...QUICK, port: listener.addr.port },
      AbortSignal.timeout(10_000),
    );
    assert.equal(result.answered, 0);
    assert.ok(result.failed >= 10, `${result.failed} failed`);
    assert.equal(result.latencyMs, null);
    assert.ok(
      result.slowClosedByServer >= QUICK.slowClients,
      `${result.slowClosedByServer} closed`,
    );
    assert.ok(accepted > QUICK.slowClients + result.failed, `${accepted} accepted`);
  } finally {
    listener.close();
    await closing.catch(() => {});
  }
});

Deno.test("renderHostile() aligns measured rows and prints the others after them", () => {
  const lines = renderHostile(QUICK, [
    {
      name: "mpmd --mpm event",
      result: {
        answered: 195,
        failed: 0,
        latencyMs: { p50: 1.11, p99: 10.2, max: 20 },
        slowClosedByServer: 0,
        slowOpenAtEnd: 300,
      },
    },
    { name: "nginx", result: "skipped: nginx not found" },
  ]);
  assert.match(lines[0]!, /^hostile: 10 slow clients \(one header byte every 50 ms/);
  assert.match(lines[2]!, /^server\s+answered\s+failed\s+p50 ms\s+p99 ms\s+max ms/);
  assert.match(lines[3]!, /^mpmd --mpm event\s+195\s+0\s+1\.11\s+10\s+20\s+0\s+300$/);
  assert.equal(lines[4], "nginx: skipped: nginx not found");
});
