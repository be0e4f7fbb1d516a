import assert from "node:assert/strict";
import { eventually } from "../../_deadline.ts";
import { startMpmd } from "../../_server.ts";

/**
 * An app that shows what `deno serve` gives it: `onListen`'s addresses, and how many
 * responses `info.completed` said were sent.
 */
const CONTRACT_APP = `
const heard = [];
let completed = 0;
export default {
  onListen(addr) { heard.push(addr.transport + " " + addr.hostname + ":" + addr.port); },
  fetch(request, info) {
    const path = new URL(request.url).pathname;
    if (path === "/heard") return Response.json(heard);
    if (path === "/completed") return Response.json(completed);
    info.completed.then(() => completed++);
    return new Response("from " + info.remoteAddr.hostname);
  },
};
`;

for (const engine of ["mpmd", "native"]) {
  Deno.test(`deno serve's contract on the ${engine} engine: onListen, info.remoteAddr, info.completed, a .js module`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/app.js`, CONTRACT_APP);
      // -X: one slot, so that every request meets the same module instance.
      await using server = await startMpmd(null, [
        `${dir}/app.js`,
        "-X",
        "-p",
        "0",
        "-c",
        `HttpEngine ${engine}`,
      ]);
      const get = async (path: string) =>
        await (await fetch(`${server.origin}${path}`, { headers: { connection: "close" } })).text();
      assert.deepEqual(JSON.parse(await get("/heard")), [`tcp 127.0.0.1:${server.port}`]);
      assert.equal(await get("/a"), "from 127.0.0.1");
      assert.equal(await get("/b"), "from 127.0.0.1");
      // Both answers were sent; the server counts them once it has seen them out.
      await eventually(
        async () => JSON.parse(await get("/completed")) === 2,
        "both exchanges completed",
        10_000,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
