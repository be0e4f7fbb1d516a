import assert from "node:assert/strict";
import { within } from "../../_deadline.ts";
import {
  openSocket,
  readHead,
  startRawEcho,
  startWebSocketEcho,
} from "../../modules/proxy/_upgrade_backends.ts";
import {
  type MpmCase,
  mpmConfig,
  ONE_CHILD_TWO_THREADS,
  scoreboardWhere,
  startMpmd,
} from "./_mpm.ts";
import {
  type LocalhostCertificate,
  localhostCertificate,
} from "../../server/http/_localhost_certificate.ts";

/**
 * `ProxyPass … upgrade=websocket` end to end under prefork, worker and event: a real mpmd in
 * front of an `npm:ws` echo backend and a raw backend, with real clients, on plain HTTP and on an
 * `https` listener (wss). Each MPM tunnels
 * text, binary and large messages, shows the tunnelling slot as `W` (under event no slot is held),
 * logs one `101` line with
 * the bytes when the tunnel ends, hands bytes pipelined behind the upgrade head to the backend,
 * and ends an open tunnel at GracefulShutdownTimeout on a graceful restart (the old
 * generation's) and on a graceful stop.
 */

const CASES: readonly MpmCase[] = [
  { mpm: "prefork", section: { StartServers: 2, MinSpareServers: 1, MaxSpareServers: 3 } },
  { mpm: "worker", section: ONE_CHILD_TWO_THREADS },
  { mpm: "event", section: ONE_CHILD_TWO_THREADS },
];

const WAIT_MS = 15_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function config(
  c: MpmCase,
  wsPort: number,
  rawPort: number,
  certificate: LocalhostCertificate,
): string {
  // The plain listener first: its "Listening on http://" line is the readiness signal.
  return mpmConfig(
    c.mpm,
    c.section,
    [
      "SSLEngine: on",
      `SSLCertificateFile: ${certificate.certFile}`,
      `SSLCertificateKeyFile: ${certificate.keyFile}`,
      "GracefulShutdownTimeout: 1",
      'CustomLog: ["stderr \\"tunnel %s %B %r\\""]',
      "ProxyPass:",
      `  - /ws/ http://127.0.0.1:${wsPort}/ upgrade=websocket`,
      `  - /raw/ http://127.0.0.1:${rawPort}/ upgrade=x-echo`,
    ].join("\n"),
  ).replace("Listen: 127.0.0.1:0", 'Listen: ["127.0.0.1:0", "127.0.0.1:0 https"]');
}

Deno.test("ProxyPass upgrade=websocket tunnels under each MPM", async (t) => {
  await using certificate = await localhostCertificate();
  for (const c of CASES) {
    await t.step(c.mpm, async (t) => {
      await using backend = await startWebSocketEcho();
      await using raw = startRawEcho("x-echo");
      await using server = await startMpmd(config(c, backend.port, raw.port, certificate));
      const wsUrl = `ws://127.0.0.1:${server.port}/ws/echo`;

      await t.step("wss: a tunnel on an https listener", async () => {
        const line = await server.waitForLog(/Listening on https:\/\/127\.0\.0\.1:\d+/);
        const httpsPort = Number(/https:\/\/127\.0\.0\.1:(\d+)/.exec(line)![1]);
        using wss = await openSocket(`wss://localhost:${httpsPort}/ws/secure`, {
          ca: certificate.cert,
        });
        wss.socket.send("over tls");
        assert.equal(decoder.decode((await wss.next()).data), "over tls");
        const big = new Uint8Array(256 * 1024).fill(7);
        wss.socket.send(big);
        assert.equal((await wss.next()).data.length, big.length);
        wss.socket.close(1000);
        assert.equal(await within(wss.closed, "the close", WAIT_MS), 1000);
      });

      await t.step(
        "text, binary, 1 MiB and 200 messages; one 101 log line at the end",
        async () => {
          using ws = await openSocket(wsUrl);
          ws.socket.send("hello");
          assert.equal(decoder.decode((await ws.next()).data), "hello");
          const binary = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
          ws.socket.send(binary);
          assert.deepEqual(await ws.next(), { data: binary, binary: true });
          const big = new Uint8Array(1 << 20).map((_, i) => (i * 13) & 0xff);
          ws.socket.send(big);
          const echoed = await ws.next();
          assert.ok(echoed.data.length === big.length && echoed.data.every((b, i) => b === big[i]));
          for (let i = 0; i < 200; i++) ws.socket.send(`m${i}`);
          for (let i = 0; i < 200; i++) {
            assert.equal(decoder.decode((await ws.next()).data), `m${i}`);
          }
          // A one-connection slot carrying the tunnel shows W while it lives; an event slot is
          // not held by it: the tunnel is one of its process's connections.
          await scoreboardWhere(
            server,
            (board) =>
              c.mpm === "event"
                ? board.processes.some((p) => p.connections >= 1) &&
                  board.processes.every((p) => p.slots.every((slot) => slot.state !== "W"))
                : board.processes.some((p) => p.slots.some((slot) => slot.state === "W")),
            c.mpm === "event" ? "the tunnel counted and no W slot" : "a W slot",
          );
          ws.socket.close(1000);
          assert.equal(await within(ws.closed, "the close", WAIT_MS), 1000);
          const line = await server.waitForLog(
            /tunnel 101 \d+ GET \/ws\/echo HTTP\/1\.1$/,
            WAIT_MS,
          );
          const sent = Number(/tunnel 101 (\d+)/.exec(line)![1]);
          assert.ok(sent > big.length, `%B counts the tunnelled bytes: ${sent}`);
        },
      );

      await t.step("bytes pipelined behind the upgrade head reach the backend", async () => {
        using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
        const head =
          "GET /raw/ HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: x-echo\r\n\r\n";
        await conn.write(encoder.encode(`${head}PIPELINED`));
        const answer = await readHead(conn);
        assert.match(answer.head, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
        let echoed = decoder.decode(answer.rest);
        const chunk = new Uint8Array(1024);
        while (echoed.length < "PIPELINED".length) {
          const n = await within(conn.read(chunk), "the echo", WAIT_MS);
          if (n === null) break;
          echoed += decoder.decode(chunk.subarray(0, n));
        }
        assert.equal(echoed, "PIPELINED");
      });

      await t.step(
        "a graceful restart ends the old generation's tunnel at the timeout",
        async () => {
          using old = await openSocket(wsUrl);
          old.socket.send("before");
          await old.next();
          const started = Date.now();
          Deno.kill(server.pid, "SIGUSR2");
          await within(old.closed, "the old tunnel's end", WAIT_MS);
          const tookMs = Date.now() - started;
          assert.ok(tookMs >= 900, `the tunnel lived on for the grace (${tookMs} ms)`);
          using fresh = await openSocket(wsUrl);
          fresh.socket.send("after");
          assert.equal(decoder.decode((await fresh.next()).data), "after");
          fresh.socket.close(1000);
          await within(fresh.closed, "the new tunnel's close", WAIT_MS);
        },
      );

      await t.step("a graceful stop ends an open tunnel at GracefulShutdownTimeout", async () => {
        using ws = await openSocket(wsUrl);
        ws.socket.send("still here");
        await ws.next();
        const started = Date.now();
        assert.equal(await within(server.stop("SIGWINCH"), "the graceful stop", WAIT_MS), 0);
        await within(ws.closed, "the tunnel's end", WAIT_MS);
        const tookMs = Date.now() - started;
        assert.ok(tookMs >= 900, `the tunnel lived on for the grace (${tookMs} ms)`);
      });
    });
  }
});
