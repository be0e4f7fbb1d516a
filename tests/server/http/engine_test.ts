import assert from "node:assert/strict";
import { RawClient } from "./_raw_client.ts";
import { routes, text } from "./_handlers.ts";
import { startEngine, until } from "./_test_engine.ts";
import { type ConnectionState, HttpError } from "../../../server/http/mod.ts";

const H = "Host: t\r\n";

Deno.test("engine keeps a connection alive across requests", async () => {
  await using server = startEngine(routes(), { maxKeepAliveRequests: 100 });
  await using client = await RawClient.connect(server.port);
  for (let i = 0; i < 3; i++) {
    await client.send(`GET /k${i} HTTP/1.1\r\n${H}\r\n`);
    const response = await client.readResponse();
    assert.equal(response.status, 200);
    assert.equal(response.text, `hello GET /k${i}`);
    assert.equal(response.headers.get("keep-alive"), `timeout=5, max=${99 - i}`);
    assert.equal(response.headers.has("connection"), false);
    assert.match(
      response.headers.get("date") ?? "",
      /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
    );
    assert.match(response.headers.get("server") ?? "", /^mpmd\/0\.1\.0 \(Deno /);
  }
  const records = await server.waitForRecords(3);
  assert.deepEqual(records.map((r) => r.keepAliveRequests), [0, 1, 2]);
  assert.deepEqual(records.map((r) => r.connectionStatus), ["+", "+", "+"]);
  assert.equal(records[2]!.requestLine, "GET /k2 HTTP/1.1");
  assert.equal(records[2]!.protocol, "HTTP/1.1");
  assert.equal(records[2]!.bodyBytes, "hello GET /k2".length);
  assert.equal(records[2]!.remote.hostname, "127.0.0.1");
  assert.ok(records[2]!.responseHeaders.some(([n, v]) => n === "Content-Length" && v === "13"));
});

Deno.test("engine answers pipelined requests in order", async () => {
  await using server = startEngine(routes());
  await using client = await RawClient.connect(server.port);
  await client.send(
    `GET /1 HTTP/1.1\r\n${H}\r\nPOST /echo HTTP/1.1\r\n${H}Content-Length: 4\r\n\r\nbodyGET /3 HTTP/1.1\r\n${H}\r\n`,
  );
  assert.equal((await client.readResponse()).text, "hello GET /1");
  assert.equal((await client.readResponse()).text, "body");
  assert.equal((await client.readResponse()).text, "hello GET /3");
});

Deno.test("engine streams a response", async (t) => {
  await using server = startEngine(routes());
  await t.step("chunked on HTTP/1.1", async () => {
    await using client = await RawClient.connect(server.port);
    await client.send(`GET /stream HTTP/1.1\r\n${H}\r\n`);
    const response = await client.readResponse();
    assert.equal(response.headers.get("transfer-encoding"), "chunked");
    assert.equal(response.text, "abbccc");
    await client.send(`GET / HTTP/1.1\r\n${H}\r\n`);
    assert.equal((await client.readResponse()).status, 200);
  });
  await t.step("close-delimited on HTTP/1.0", async () => {
    await using client = await RawClient.connect(server.port);
    await client.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const response = await client.readResponse();
    assert.equal(response.headers.has("transfer-encoding"), false);
    assert.equal(response.headers.has("content-length"), false);
    assert.equal(response.headers.get("connection"), "close");
    assert.equal(response.text, "abbccc");
    assert.ok(client.eof);
  });
  await t.step("aborting the connection when the stream fails", async () => {
    await using client = await RawClient.connect(server.port);
    await client.send(`GET /broken-stream HTTP/1.1\r\n${H}\r\n`);
    await assert.rejects(client.readResponse(), /closed/);
    const record = (await server.waitForRecords(4)).at(-1)!;
    assert.equal(record.connectionStatus, "X");
    assert.ok(server.errors().some((e) => e.message.includes("/broken-stream")));
  });
});

Deno.test("engine keeps HTTP/1.0 connections only when asked", async () => {
  await using server = startEngine(routes());
  await using client = await RawClient.connect(server.port);
  await client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  const first = await client.readResponse();
  assert.equal(first.headers.get("connection"), "keep-alive");
  assert.match(first.headers.get("keep-alive") ?? "", /^timeout=5, max=\d+$/);
  await client.send("GET /b HTTP/1.0\r\n\r\n");
  const second = await client.readResponse();
  assert.equal(second.text, "hello GET /b");
  assert.equal(second.headers.get("connection"), "close");
  await client.waitForClose();
});

Deno.test("engine sends no body for HEAD", async () => {
  await using server = startEngine(routes());
  await using client = await RawClient.connect(server.port);
  await client.send(`HEAD /x HTTP/1.1\r\n${H}\r\n`);
  const head = await client.readResponse({ method: "HEAD" });
  assert.equal(head.headers.get("content-length"), String("hello HEAD /x".length));
  await client.send(`HEAD /stream HTTP/1.1\r\n${H}\r\nGET /y HTTP/1.1\r\n${H}\r\n`);
  const streamHead = await client.readResponse({ method: "HEAD" });
  assert.equal(streamHead.headers.has("transfer-encoding"), false);
  // Had any body byte been sent, it would be read here instead of the next response.
  assert.equal((await client.readResponse()).text, "hello GET /y");
});

Deno.test("engine closes every connection with KeepAlive Off", async () => {
  await using server = startEngine(routes(), { keepAlive: false });
  await using client = await RawClient.connect(server.port);
  await client.send(`GET / HTTP/1.1\r\n${H}\r\n`);
  const response = await client.readResponse();
  assert.equal(response.headers.get("connection"), "close");
  assert.equal(response.headers.has("keep-alive"), false);
  await client.waitForClose();
});

Deno.test("engine closes after MaxKeepAliveRequests", async () => {
  await using server = startEngine(routes(), { maxKeepAliveRequests: 2 });
  await using client = await RawClient.connect(server.port);
  await client.send(`GET /1 HTTP/1.1\r\n${H}\r\n`);
  assert.equal((await client.readResponse()).headers.get("keep-alive"), "timeout=5, max=1");
  await client.send(`GET /2 HTTP/1.1\r\n${H}\r\n`);
  assert.equal((await client.readResponse()).headers.get("connection"), "close");
  await client.waitForClose();
});

Deno.test("engine turns handler outcomes into responses", async (t) => {
  await using server = startEngine(routes());
  const cases = [
    { path: "/throw", status: 500, logged: true },
    { path: "/forbidden", status: 403, logged: false },
    { path: "/null", status: 404, logged: false },
    { path: "/split", status: 500, logged: true },
  ];
  for (const c of cases) {
    await t.step(`${c.path}: ${c.status}`, async () => {
      await using client = await RawClient.connect(server.port);
      const errorsBefore = server.errors().length;
      await client.send(`GET ${c.path} HTTP/1.1\r\n${H}\r\n`);
      const response = await client.readResponse();
      assert.equal(response.status, c.status);
      assert.equal(response.headers.has("injected"), false);
      assert.equal(server.errors().length > errorsBefore, c.logged);
      await client.send(`GET / HTTP/1.1\r\n${H}\r\n`);
      assert.equal((await client.readResponse()).status, 200, "still serving on this connection");
    });
  }
  await t.step("HttpError headers are sent", async () => {
    await using other = startEngine(() => {
      throw new HttpError(405, "Cannot POST here", { headers: [["Allow", "GET, HEAD"]] });
    });
    await using client = await RawClient.connect(other.port);
    await client.send(`POST / HTTP/1.1\r\n${H}\r\n`);
    const response = await client.readResponse();
    assert.equal(response.status, 405);
    assert.equal(response.headers.get("allow"), "GET, HEAD");
  });
});

Deno.test("engine reports connection states and stats", async () => {
  const seen: ConnectionState[] = [];
  await using server = startEngine(routes(), {
    onState: (connection) => {
      if (connection.id === 1) seen.push(connection.state);
    },
  });
  await using client = await RawClient.connect(server.port);
  await client.send(`GET / HTTP/1.1\r\n${H}\r\n`);
  await client.readResponse();
  await until(() => server.engine.stats.keepAliveIdle === 1, "idle");
  assert.deepEqual(server.engine.stats, {
    connections: 1,
    reading: 0,
    busy: 0,
    writing: 0,
    keepAliveIdle: 1,
    closing: 0,
    tunnels: 0,
  });
  client.close();
  await until(() => server.engine.stats.connections === 0, "closed");
  assert.deepEqual(seen, ["read", "busy", "write", "keepalive", "closed"]);
});

Deno.test("engine shutdown closes idle connections and finishes in-flight requests", async () => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => release = resolve);
  let started = () => {};
  const handlerStarted = new Promise<void>((resolve) => started = resolve);
  await using server = startEngine(async (request) => {
    if (request.path === "/slow") {
      started();
      await gate;
    }
    return text(200, "done");
  });
  await using idle = await RawClient.connect(server.port);
  await idle.send(`GET / HTTP/1.1\r\n${H}\r\n`);
  await idle.readResponse();
  await using busy = await RawClient.connect(server.port);
  await busy.send(`GET /slow HTTP/1.1\r\n${H}\r\n`);
  await handlerStarted;
  const stopped = server.engine.shutdown({ graceMs: 5_000 });
  await idle.waitForClose();
  release();
  const response = await busy.readResponse();
  assert.equal(response.text, "done");
  assert.equal(response.headers.get("connection"), "close");
  await stopped;
  await assert.rejects(RawClient.connect(server.port));
});

