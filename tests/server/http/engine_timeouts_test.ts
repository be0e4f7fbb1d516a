import assert from "node:assert/strict";
import { RawClient } from "./_raw_client.ts";
import { routes } from "./_handlers.ts";
import { startEngine, until } from "./_test_engine.ts";
import type { HttpEngineOptions } from "../../../server/http/mod.ts";

const H = "Host: t\r\n";
const SHORT: Partial<HttpEngineOptions> = {
  keepAliveTimeoutMs: 300,
  timeoutMs: 300,
  requestReadTimeout: {
    header: { initialMs: 300, maxMs: 3_000, minRateBytesPerSec: 500 },
    body: { initialMs: 300, maxMs: Number.MAX_SAFE_INTEGER, minRateBytesPerSec: 500 },
  },
};

/** Sends `text` in pieces of `size` bytes, one every `everyMs`, until done or `stop.now`. */
async function dribble(
  client: RawClient,
  text: string,
  pace: { size: number; everyMs: number; stop?: { now: boolean } },
): Promise<void> {
  const { size, everyMs, stop } = pace;
  for (let i = 0; i < text.length && !stop?.now; i += size) {
    await client.send(text.slice(i, i + size));
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

Deno.test("KeepAliveTimeout closes an idle connection silently", async () => {
  await using server = startEngine(routes(), SHORT);
  await using client = await RawClient.connect(server.port);
  await client.send(`GET / HTTP/1.1\r\n${H}\r\n`);
  const started = Date.now();
  assert.equal((await client.readResponse()).headers.get("keep-alive"), "timeout=0, max=99");
  await client.waitForClose(3_000);
  assert.ok(Date.now() - started >= 250, "not before KeepAliveTimeout");
  assert.equal(client.buffered, 0);
});

Deno.test("the header timeout closes a connection that never sends, without a response", async () => {
  await using server = startEngine(routes(), SHORT);
  await using client = await RawClient.connect(server.port);
  await client.waitForClose(3_000);
  assert.equal(client.buffered, 0);
  assert.equal(server.records.length, 0);
});

Deno.test("a slowloris head below MinRate gets 408 and is closed", async () => {
  await using server = startEngine(routes(), SHORT);
  await using client = await RawClient.connect(server.port);
  const head = `GET / HTTP/1.1\r\n${H}X-Padding: ${"p".repeat(100)}\r\n\r\n`;
  // 1 byte per 20 ms is 50 bytes/s, far below MinRate=500.
  const stop = { now: false };
  const sending = dribble(client, head, { size: 1, everyMs: 20, stop }).catch(() => {});
  const response = await client.readResponse({ deadlineMs: 3_000 });
  assert.equal(response.status, 408);
  assert.equal(response.headers.get("connection"), "close");
  await client.waitForClose(4_000);
  stop.now = true;
  await sending;
  const record = (await server.waitForRecords(1))[0]!;
  assert.equal(record.status, 408);
  assert.equal(record.requestLine, "GET / HTTP/1.1");
});

Deno.test("a head sent faster than MinRate may take longer than the initial timeout", async () => {
  await using server = startEngine(routes(), SHORT);
  await using client = await RawClient.connect(server.port);
  // 60 bytes per 50 ms is 1200 bytes/s: each piece buys 120 ms for 50 ms spent.
  const head = `GET /slow HTTP/1.1\r\n${H}X-Padding: ${"p".repeat(600)}\r\n\r\n`;
  const started = Date.now();
  await dribble(client, head, { size: 60, everyMs: 50 });
  const response = await client.readResponse();
  assert.ok(Date.now() - started > 300, "the head took longer than the initial 300 ms");
  assert.equal(response.status, 200);
  assert.equal(response.text, "hello GET /slow");
});

Deno.test("a stalled request body gets 408 and is closed", async () => {
  await using server = startEngine(routes(), SHORT);
  await using client = await RawClient.connect(server.port);
  await client.send(`POST /echo HTTP/1.1\r\n${H}Content-Length: 10\r\n\r\nab`);
  const response = await client.readResponse({ deadlineMs: 3_000 });
  assert.equal(response.status, 408);
  assert.equal(response.headers.get("connection"), "close");
  await client.waitForClose(4_000);
  const record = (await server.waitForRecords(1))[0]!;
  assert.equal(record.status, 408);
  assert.equal(record.method, "POST");
});

Deno.test("a body sent faster than MinRate may take longer than the initial timeout", async () => {
  await using server = startEngine(routes(), SHORT);
  await using client = await RawClient.connect(server.port);
  const body = "b".repeat(600);
  await client.send(`POST /echo HTTP/1.1\r\n${H}Content-Length: ${body.length}\r\n\r\n`);
  const started = Date.now();
  await dribble(client, body, { size: 60, everyMs: 50 });
  const response = await client.readResponse();
  assert.ok(Date.now() - started > 300, "the body took longer than the initial 300 ms");
  assert.equal(response.status, 200);
  assert.equal(response.text, body);
});

Deno.test("Timeout aborts a response the client does not read", async () => {
  await using server = startEngine(routes({ bigBytes: 64 * 1024 * 1024 }), SHORT);
  await using client = await RawClient.connect(server.port);
  await client.send(`GET /big HTTP/1.1\r\n${H}\r\n`);
  await until(() => server.engine.stats.writing === 1, "writing");
  // Nothing is read: the socket buffers fill, the write stops making progress.
  await until(() => server.engine.stats.connections === 0, "aborted", 4_000);
  const record = (await server.waitForRecords(1))[0]!;
  assert.equal(record.connectionStatus, "X");
  assert.ok(server.logs.some((e) => e.message.includes("no write progress")));
});

Deno.test("without RequestReadTimeout, Timeout bounds the wait for a request", async () => {
  await using server = startEngine(routes(), {
    timeoutMs: 300,
    requestReadTimeout: {
      header: { initialMs: 0, maxMs: 0, minRateBytesPerSec: 0 },
      body: { initialMs: 0, maxMs: 0, minRateBytesPerSec: 0 },
    },
  });
  await using client = await RawClient.connect(server.port);
  await client.send("GET / HT");
  await client.waitForClose(3_000);
});
