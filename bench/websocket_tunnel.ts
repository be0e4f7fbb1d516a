// deno-lint-ignore-file no-console -- printing the measurement is this tool's purpose
/**
 * `deno run -A bench/websocket_tunnel.ts [TUNNELS]`: WebSocket through mpmd's
 * `ProxyPass … upgrade=websocket` against the same `npm:ws` echo backend reached directly. It
 * measures, on one connection, sequential round trips of a 32-byte message and the throughput of
 * 64 pipelined 1 MiB messages (after a warm-up pass of each); then the resident memory of mpmd's processes (event, one child
 * of two threads) with TUNNELS (default 1,000) idle tunnels open, against the idle figure.
 *
 * @module
 */

import { WebSocketServer, WsClient as WebSocket } from "../tests/_dev_deps.ts";
import { startBenchMpmd, treeRss } from "./_bench_mpmd.ts";

const tunnels = Number(Deno.args[0] ?? 1000);
const ROUND_TRIPS = 2_000;
const BULK_MESSAGES = 64;
const BULK_BYTES = 1 << 20;

function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url, { maxPayload: 64 << 20 });
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Microseconds per sequential round trip of a 32-byte message. */
async function roundTripUs(url: string): Promise<number> {
  const socket = await open(url);
  const message = "x".repeat(32);
  const started = performance.now();
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const echoed = new Promise((resolve) => socket.once("message", resolve));
    socket.send(message);
    await echoed;
  }
  const us = (performance.now() - started) * 1000 / ROUND_TRIPS;
  socket.close();
  return us;
}

/** MiB/s moved one way by pipelined 1 MiB messages echoed back. */
async function bulkMiBps(url: string): Promise<number> {
  const socket = await open(url);
  const payload = new Uint8Array(BULK_BYTES);
  let received = 0;
  const done = new Promise<void>((resolve) =>
    socket.on("message", () => {
      if (++received === BULK_MESSAGES) resolve();
    })
  );
  const started = performance.now();
  for (let i = 0; i < BULK_MESSAGES; i++) socket.send(payload);
  await done;
  const seconds = (performance.now() - started) / 1000;
  socket.close();
  return BULK_MESSAGES * BULK_BYTES / 2 ** 20 / seconds;
}

const backend = new WebSocketServer({ host: "127.0.0.1", port: 0, maxPayload: 64 << 20 });
await new Promise((resolve) => backend.once("listening", resolve));
backend.on(
  "connection",
  (socket) => socket.on("message", (data, binary) => socket.send(data, { binary })),
);
const backendPort = (backend.address() as { port: number }).port;

const server = await startBenchMpmd("mpmd_websocket_tunnel_", [
  `ProxyPass: ["/ws/ http://127.0.0.1:${backendPort}/ upgrade=websocket max=${tunnels + 10}"]`,
]);
const { port } = server;
const idleSockets: WebSocket[] = [];
try {
  const direct = `ws://127.0.0.1:${backendPort}/`;
  const proxied = `ws://127.0.0.1:${port}/ws/`;
  // A first pass of each warms up the client's and the servers' code; the second is reported.
  for (const url of [direct, proxied]) await Promise.all([roundTripUs(url), bulkMiBps(url)]);
  for (const [name, url] of [["direct", direct], ["through mpmd", proxied]] as const) {
    const us = await roundTripUs(url);
    const mibps = await bulkMiBps(url);
    console.log(
      `${name}: ${us.toFixed(0)} µs per 32-byte round trip (${ROUND_TRIPS} in a row), ${
        mibps.toFixed(0)
      } MiB/s for ${BULK_MESSAGES} pipelined 1 MiB messages echoed`,
    );
  }
  const idle = treeRss(server.pid);
  for (let i = 0; i < tunnels; i += 100) {
    const batch = Math.min(100, tunnels - i);
    idleSockets.push(...await Promise.all(Array.from({ length: batch }, () => open(proxied))));
  }
  const busy = treeRss(server.pid);
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  console.log(
    `${tunnels} idle tunnels: mpmd ${mib(busy)} MiB resident, ${mib(idle)} MiB before them; ${
      ((busy - idle) / tunnels / 1024).toFixed(1)
    } KiB per tunnel`,
  );
} finally {
  for (const socket of idleSockets) socket.terminate();
  // mpmd first: a backend that goes away under it would fill its error log.
  await server[Symbol.asyncDispose]();
  for (const client of backend.clients) client.terminate();
  await new Promise((resolve) => backend.close(resolve));
}
