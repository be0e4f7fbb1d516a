/**
 * Upgrades through the reverse proxy in this process: a host's ProxyPass lines (with and
 * without `upgrade=`) read from YAML, its proxy module in mpmd's engine, real backends (`npm:ws`
 * and raw sockets) and real clients.
 */

import assert from "node:assert/strict";
import { BackendPool, createProxyHandler } from "../../../modules/proxy/mod.ts";
import type { Handler } from "../../../server/http/mod.ts";
import { collectingLogger, type LogEntry, startEngine } from "../../server/http/_test_engine.ts";
import { errorsOf, parseYaml } from "../../server/config/readers/_parse_yaml.ts";
import { within } from "../../_deadline.ts";
import { refusedPort } from "./_backends.ts";
import { NO_BALANCERS } from "../_no_status.ts";
import {
  openSocket,
  readHead,
  startRawBackend,
  startRawEcho,
  startWebSocketEcho,
} from "./_upgrade_backends.ts";

const WAIT_MS = 10_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The proxy module of a host whose ProxyPass sends `/` to the backend on `port` with the given
 * keys (`upgrade=websocket` unless said otherwise); its pool is closed on dispose.
 */
function proxyTo(
  port: number,
  options: { keys?: string; logs?: LogEntry[] } = {},
): Handler & Disposable {
  const keys = options.keys ?? "upgrade=websocket";
  const { config } = parseYaml(
    `Listen: 127.0.0.1:0\nServerName: proxy.test\nProxyPass:\n  - / http://127.0.0.1:${port}/ ${keys}\n`,
  );
  const pool = new BackendPool();
  const handler = createProxyHandler(config.hosts[0]!, {
    logger: collectingLogger(options.logs ?? []),
    timeoutMs: 10_000,
    pool,
    balancers: NO_BALANCERS,
  })!;
  return Object.assign(handler, { [Symbol.dispose]: () => pool.close() });
}

/** Sends `bytes` on a new connection to the engine and reads until the server closes. */
async function exchange(port: number, bytes: Uint8Array): Promise<string> {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(bytes);
  let text = "";
  const chunk = new Uint8Array(16 * 1024);
  for (;;) {
    const n = await within(conn.read(chunk), "the answer", WAIT_MS);
    if (n === null) return text;
    text += decoder.decode(chunk.subarray(0, n));
  }
}

/** The body of one response read whole, its chunked coding (if any) removed. */
function bodyOf(response: string): string {
  const end = response.indexOf("\r\n\r\n");
  let body = response.slice(end + 4);
  if (!/\r\nTransfer-Encoding: chunked\r\n/i.test(response.slice(0, end + 2))) return body;
  let decoded = "";
  for (;;) {
    const lineEnd = body.indexOf("\r\n");
    const size = parseInt(body.slice(0, lineEnd), 16);
    if (size === 0) return decoded;
    decoded += body.slice(lineEnd + 2, lineEnd + 2 + size);
    body = body.slice(lineEnd + 4 + size);
  }
}

const UPGRADE_HEAD = "GET /chat?room=1 HTTP/1.1\r\nHost: front.test\r\nConnection: Upgrade\r\n" +
  "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

Deno.test("ProxyPass upgrade=websocket tunnels a WebSocket echo: text, binary, 10 MiB, many messages", async () => {
  await using backend = await startWebSocketEcho();
  using proxy = proxyTo(backend.port);
  await using server = startEngine(proxy);
  using ws = await openSocket(`ws://127.0.0.1:${server.port}/echo?x=1`);
  ws.socket.send("hello");
  assert.deepEqual(await ws.next(), { data: encoder.encode("hello"), binary: false });
  const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
  ws.socket.send(binary);
  assert.deepEqual(await ws.next(), { data: binary, binary: true });
  const big = new Uint8Array(10 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);
  ws.socket.send(big);
  const echoed = await ws.next();
  assert.equal(echoed.data.length, big.length);
  assert.ok(echoed.data.every((b, i) => b === big[i]), "the 10 MiB message came back intact");
  for (let i = 0; i < 1_000; i++) ws.socket.send(`message ${i}`);
  for (let i = 0; i < 1_000; i++) {
    assert.equal(decoder.decode((await ws.next()).data), `message ${i}`);
  }
  const seen = backend.requests[0]!;
  assert.equal(seen.url, "/echo?x=1");
  assert.equal(seen.headers["x-forwarded-for"], "127.0.0.1");
  assert.equal(seen.headers["x-forwarded-host"], `127.0.0.1:${server.port}`);
  assert.equal(seen.headers["x-forwarded-server"], "proxy.test");
  assert.equal(seen.headers["upgrade"], "websocket");
  ws.socket.close(1000);
  assert.equal(await within(ws.closed, "the client's close", WAIT_MS), 1000);
  const [record] = await server.waitForRecords(1, WAIT_MS);
  assert.equal(record!.status, 101);
  assert.ok(record!.bodyBytes > big.length, `%B counts the tunnelled bytes (${record!.bodyBytes})`);
  assert.ok(record!.receivedBytes > big.length, "%I counts them too");
  assert.deepEqual(server.errors(), []);
});

