/**
 * Deno's native server as mpmd's engine, in this process: the site handler's answers, the
 * app's `Response` sent untouched, the access records, LimitRequestBody, `Connection: close`
 * when asked, Deno's own answer to a malformed request, and a refused bind.
 */

import assert from "node:assert/strict";
import { ConfigErrors } from "../../../server/config/mod.ts";
import type { Handler, ServerRequest } from "../../../server/http/mod.ts";
import { fetchHandler, HttpError } from "../../../server/http/mod.ts";
import { parseYaml } from "../config/readers/_parse_yaml.ts";
import { RawClient } from "../http/_raw_client.ts";
import { collectingLogger, type LogEntry, until } from "../http/_test_engine.ts";
import type { AccessRecord } from "../../../server/log/mod.ts";
import { type RunningServer, startServer } from "../../../slot/mod.ts";

const encoder = new TextEncoder();

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield encoder.encode(part);
}

async function readAll(request: ServerRequest): Promise<number> {
  let bytes = 0;
  for (let chunk = await request.body.read(); chunk !== null; chunk = await request.body.read()) {
    bytes += chunk.byteLength;
  }
  return bytes;
}

const app = fetchHandler((request) =>
  new URL(request.url).pathname === "/app/redirect"
    ? Response.redirect("http://example.test/", 302)
    : new Response(`app saw ${request.headers.get("x-test")}\n`)
);
const ran: string[] = [];

const HANDLER: Handler = async (request) => {
  ran.push(request.path);
  switch (request.path) {
    case "/text":
      return {
        status: 200,
        headers: [["Content-Type", "text/plain"]],
        body: encoder.encode("hello\n"),
      };
    case "/stream":
      return { status: 200, headers: [], body: chunks("one ", "two ", "three\n") };
    case "/throw":
      throw new Error("the handler throws");
    case "/teapot":
      throw new HttpError(418, "short and stout");
    case "/echo":
      return { status: 200, headers: [], body: encoder.encode(`${await readAll(request)}\n`) };
    case "/request":
      return {
        status: 200,
        headers: [],
        body: encoder.encode(`${request.host} ${request.query} ${request.headers.get("x-test")}\n`),
      };
    case "/upgrade":
      return {
        status: 101,
        headers: [["Upgrade", "websocket"]],
        body: null,
        idleTimeoutMs: 1_000,
        tunnel: () => Promise.resolve(),
      };
    default:
      return request.path.startsWith("/app") ? app(request) : null;
  }
};

interface Running extends AsyncDisposable {
  readonly server: RunningServer;
  readonly origin: string;
  readonly port: number;
  readonly records: AccessRecord[];
  readonly starts: string[];
  readonly logs: LogEntry[];
}

const NATIVE = "HttpEngine: native\nMPM: event\n";

function start(yaml = ""): Running {
  const { config } = parseYaml(`Listen: 127.0.0.1:0\n${NATIVE}LimitRequestBody: 100\n${yaml}`);
  const records: AccessRecord[] = [];
  const starts: string[] = [];
  const logs: LogEntry[] = [];
  const server = startServer(config, {
    logger: collectingLogger(logs),
    handler: HANDLER,
    onState: (connection) => {
      if (connection.state === "busy") starts.push(connection.requestLine);
    },
    onExchange: (record) => records.push(record),
  });
  const port = server.addresses[0]!.port;
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    records,
    starts,
    logs,
    [Symbol.asyncDispose]: () => server.shutdown(1_000),
  };
}

/** The access record of the request whose line is `line`, once its answer is sent. */
async function recordOf(running: Running, line: string): Promise<AccessRecord> {
  await until(() => running.records.some((r) => r.requestLine === line), `logged: ${line}`);
  return running.records.find((r) => r.requestLine === line)!;
}