Deno.test("engine shutdown aborts what is left after graceMs", async () => {
  let started = () => {};
  const handlerStarted = new Promise<void>((resolve) => started = resolve);
  const never = new Promise<never>(() => {});
  await using server = startEngine(async () => {
    started();
    return await never;
  });
  await using client = await RawClient.connect(server.port);
  await client.send(`GET / HTTP/1.1\r\n${H}\r\n`);
  await handlerStarted;
  await server.engine.shutdown({ graceMs: 50 });
  await client.waitForClose();
});

Deno.test("engine shutdown() called again (graceful, then immediate) resolves both calls", async () => {
  let started = () => {};
  const handlerStarted = new Promise<void>((resolve) => started = resolve);
  await using server = startEngine(async () => {
    started();
    return await new Promise<never>(() => {});
  });
  await using client = await RawClient.connect(server.port);
  await client.send(`GET / HTTP/1.1\r\n${H}\r\n`);
  await handlerStarted;
  let gracefulDone = false;
  const graceful = server.engine.shutdown().then(() => gracefulDone = true);
  await server.engine.shutdown({ graceMs: 0 });
  await until(() => gracefulDone, "resolved, though every connection is closed", 1_000);
  await graceful;
});

/** A client whose kept-alive connection is idle after one request. */
async function idleClient(port: number): Promise<RawClient> {
  const client = await RawClient.connect(port);
  await client.send(`GET /a HTTP/1.1\r\n${H}\r\n`);
  assert.equal((await client.readResponse()).headers.has("connection"), false);
  return client;
}

