// deno-lint-ignore-file no-console -- printing the measurement is this tool's purpose
/**
 * `deno run -A bench/proxy_streams.ts [STREAMS]`: the memory of mpmd's processes with STREAMS
 * (default 1,000) proxied answers in flight at once. A node:http backend in this process answers
 * each request with a chunk every half second; mpmd (event, the test pool: one child of two
 * threads, which starts a second child when both are busy) proxies them; once every client has
 * its first chunk, the resident memory of mpmd's processes is read from /proc and printed beside
 * the idle figure.
 *
 * @module
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { MPMD_DENO_CONFIG, MPMD_ENTRY } from "./contenders.ts";

const streams = Number(Deno.args[0] ?? 1000);
const CHUNK = "x".repeat(1024);

/** Resident memory of `pid` and every process below it. */
function treeRss(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  let total = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    const children = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/children`).trim();
    if (children !== "") {
      for (const child of children.split(/\s+/)) total += treeRss(Number(child));
    }
  }
  return total;
}

const backend = createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.write(CHUNK);
  const timer = setInterval(() => res.write(CHUNK), 500);
  res.on("close", () => clearInterval(timer));
});
await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
const backendPort = (backend.address() as AddressInfo).port;

const dir = await Deno.makeTempDir({ prefix: "mpmd_proxy_streams_" });
const port = (() => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return listener.addr.port;
})();
await Deno.writeTextFile(
  `${dir}/mpmd.yaml`,
  [
    `Listen: [127.0.0.1:${port}]`,
    `DocumentRoot: ${dir}`,
    "LogLevel: warn",
    `ProxyPass: ["/ http://127.0.0.1:${backendPort}/ max=${streams}"]`,
    "event:",
    "  StartServers: 1",
    "  ThreadsPerChild: 2",
    "  MinSpareThreads: 1",
    "  MaxSpareThreads: 3",
    "",
  ].join("\n"),
);
const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "--config", MPMD_DENO_CONFIG, MPMD_ENTRY, "-f", `${dir}/mpmd.yaml`],
  stdout: "null",
  stderr: "inherit",
}).spawn();
const clients: Deno.TcpConn[] = [];
try {
  for (let attempt = 0;; attempt++) {
    try {
      await (await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(500) }))
        .body?.cancel();
      break;
    } catch (error) {
      if (attempt > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const idle = treeRss(server.pid);
  const started = performance.now();
  const request = new TextEncoder().encode(`GET /s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  await Promise.all(Array.from({ length: streams }, async () => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    clients.push(conn);
    await conn.write(request);
    // The head and the first chunk: the answer is streaming through the proxy.
    const buf = new Uint8Array(4096);
    let got = 0;
    while (got < 1024) {
      const n = await conn.read(buf);
      if (n === null) throw new Error("a stream ended early");
      got += n;
    }
  }));
  const busy = treeRss(server.pid);
  const children = Deno.readTextFileSync(`/proc/${server.pid}/task/${server.pid}/children`)
    .trim().split(/\s+/).length;
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  console.log(
    `${streams} proxied streams in flight (all started within ${
      Math.round(performance.now() - started)
    } ms): mpmd's parent and ${children} children ${mib(busy)} MiB resident; before them ${
      mib(idle)
    } MiB (the parent and one child); ${
      ((busy - idle) / streams / 1024).toFixed(1)
    } KiB per stream`,
  );
} finally {
  for (const conn of clients) conn.close();
  server.kill("SIGTERM");
  await server.status;
  backend.closeAllConnections();
  backend.close();
  await Deno.remove(dir, { recursive: true });
}