Deno.test("ProxyPass upgrade= passes the backend's close to the client", async () => {
  await using backend = await startWebSocketEcho();
  using proxy = proxyTo(backend.port);
  await using server = startEngine(proxy);
  using ws = await openSocket(`ws://127.0.0.1:${server.port}/`);
  ws.socket.send("ping");
  await ws.next();
  backend.closeAll(4001);
  assert.equal(await within(ws.closed, "the client's close", WAIT_MS), 4001);
  assert.equal((await server.waitForRecords(1, WAIT_MS))[0]!.status, 101);
});

Deno.test("ProxyPass upgrade= passes the client's close to the backend", async () => {
  await using backend = await startWebSocketEcho();
  using proxy = proxyTo(backend.port);
  await using server = startEngine(proxy);
  using ws = await openSocket(`ws://127.0.0.1:${server.port}/`);
  ws.socket.close(4002);
  assert.equal(await within(backend.firstClose, "the backend's close", WAIT_MS), 4002);
});

Deno.test("ProxyPass upgrade= answers 502 and names the backend when it refuses", async () => {
  const port = refusedPort();
  const logs: LogEntry[] = [];
  using proxy = proxyTo(port, { logs });
  await using server = startEngine(proxy);
  const head = UPGRADE_HEAD.replace("Connection: Upgrade", "Connection: Upgrade, close");
  const answer = await exchange(server.port, encoder.encode(head));
  assert.match(answer, /^HTTP\/1\.1 502 /);
  assert.ok(
    logs.some((e) => e.level === "error" && e.message.includes(`backend http://127.0.0.1:${port}`)),
    JSON.stringify(logs),
  );
});

Deno.test("ProxyPass upgrade= answers 504 when the backend does not answer within its timeout", async () => {
  const answered = Promise.withResolvers<void>();
  await using backend = startRawBackend(async (conn) => {
    await readHead(conn);
    // Holds the connection open, unanswered, until the test ends.
    await answered.promise;
    conn.close();
  });
  const logs: LogEntry[] = [];
  using proxy = proxyTo(backend.port, { keys: "upgrade=websocket timeout=300ms", logs });
  await using server = startEngine(proxy);
  const head = UPGRADE_HEAD.replace("Connection: Upgrade", "Connection: Upgrade, close");
  const answer = await exchange(server.port, encoder.encode(head));
  answered.resolve();
  assert.match(answer, /^HTTP\/1\.1 504 /);
  assert.ok(logs.some((e) => e.message.includes("no answer within 300 ms")), JSON.stringify(logs));
});

Deno.test("ProxyPass upgrade= passes a backend's non-101 answer to the client", async (t) => {
  const answers = [
    {
      name: "with Content-Length",
      wire:
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 7\r\nConnection: close\r\n\r\nnot you",
    },
    {
      name: "chunked",
      wire:
        "HTTP/1.1 426 Upgrade Required\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nnot\r\n4\r\n you\r\n0\r\n\r\n",
    },
    { name: "ended by close", wire: "HTTP/1.1 200 OK\r\nX-Backend: yes\r\n\r\nnot you" },
  ];
  for (const answer of answers) {
    await t.step(answer.name, async () => {
      await using backend = startRawBackend(async (conn) => {
        await readHead(conn);
        await conn.write(encoder.encode(answer.wire));
      });
      using proxy = proxyTo(backend.port);
      await using server = startEngine(proxy);
      // `close` as well, so that the engine ends the connection after its answer.
      const head = UPGRADE_HEAD.replace("Connection: Upgrade", "Connection: Upgrade, close");
      const text = await exchange(server.port, encoder.encode(head));
      const status = answer.wire.slice(9, 12);
      assert.match(text, new RegExp(`^HTTP/1\\.1 ${status} `));
      assert.equal(bodyOf(text), "not you");
      assert.doesNotMatch(text, /Connection: Upgrade/i);
    });
  }
});

