/**
 * Hostile and faulty traffic against the real server: slow clients that trickle their request
 * heads (slowloris) and handlers that never answer, beside a normal client.
 *
 * @module
 */

import assert from "node:assert/strict";
import { FAULTY_APP, mpmConfig, startMpmd } from "./_mpm.ts";

const encoder = new TextEncoder();

/** Connections that send a request head one byte at a time and never finish it. */
async function slowloris(port: number, count: number, everyMs: number) {
  const conns: Deno.Conn[] = [];
  for (let i = 0; i < count; i++) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conns.push(conn);
    await conn.write(encoder.encode("GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: "));
  }
  const byte = encoder.encode("a");
  // A connection the server ended fails its write: that is the server's right, not an error.
  const trickle = setInterval(
    () => conns.forEach((conn) => conn.write(byte).catch(() => {})),
    everyMs,
  );
  return {
    close() {
      clearInterval(trickle);
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // Closed already.
        }
      }
    },
  };
}

/** A normal client: one request at a time on a new connection, each given `limitMs`. */
async function normalClient(url: string, durationMs: number, limitMs: number) {
  const latencies: number[] = [];
  let failed = 0;
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    const started = performance.now();
    try {
      const response = await fetch(url, {
        headers: { connection: "close" },
        signal: AbortSignal.timeout(limitMs),
      });
      await response.body?.cancel();
      if (response.status === 200) latencies.push(performance.now() - started);
      else failed++;
    } catch {
      failed++;
    }
    // A client's pace, not a wait for the server.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { answered: latencies.length, failed, slowestMs: Math.max(0, ...latencies) };
}

Deno.test("event (the embedded default): 300 slow clients keep no normal request waiting", async () => {
  await using server = await startMpmd(null, ["-c", "Listen 127.0.0.1:0"]);
  const slow = await slowloris(server.port, 300, 3_000);
  try {
    const result = await normalClient(`${server.origin}/hello.txt`, 20_000, 1_000);
    const total = result.answered + result.failed;
    assert.ok(result.answered >= 0.95 * total, JSON.stringify(result));
    assert.ok(result.slowestMs < 1_000, JSON.stringify(result));
  } finally {
    slow.close();
  }
});

Deno.test("prefork: slow clients hold its slots, as httpd's; RequestReadTimeout frees them", async () => {
  await using server = await startMpmd(
    mpmConfig("prefork", {
      StartServers: 2,
      MinSpareServers: 1,
      MaxSpareServers: 2,
      MaxRequestWorkers: 2,
    }, "RequestReadTimeout: header=2"),
  );
  // One slow client per slot: each holds its slot while it trickles, and a normal request
  // waits in the listen queue until RequestReadTimeout ends them.
  const slow = await slowloris(server.port, 2, 500);
  try {
    const response = await fetch(`${server.origin}/hello.txt`, {
      headers: { connection: "close" },
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(response.status, 200);
    await response.body?.cancel();
    assert.ok(
      server.stderr.every((line) => !/\[(emerg|alert|crit)\]/.test(line)),
      server.stderr.join("\n"),
    );
  } finally {
    slow.close();
  }
});

Deno.test("event: four hung handlers on one process of two threads keep no normal request waiting", async () => {
  // One process that cannot grow: no other process takes what this one leaves in the queue.
  await using server = await startMpmd(
    mpmConfig("event", {
      StartServers: 1,
      ServerLimit: 1,
      ThreadsPerChild: 2,
      MaxRequestWorkers: 2,
      MinSpareThreads: 1,
      MaxSpareThreads: 2,
    }, FAULTY_APP),
  );
  const hung = Array.from({ length: 4 }, () => {
    const controller = new AbortController();
    const answer = fetch(`${server.origin}/app/hang`, { signal: controller.signal })
      .catch(() => null);
    return { controller, answer };
  });
  try {
    const result = await normalClient(`${server.origin}/app/ok`, 3_000, 1_000);
    assert.equal(result.failed, 0, JSON.stringify(result));
    assert.ok(result.slowestMs < 1_000, JSON.stringify(result));
  } finally {
    for (const { controller } of hung) controller.abort();
    await Promise.all(hung.map(({ answer }) => answer));
  }
});
