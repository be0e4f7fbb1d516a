import assert from "node:assert/strict";
import { runMpmd, startMpmd } from "../_server.ts";

/** Each example's config, as a user would pass it with -f. */
const config = (name: string) =>
  new URL(`../../examples/apps/${name}/mpmd.yaml`, import.meta.url).pathname;

/** Port 0 instead of the examples' 8080: a later source replaces the whole Listen list. */
const ANY_PORT = ["-c", "Listen 127.0.0.1:0"];

const EXAMPLES: { name: string; serve: (origin: string) => Promise<void> }[] = [
  {
    name: "hello",
    async serve(origin) {
      const response = await fetch(`${origin}/any/path`);
      assert.equal(await response.text(), "Hello, world\n");
    },
  },
  {
    name: "json_api",
    async serve(origin) {
      const created = await fetch(`${origin}/api/items`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "pen" }),
      });
      assert.equal(created.status, 201);
      assert.deepEqual(await created.json(), { id: 1, name: "pen" });
      const refused = await fetch(`${origin}/api/items`, { method: "POST", body: "pen" });
      assert.equal(refused.status, 415);
      await refused.body?.cancel();
      // Beside the app, the static example site.
      const page = await fetch(`${origin}/hello.txt`);
      assert.equal(page.status, 200);
      await page.body?.cancel();
    },
  },
  {
    name: "counter",
    async serve(origin) {
      const response = await fetch(`${origin}/`);
      assert.match(await response.text(), /^request 1 of this isolate \(pid \d+, a process\)\n$/);
    },
  },
  {
    name: "sse",
    async serve(origin) {
      const response = await fetch(`${origin}/events?count=3`);
      assert.equal(response.headers.get("content-type"), "text/event-stream");
      const text = await response.text();
      assert.deepEqual([...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]), ["1", "2", "3"]);
    },
  },
];

for (const example of EXAMPLES) {
  Deno.test(`examples/apps/${example.name}: its config is valid and it serves`, async () => {
    const checked = await runMpmd(["-t", "-f", config(example.name)]);
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stderr, /Syntax OK/);
    await using server = await startMpmd(null, ["-f", config(example.name), ...ANY_PORT]);
    await example.serve(server.origin);
  });
}
