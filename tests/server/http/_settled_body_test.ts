import assert from "node:assert/strict";
import { settledBody } from "../../../server/http/_settled_body.ts";

const encoder = new TextEncoder();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A stream of `chunks`, each after `delayMs` (0: all there at once). */
function chunks(parts: string[], delayMs: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (i < parts.length) controller.enqueue(encoder.encode(parts[i++]));
      if (i === parts.length) controller.close();
    },
  }, { highWaterMark: 0 });
}

const LATER_MS = 200;

const CASES = [
  { name: "a string body", body: () => new Response("Hello").body!, bytes: "Hello" },
  { name: "an empty string", body: () => new Response("").body!, bytes: "" },
  { name: "JSON", body: () => Response.json({ a: 1 }).body!, bytes: '{"a":1}' },
  { name: "bytes", body: () => new Response(encoder.encode("raw")).body!, bytes: "raw" },
  { name: "two chunks at once", body: () => chunks(["a", "b"], 0), stream: "ab" },
  { name: "chunks made later", body: () => chunks(["x", "y"], LATER_MS), stream: "xy" },
];

Deno.test("settledBody() takes out a body that is all there, and streams any other", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, async () => {
      const started = Date.now();
      const body = await settledBody(c.body());
      // Nothing waits for a chunk that is not there yet (server-sent events get their head).
      assert.ok(Date.now() - started < LATER_MS, `settled after ${Date.now() - started} ms`);
      if (c.bytes !== undefined) {
        assert.ok(body instanceof Uint8Array, "bytes, to be sent with a Content-Length");
        assert.equal(text(body), c.bytes);
      } else {
        assert.ok(body instanceof ReadableStream, "still a stream");
        assert.equal(await new Response(body).text(), c.stream);
      }
    });
  }
});

Deno.test("settledBody() lets a stream fail unread without an unhandled rejection", async () => {
  let fail!: () => void;
  const failed = new Promise<void>((resolve) => fail = resolve);
  const body = await settledBody(
    new ReadableStream({
      start(controller) {
        setTimeout(() => {
          controller.error(new Error("the app's stream fails"));
          fail();
        });
      },
    }),
  );
  assert.ok(body instanceof ReadableStream);
  await failed;
  // An unhandled rejection would fail this test once the reads have been told.
  await new Promise((resolve) => setTimeout(resolve, 0));
  await assert.rejects(new Response(body).text(), /the app's stream fails/);
});