Deno.test("native engine: built-in answers get Server; an app's Response goes out as made", async () => {
  await using running = start();
  const text = await fetch(`${running.origin}/text`);
  assert.equal(await text.text(), "hello\n");
  assert.equal(text.headers.get("content-type"), "text/plain");
  assert.match(text.headers.get("server") ?? "", /^mpmd\//);
  assert.ok(text.headers.get("date"));

  const fromApp = await fetch(`${running.origin}/app/x`, { headers: { "x-test": "yes" } });
  assert.equal(await fromApp.text(), "app saw yes\n");
  assert.equal(fromApp.headers.get("server"), null);
  assert.equal(fromApp.headers.get("content-type"), "text/plain;charset=UTF-8");

  const streamed = await fetch(`${running.origin}/stream`);
  assert.equal(await streamed.text(), "one two three\n");

  const request = await fetch(`${running.origin}/request?a=1`, { headers: { "x-test": "t" } });
  assert.equal(await request.text(), `127.0.0.1:${running.port} a=1 t\n`);
});

Deno.test("native engine: no answer is 404, a throw is 500 and logged, an HttpError its status", async () => {
  await using running = start();
  const missing = await fetch(`${running.origin}/missing`);
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /<h1>404 Not Found<\/h1>/);
  const thrown = await fetch(`${running.origin}/throw`);
  assert.equal(thrown.status, 500);
  await thrown.body?.cancel();
  const teapot = await fetch(`${running.origin}/teapot`);
  assert.equal(teapot.status, 418);
  await teapot.body?.cancel();
  const error = running.logs.find((entry) => entry.level === "error");
  assert.match(error?.message ?? "", /^Cannot handle GET \/throw from 127\.0\.0\.1$/);
  assert.equal((error?.cause as Error).message, "the handler throws");
});

Deno.test("native engine: a 101 that would take over the connection is answered 500 and logged", async () => {
  await using running = start();
  const refused = await fetch(`${running.origin}/upgrade`, {
    headers: { connection: "upgrade", upgrade: "websocket" },
  });
  assert.equal(refused.status, 500);
  await refused.body?.cancel();
  const error = running.logs.find((entry) => entry.level === "error");
  assert.match((error?.cause as Error).message, /^Cannot switch protocols under HttpEngine native/);
});

Deno.test("native engine: access records name the request, its status and its bytes", async () => {
  await using running = start();
  await (await fetch(`${running.origin}/text?q=1`)).text();
  await (await fetch(`${running.origin}/stream`)).text();
  await (await fetch(`${running.origin}/app/x`)).text();
  const head = await fetch(`${running.origin}/text`, { method: "HEAD" });
  assert.equal(head.headers.get("content-length"), "6", "HEAD shows the GET's length");
  assert.equal(await head.text(), "");

  const text = await recordOf(running, "GET /text?q=1 HTTP/1.1");
  assert.equal(text.status, 200);
  assert.equal(text.bodyBytes, 6);
  assert.equal(text.path, "/text");
  assert.equal(text.query, "q=1");
  assert.equal(text.remote.hostname, "127.0.0.1");
  assert.equal(text.local.port, running.port);
  assert.equal(text.connectionStatus, "+");
  assert.equal(text.serverName, "localhost");
  assert.ok(text.durationUs >= 0);
  assert.equal(text.responseHeaders.find(([name]) => name === "Content-Type")?.[1], "text/plain");
  assert.equal((await recordOf(running, "GET /stream HTTP/1.1")).bodyBytes, 14);
  // An app's string body is sent by Deno as it is: its size is not known here.
  assert.equal((await recordOf(running, "GET /app/x HTTP/1.1")).bodyBytes, 0);
  assert.equal((await recordOf(running, "HEAD /text HTTP/1.1")).bodyBytes, 0);
  assert.deepEqual(running.starts.slice(0, 2), ["GET /text?q=1 HTTP/1.1", "GET /stream HTTP/1.1"]);
});