Deno.test("engine drain(): an idle connection's next request within the grace is answered with Connection: close", async () => {
  await using server = startEngine(routes());
  await using client = await idleClient(server.port);
  server.engine.drain();
  // The client sends its next request as the server starts draining, as a busy client does.
  await client.send(`GET /b HTTP/1.1\r\n${H}\r\n`);
  const response = await client.readResponse();
  assert.equal(response.text, "hello GET /b");
  assert.equal(response.headers.get("connection"), "close");
  await client.waitForClose();
  assert.equal(client.reset, false, "closed, not reset");
});

Deno.test("engine drain(): a connection still idle after the grace is closed, not reset", async () => {
  await using server = startEngine(routes(), { keepAliveTimeoutMs: 30_000 });
  await using client = await idleClient(server.port);
  const drainedAt = Date.now();
  server.engine.drain();
  await client.waitForClose(5_000);
  const closedAfterMs = Date.now() - drainedAt;
  assert.equal(client.reset, false, "closed, not reset");
  // Not at once: the grace (1 s) lets a client's next request through first.
  assert.ok(closedAfterMs >= 900, `closed after ${closedAfterMs} ms`);
  client.close();
  await until(() => server.engine.stats.connections === 0, "the connection released");
});

Deno.test("engine drain(): the grace never outlasts KeepAliveTimeout", async () => {
  await using server = startEngine(routes(), { keepAliveTimeoutMs: 200 });
  await using client = await idleClient(server.port);
  const drainedAt = Date.now();
  server.engine.drain();
  await client.waitForClose(5_000);
  assert.ok(Date.now() - drainedAt < 900, "closed at KeepAliveTimeout, before the grace");
});

Deno.test("engine drain(): a request crossing the close of an idle connection is read away and logged", async () => {
  await using server = startEngine(routes(), { keepAliveTimeoutMs: 200 });
  await using client = await idleClient(server.port);
  server.engine.drain();
  // Sent after the server's close reached the client: still in flight, as a request crossing
  // it would be. The lingering server reads it away; a client then retries elsewhere.
  await client.waitForClose(5_000);
  const late = `GET /late HTTP/1.1\r\n${H}\r\n`;
  await client.send(late);
  client.close();
  await until(() => server.engine.stats.connections === 0, "the connection released");
  const races = server.logs.filter((entry) => /as a request arrived/.test(entry.message));
  assert.deepEqual(races.map((entry) => entry.level), ["info"]);
  const message = races[0]!.message;
  const bytes = /^Closed idle connection of 127\.0\.0\.1 .*\((\d+) bytes/.exec(message)?.[1];
  assert.equal(bytes, String(late.length), message);
  assert.equal(server.records.length, 1, "only the first request was answered");
});

Deno.test("engine drain(): an idle connection closed with nothing after it logs no race", async () => {
  await using server = startEngine(routes(), { keepAliveTimeoutMs: 200 });
  await using client = await idleClient(server.port);
  server.engine.drain();
  await client.waitForClose(5_000);
  client.close();
  await until(() => server.engine.stats.connections === 0, "the connection released");
  assert.deepEqual(server.logs.filter((entry) => /as a request arrived/.test(entry.message)), []);
});

Deno.test("engine writes a web Response handed back whole from its own fields and stream", async () => {
  const web = new Response("from a Response", { status: 201, headers: { "x-kind": "web" } });
  await using server = startEngine(() => ({ status: 201, headers: [], body: null, web }));
  await using client = await RawClient.connect(server.port);
  await client.send(`GET / HTTP/1.1\r\n${H}\r\n`);
  const response = await client.readResponse();
  assert.equal(response.status, 201);
  assert.equal(response.headers.get("x-kind"), "web");
  assert.equal(response.text, "from a Response");
});
