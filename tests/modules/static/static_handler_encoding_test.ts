import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { createStaticHandler } from "../../../modules/static/mod.ts";
import { createStaticFixture, testLogger } from "./_fixture.ts";
import { bodyBytes, headerOf, serve } from "./_request.ts";

Deno.test("createStaticHandler() picks a precompressed sibling by Accept-Encoding", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  const cases: { path: string; accept: string | undefined; coding: "br" | "gzip" | null }[] = [
    { path: "/style.css", accept: undefined, coding: null },
    { path: "/style.css", accept: "", coding: null },
    { path: "/style.css", accept: "br", coding: "br" },
    { path: "/style.css", accept: "BR", coding: "br" },
    { path: "/style.css", accept: "gzip, deflate, br", coding: "br" },
    { path: "/style.css", accept: "gzip", coding: "gzip" },
    { path: "/style.css", accept: "x-gzip", coding: "gzip" },
    { path: "/style.css", accept: "br;q=0, gzip", coding: "gzip" },
    { path: "/style.css", accept: "br; q=0.5, gzip;q=0.8", coding: "gzip" },
    { path: "/style.css", accept: "br;q=0.8, gzip;q=0.8", coding: "br" },
    { path: "/style.css", accept: "br;q=0, gzip;q=0", coding: null },
    { path: "/style.css", accept: "br;q=0.5", coding: "br" },
    { path: "/style.css", accept: "*", coding: "br" },
    { path: "/style.css", accept: "*;q=0", coding: null },
    { path: "/style.css", accept: "*, br;q=0", coding: "gzip" },
    { path: "/style.css", accept: "identity", coding: null },
    { path: "/style.css", accept: "identity;q=1, br;q=0.5", coding: null },
    { path: "/style.css", accept: "br;q=1.5", coding: null },
    { path: "/style.css", accept: "deflate, compress", coding: null },
    { path: "/app.js", accept: "br", coding: null },
    { path: "/app.js", accept: "br, gzip", coding: "gzip" },
    { path: "/app.js", accept: "*", coding: "gzip" },
  ];
  for (const c of cases) {
    await t.step(
      `${c.path} Accept-Encoding: ${c.accept ?? "(none)"} → ${c.coding ?? "identity"}`,
      async () => {
        const headers: Record<string, string> = c.accept === undefined
          ? {}
          : { "Accept-Encoding": c.accept };
        const response = await serve(handler, c.path, { headers });
        assert.equal(response.status, 200);
        const original = c.path === "/style.css" ? fx.css.identity : fx.js.identity;
        assert.equal(
          headerOf(response, "Content-Type"),
          c.path === "/style.css" ? "text/css" : "text/javascript",
        );
        assert.equal(headerOf(response, "Content-Encoding"), c.coding ?? undefined);
        assert.equal(headerOf(response, "Vary"), "Accept-Encoding");
        const etag = headerOf(response, "ETag") ?? "";
        assert.match(
          etag,
          c.coding === null ? /^"[0-9a-f]+-[0-9a-f]+"$/ : new RegExp(`-${c.coding}"$`),
        );
        const body = await bodyBytes(response);
        const decoded = c.coding === "br"
          ? brotliDecompressSync(body)
          : c.coding === "gzip"
          ? gunzipSync(body)
          : body;
        assert.deepEqual(new Uint8Array(decoded), original);
      },
    );
  }
  await t.step("a file without siblings does not vary", async () => {
    const response = await serve(handler, "/hello.txt", {
      headers: { "Accept-Encoding": "br, gzip" },
    });
    assert.equal(headerOf(response, "Vary"), undefined);
    assert.equal(headerOf(response, "Content-Encoding"), undefined);
  });
  await t.step("a sibling requested by its own name is an ordinary file", async () => {
    const response = await serve(handler, "/style.css.gz", {
      headers: { "Accept-Encoding": "gzip" },
    });
    assert.equal(headerOf(response, "Content-Type"), "application/gzip");
    assert.equal(headerOf(response, "Content-Encoding"), undefined);
    assert.deepEqual(await bodyBytes(response), fx.css.gzip);
  });
});

Deno.test("createStaticHandler() applies ranges to the chosen representation", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  await t.step("one range of the Brotli bytes → 206", async () => {
    const response = await serve(handler, "/style.css", {
      headers: { "Accept-Encoding": "br", Range: "bytes=2-9" },
    });
    assert.equal(response.status, 206);
    assert.equal(headerOf(response, "Content-Encoding"), "br");
    assert.equal(headerOf(response, "Content-Range"), `bytes 2-9/${fx.css.br.length}`);
    assert.equal(headerOf(response, "Vary"), "Accept-Encoding");
    assert.deepEqual(await bodyBytes(response), fx.css.br.subarray(2, 10));
  });
  await t.step("several ranges of an encoded representation → the whole of it", async () => {
    const response = await serve(handler, "/style.css", {
      headers: { "Accept-Encoding": "br", Range: "bytes=0-1,5-6" },
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await bodyBytes(response), fx.css.br);
  });
  await t.step("an unsatisfiable range of the gzip bytes → 416 with Vary", async () => {
    const response = await serve(handler, "/style.css", {
      headers: { "Accept-Encoding": "gzip", Range: `bytes=${fx.css.gzip.length}-` },
    });
    assert.equal(response.status, 416);
    assert.equal(headerOf(response, "Content-Range"), `bytes */${fx.css.gzip.length}`);
    assert.equal(headerOf(response, "Vary"), "Accept-Encoding");
  });
});

Deno.test("createStaticHandler() notices siblings that come and go", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  const gz = new Uint8Array([0x1f, 0x8b, 1, 2, 3]);
  const get = () => serve(handler, "/hello.txt", { headers: { "Accept-Encoding": "gzip" } });
  await t.step("none yet", async () => {
    assert.equal(headerOf(await get(), "Content-Encoding"), undefined);
  });
  await t.step("a .gz appears", async () => {
    await Deno.writeFile(`${fx.root}/hello.txt.gz`, gz);
    const response = await get();
    assert.equal(headerOf(response, "Content-Encoding"), "gzip");
    assert.equal(headerOf(response, "Vary"), "Accept-Encoding");
    assert.deepEqual(await bodyBytes(response), gz);
  });
  await t.step("the .gz goes", async () => {
    await Deno.remove(`${fx.root}/hello.txt.gz`);
    const response = await get();
    assert.equal(headerOf(response, "Content-Encoding"), undefined);
    assert.equal(headerOf(response, "Vary"), undefined);
  });
  await t.step("a .gz linking outside the root is not used", async () => {
    await Deno.symlink("../secret.txt", `${fx.root}/hello.txt.gz`);
    const response = await get();
    assert.equal(headerOf(response, "Content-Encoding"), undefined);
    assert.ok(!new TextDecoder().decode(await bodyBytes(response)).includes(fx.secret));
  });
});
