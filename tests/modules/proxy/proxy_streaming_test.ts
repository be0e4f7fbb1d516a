import assert from "node:assert/strict";
import { startMpmd } from "../../_server.ts";
import { startEchoBackend } from "./_backends.ts";

/**
 * Bytes streamed each way: far more than any buffer the proxy may hold (`PROXY_STREAM_MIB=1024`
 * runs the 1 GiB measurement of docs/limits.md).
 */
const STREAM_BYTES = Number(Deno.env.get("PROXY_STREAM_MIB") ?? 256) * 1024 * 1024;
/**
 * How much the server's processes may grow: half of what crosses them. Each chunk is a fresh
 * buffer the isolates' garbage collector frees at its own pace, so their resident memory rises
 * to a plateau (about 90 MiB here for 256 MiB, 105 MiB for 1 GiB) rather than staying
 * flat; a body held whole would exceed it.
 */
const GROWTH_LIMIT_BYTES = STREAM_BYTES / 2;

/** Resident memory of `pid` and every process below it, from /proc. */
function treeRssBytes(pid: number): number {
  let total = 0;
  const visit = (p: number) => {
    try {
      const status = Deno.readTextFileSync(`/proc/${p}/status`);
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      for (const task of Deno.readDirSync(`/proc/${p}/task`)) {
        const children = Deno.readTextFileSync(`/proc/${p}/task/${task.name}/children`).trim();
        if (children !== "") children.split(/\s+/).map(Number).forEach(visit);
      }
    } catch (error) {
      // A process that exited meanwhile holds no memory.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  };
  visit(pid);
  return total;
}

Deno.test("the proxy streams a large upload and download in bounded memory", async (t) => {
  await using echo = await startEchoBackend();
  const docRoot = await Deno.makeTempDir();
  try {
    await using server = await startMpmd(
      `Listen: [127.0.0.1:0]\nDocumentRoot: ${docRoot}\nProxyPass: ["/ ${echo.origin}/"]\n`,
    );
    // Warm: the slots' isolates are up and have served once through the proxy.
    await (await fetch(`${server.origin}/warm`)).text();
    const baseline = treeRssBytes(server.pid);
    let peak = baseline;
    const sample = () => peak = Math.max(peak, treeRssBytes(server.pid));

    await t.step(`download of ${STREAM_BYTES} bytes`, async () => {
      const response = await fetch(`${server.origin}/bytes/${STREAM_BYTES}`);
      assert.equal(response.headers.get("content-length"), String(STREAM_BYTES));
      let received = 0;
      let nextSample = 0;
      for await (const chunk of response.body!) {
        received += chunk.length;
        if (received >= nextSample) {
          sample();
          nextSample += 8 * 1024 * 1024;
        }
      }
      assert.equal(received, STREAM_BYTES);
    });

    await t.step(`upload of ${STREAM_BYTES} bytes, chunked`, async () => {
      const piece = new Uint8Array(256 * 1024).fill(0x79);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= STREAM_BYTES) return controller.close();
          if (sent % (8 * 1024 * 1024) === 0) sample();
          sent += piece.length;
          controller.enqueue(piece);
        },
      });
      const response = await fetch(`${server.origin}/upload`, { method: "POST", body });
      const seen = await response.json() as { received: number; headers: Record<string, string> };
      assert.equal(seen.received, STREAM_BYTES);
      assert.equal(seen.headers["transfer-encoding"], "chunked");
    });

    const growth = peak - baseline;
    assert.ok(
      growth < GROWTH_LIMIT_BYTES,
      `the server grew by ${Math.round(growth / 2 ** 20)} MiB streaming ${
        STREAM_BYTES / 2 ** 20
      } MiB each way`,
    );
  } finally {
    await Deno.remove(docRoot, { recursive: true });
  }
});