Deno.test("ProxyPass upgrade= hands bytes pipelined behind the upgrade head to the backend", async () => {
  await using backend = startRawEcho("x-echo");
  using proxy = proxyTo(backend.port, { keys: "upgrade=ANY" });
  await using server = startEngine(proxy);
  using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  const head = "GET /raw HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: x-echo\r\n\r\n";
  await conn.write(encoder.encode(`${head}PIPELINED-BYTES`));
  const answer = await readHead(conn);
  assert.match(answer.head, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  assert.match(answer.head, /\r\nConnection: Upgrade\r\n/);
  assert.match(answer.head, /\r\nUpgrade: x-echo\r\n/);
  let echoed = decoder.decode(answer.rest);
  const chunk = new Uint8Array(1024);
  while (echoed.length < "PIPELINED-BYTES".length) {
    const n = await within(conn.read(chunk), "the echo", WAIT_MS);
    if (n === null) break;
    echoed += decoder.decode(chunk.subarray(0, n));
  }
  assert.equal(echoed, "PIPELINED-BYTES");
  await conn.write(encoder.encode("more"));
  const n = await within(conn.read(chunk), "the second echo", WAIT_MS);
  assert.equal(decoder.decode(chunk.subarray(0, n ?? 0)), "more");
});

Deno.test("ProxyPass upgrade= closes a tunnel idle for its timeout, and the backend's side with it", async () => {
  await using backend = await startWebSocketEcho();
  using proxy = proxyTo(backend.port, { keys: "upgrade=websocket timeout=300ms" });
  await using server = startEngine(proxy);
  using ws = await openSocket(`ws://127.0.0.1:${server.port}/`);
  ws.socket.send("one");
  await ws.next();
  await within(ws.closed, "the idle tunnel's close", WAIT_MS);
  await within(backend.firstClose, "the backend's close", WAIT_MS);
  assert.ok(server.logs.some((e) => e.message.includes("no byte moved within its idle timeout")));
});

Deno.test("ProxyPass upgrade= closes the backend's side of a 101 the engine does not pass on", async () => {
  await using backend = await startWebSocketEcho();
  using proxy = proxyTo(backend.port);
  await using server = startEngine(proxy);
  // A retiring slot past its tunnels' grace answers 503 in place of the backend's 101.
  server.engine.closeTunnels();
  await assert.rejects(openSocket(`ws://127.0.0.1:${server.port}/`), /handshake answered 503/);
  assert.equal(await within(backend.firstClose, "the backend's close", WAIT_MS), 1006);
});

Deno.test("ProxyPass without upgrade= sends an upgrade request as an ordinary one", async () => {
  await using backend = await startWebSocketEcho();
  using proxy = proxyTo(backend.port, { keys: "" });
  await using server = startEngine(proxy);
  // The ws backend answers a request without Upgrade with 426: the client sees that answer.
  await assert.rejects(openSocket(`ws://127.0.0.1:${server.port}/`), /handshake answered 426/);
});

Deno.test("ProxyPass answers 502 for a backend's 101 that nobody asked for", async () => {
  await using backend = startRawBackend(async (conn) => {
    await readHead(conn);
    await conn.write(encoder.encode("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"));
  });
  const logs: LogEntry[] = [];
  using proxy = proxyTo(backend.port, { keys: "", logs });
  await using server = startEngine(proxy);
  const head = UPGRADE_HEAD.replace("Connection: Upgrade", "Connection: Upgrade, close");
  assert.match(await exchange(server.port, encoder.encode(head)), /^HTTP\/1\.1 502 /);
  assert.ok(logs.some((e) => e.message.includes("a 101 nobody asked for")), JSON.stringify(logs));
});

Deno.test("ProxyPass upgrade= takes a protocol name or ANY", async (t) => {
  const cases = [
    { value: "NONE", error: /"NONE" \(tunnel without an Upgrade request\) is not implemented/ },
    { value: "web/socket", error: /"web\/socket" is not a protocol name/ },
  ];
  for (const c of cases) {
    await t.step(c.value, () => {
      const errors = errorsOf(
        `Listen: 127.0.0.1:0\nProxyPass:\n  - / http://127.0.0.1:9/ upgrade=${c.value}\n`,
      );
      assert.match(errors.join("\n"), c.error);
    });
  }
});