Deno.test("native engine: LimitRequestBody refuses a declared length before the handler, cuts a chunked body", async () => {
  await using running = start();
  const small = await fetch(`${running.origin}/echo`, { method: "POST", body: "x".repeat(100) });
  assert.equal(await small.text(), "100\n");

  ran.length = 0;
  const declared = await fetch(`${running.origin}/echo`, { method: "POST", body: "x".repeat(101) });
  assert.equal(declared.status, 413);
  await declared.body?.cancel();
  assert.deepEqual(ran, [], "the handler did not run");

  await using client = await RawClient.connect(running.port);
  const chunk = "x".repeat(60);
  await client.send(
    `POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `3c\r\n${chunk}\r\n3c\r\n${chunk}\r\n0\r\n\r\n`,
  );
  assert.equal((await client.readResponse()).status, 413);
  const record = await recordOf(running, "POST /echo HTTP/1.1");
  assert.ok(record.receivedBytes <= 120);
});

Deno.test("native engine: KeepAlive Off and a draining server answer with Connection: close", async (t) => {
  await t.step("KeepAlive Off", async () => {
    await using running = start("KeepAlive: Off");
    const response = await fetch(`${running.origin}/text`);
    assert.equal(response.headers.get("connection"), "close");
    await response.body?.cancel();
    assert.equal((await recordOf(running, "GET /text HTTP/1.1")).connectionStatus, "-");
  });
  await t.step("drain(): every answer after it, an app's immutable one included", async () => {
    await using running = start();
    await using client = await RawClient.connect(running.port);
    await client.send("GET /text HTTP/1.1\r\nHost: t\r\n\r\n");
    assert.equal((await client.readResponse()).headers.has("connection"), false);
    running.server.engine.drain();
    await client.send("GET /app/redirect HTTP/1.1\r\nHost: t\r\n\r\n");
    const redirect = await client.readResponse();
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get("location"), "http://example.test/");
    assert.equal(redirect.headers.get("connection"), "close");
    // Deno's server alone leaves the closing to the client; the engine closes it.
    await client.waitForClose();
  });
});

Deno.test("native engine: Deno answers a malformed request with 400 and goes on serving", async () => {
  await using running = start();
  for (const bad of ["GET /text HTTP/1.1\r\nHost: t\r\nno colon here\r\n\r\n", "BLAH\r\n\r\n"]) {
    await using client = await RawClient.connect(running.port);
    await client.send(bad);
    assert.equal((await client.readResponse()).status, 400, JSON.stringify(bad));
  }
  assert.equal(await (await fetch(`${running.origin}/text`)).text(), "hello\n");
});

Deno.test("native engine: an address in use is a configuration error naming its Listen line", async () => {
  await using running = start();
  const { config } = parseYaml(`Listen: 127.0.0.1:${running.port}\n${NATIVE}`);
  assert.throws(
    () => startServer(config, { logger: collectingLogger([]), handler: HANDLER }),
    (error) =>
      error instanceof ConfigErrors &&
      error.errors[0]!.message ===
        `mpmd.yaml:1: (98)Address already in use: make_sock: could not bind to address 127.0.0.1:${running.port}`,
  );
});

Deno.test("native engine: drain() answers an idle connection's next request with close, then closes the rest", async () => {
  await using running = start();
  await using busy = await RawClient.connect(running.port);
  await using idle = await RawClient.connect(running.port);
  for (const client of [busy, idle]) {
    await client.send("GET /text HTTP/1.1\r\nHost: t\r\n\r\n");
    assert.equal((await client.readResponse()).status, 200);
  }
  const drainedAt = Date.now();
  running.server.engine.drain();
  await busy.send("GET /text HTTP/1.1\r\nHost: t\r\n\r\n");
  const response = await busy.readResponse();
  assert.equal(response.text, "hello\n");
  assert.equal(response.headers.get("connection"), "close");
  await busy.waitForClose();
  await idle.waitForClose();
  assert.equal(idle.reset, false, "closed, not reset");
  assert.ok(Date.now() - drainedAt >= 900, "the idle one only after the grace");
});

Deno.test("native engine: connection states follow each request, as the scoreboard reads them", async () => {
  const { config } = parseYaml(`Listen: 127.0.0.1:0\n${NATIVE}`);
  const states: string[] = [];
  const server = startServer(config, {
    logger: collectingLogger([]),
    handler: HANDLER,
    onState: (connection) => states.push(connection.state),
  });
  try {
    await using client = await RawClient.connect(server.addresses[0]!.port);
    for (let i = 0; i < 2; i++) {
      await client.send("GET /text HTTP/1.1\r\nHost: t\r\n\r\n");
      await client.readResponse();
    }
    await until(() => states.at(-1) === "keepalive", "idle again");
    assert.equal(server.engine.stats.connections, 1);
    assert.equal(server.engine.stats.keepAliveIdle, 1);
    client.close();
    await until(() => states.at(-1) === "closed", "closed");
    assert.deepEqual(states, ["read", "busy", "keepalive", "busy", "keepalive", "closed"]);
  } finally {
    await server.shutdown(0);
  }
});
