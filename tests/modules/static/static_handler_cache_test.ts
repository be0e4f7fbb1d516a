import assert from "node:assert/strict";
import { createStaticHandler } from "../../../modules/static/mod.ts";
import { createStaticFixture, testLogger } from "./_fixture.ts";
import { bodyText, headerOf, serve } from "./_request.ts";

const T0 = Date.UTC(2030, 0, 1);

Deno.test("createStaticHandler() revalidates cached files by stat", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  const path = `${fx.root}/hello.txt`;
  const first = await serve(handler, "/hello.txt");
  const firstTag = headerOf(first, "ETag");
  await t.step("new content and size → new bytes and ETag", async () => {
    await Deno.writeTextFile(path, "changed content\n");
    const response = await serve(handler, "/hello.txt");
    assert.equal(await bodyText(response), "changed content\n");
    assert.notEqual(headerOf(response, "ETag"), firstTag);
  });
  await t.step("same size, new mtime → new bytes", async () => {
    await Deno.writeTextFile(path, "CHANGED CONTENT\n");
    await Deno.utime(path, 1_000_000_000, 1_000_000_000);
    const response = await serve(handler, "/hello.txt");
    assert.equal(await bodyText(response), "CHANGED CONTENT\n");
    assert.equal(headerOf(response, "Last-Modified"), "Sun, 09 Sep 2001 01:46:40 GMT");
  });
  await t.step("same size and mtime, new inode (renamed over) → new bytes", async () => {
    await Deno.writeTextFile(`${fx.root}/next.tmp`, "Changed Content\n");
    await Deno.utime(`${fx.root}/next.tmp`, 1_000_000_000, 1_000_000_000);
    await Deno.rename(`${fx.root}/next.tmp`, path);
    assert.equal(await bodyText(await serve(handler, "/hello.txt")), "Changed Content\n");
  });
  await t.step("same size, mtime and inode, rewritten in place (cp -p) → new bytes", async () => {
    const before = await Deno.stat(path);
    // The change time cannot be set, and Deno reports it in whole seconds: rewrite until
    // it differs (bounded), restoring the mtime each time, as `cp -p` does.
    const deadline = Date.now() + 5_000;
    let after = before;
    while (after.ctime?.getTime() === before.ctime?.getTime()) {
      assert.ok(Date.now() < deadline, "the change time never moved");
      await new Promise((resolve) => setTimeout(resolve, 100));
      await Deno.writeTextFile(path, "CHANGED content\n");
      await Deno.utime(path, before.atime!, before.mtime!);
      after = await Deno.stat(path);
    }
    assert.equal(after.ino, before.ino);
    assert.equal(after.size, before.size);
    assert.equal(after.mtime?.getTime(), before.mtime?.getTime());
    assert.equal(await bodyText(await serve(handler, "/hello.txt")), "CHANGED content\n");
  });
  await t.step("removed → 404", async () => {
    await Deno.remove(path);
    assert.equal((await serve(handler, "/hello.txt")).status, 404);
  });
  await t.step("created again → served", async () => {
    await Deno.writeTextFile(path, "back\n");
    assert.equal(await bodyText(await serve(handler, "/hello.txt")), "back\n");
  });
  await t.step("a file replaced by a directory → 301", async () => {
    await Deno.remove(path);
    await Deno.mkdir(path);
    assert.equal((await serve(handler, "/hello.txt")).status, 301);
  });
});

Deno.test("createStaticHandler() trusts its cache for revalidateMs at most", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 1000 });
  const path = `${fx.root}/hello.txt`;
  const at = (ms: number) => serve(handler, "/hello.txt", { receivedAt: T0 + ms });
  assert.equal(await bodyText(await at(0)), "hello world\n");
  await Deno.writeTextFile(path, "changed content\n");
  await t.step("within the window the cached bytes are served", async () => {
    assert.equal(await bodyText(await at(999)), "hello world\n");
  });
  await t.step("once the window has passed the change is seen", async () => {
    assert.equal(await bodyText(await at(1000)), "changed content\n");
  });
  await t.step("a clock stepping back revalidates", async () => {
    await Deno.writeTextFile(path, "third\n");
    assert.equal(await bodyText(await at(-5000)), "third\n");
  });
  await t.step("a new file is found at once: misses are never cached", async () => {
    assert.equal((await serve(handler, "/new.txt", { receivedAt: T0 })).status, 404);
    await Deno.writeTextFile(`${fx.root}/new.txt`, "new");
    assert.equal(await bodyText(await serve(handler, "/new.txt", { receivedAt: T0 + 1 })), "new");
  });
});

Deno.test("createStaticHandler() rechecks the directory index", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host({ indexes: false }), {
    logger: testLogger(),
    revalidateMs: 0,
  });
  await t.step("no index → 403", async () => {
    assert.equal((await serve(handler, "/noindex/")).status, 403);
  });
  await t.step("index.html created → served", async () => {
    await Deno.writeTextFile(`${fx.root}/noindex/index.html`, "<p>now</p>");
    assert.equal(await bodyText(await serve(handler, "/noindex/")), "<p>now</p>");
  });
  await t.step("index.html removed → 403 again", async () => {
    await Deno.remove(`${fx.root}/noindex/index.html`);
    assert.equal((await serve(handler, "/noindex/")).status, 403);
  });
});

Deno.test("createStaticHandler() serves correctly whatever the cache bounds", async (t) => {
  await using fx = await createStaticFixture();
  const cases = [
    { name: "one entry", options: { maxCacheEntries: 1 } },
    { name: "no entries", options: { maxCacheEntries: 0 } },
    { name: "100 bytes", options: { maxCacheBytes: 100 } },
    { name: "no bytes", options: { maxCacheBytes: 0 } },
  ];
  const files = [
    { path: "/hello.txt", text: "hello world\n" },
    { path: "/sub/", text: "<h1>sub</h1>\n" },
    { path: "/index.html", text: "<h1>home</h1>\n" },
    { path: "/link-in.txt", text: "hello world\n" },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const handler = createStaticHandler(fx.host(), { logger: testLogger(), ...c.options });
      for (let round = 0; round < 3; round++) {
        for (const f of files) assert.equal(await bodyText(await serve(handler, f.path)), f.text);
      }
    });
  }
});
