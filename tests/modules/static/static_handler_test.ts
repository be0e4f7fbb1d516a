import assert from "node:assert/strict";
import { createStaticHandler, STATIC_ALLOW } from "../../../modules/static/mod.ts";
import { DEFAULT_AUTOINDEX } from "../../../server/config/mod.ts";
import { createStaticFixture, testLogger } from "./_fixture.ts";
import { bodyBytes, bodyText, headerOf, serve } from "./_request.ts";

Deno.test("createStaticHandler() answers methods as httpd's default handler", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  const cases = [
    { method: "GET", status: 200, allow: undefined },
    { method: "HEAD", status: 200, allow: undefined },
    { method: "OPTIONS", status: 200, allow: STATIC_ALLOW },
    { method: "POST", status: 200, allow: undefined },
    { method: "PUT", status: 405, allow: STATIC_ALLOW },
    { method: "DELETE", status: 405, allow: STATIC_ALLOW },
    // RFC 9110 §9.1, as httpd: a method the server does not know is not implemented.
    { method: "get", status: 501, allow: undefined },
    { method: "FOO", status: 501, allow: undefined },
  ];
  for (const c of cases) {
    await t.step(`${c.method} /hello.txt → ${c.status}`, async () => {
      const response = await serve(handler, "/hello.txt", { method: c.method });
      assert.equal(response.status, c.status);
      assert.equal(headerOf(response, "Allow"), c.allow);
    });
  }
  await t.step("OPTIONS * → 200 with Allow", async () => {
    const response = await serve(handler, "*", { method: "OPTIONS" });
    assert.equal(response.status, 200);
    assert.equal(headerOf(response, "Allow"), "GET, HEAD, POST, OPTIONS");
  });
  await t.step("GET * → 400", async () => {
    assert.equal((await serve(handler, "*")).status, 400);
  });
});

Deno.test("createStaticHandler() maps paths to files", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  const cases = [
    { path: "/hello.txt", status: 200, text: "hello world\n" },
    { path: "/with%20space%20%C3%A9.txt", status: 200, text: "spaced and accented\n" },
    { path: "/with%20space%20%c3%a9.txt", status: 200, text: "spaced and accented\n" },
    { path: "/empty.txt", status: 200, text: "" },
    { path: "/missing.txt", status: 404, text: "" },
    { path: "/sub/missing/deeper.txt", status: 404, text: "" },
    { path: "/hello.txt/", status: 404, text: "" },
    { path: "/hello.txt/x", status: 404, text: "" },
    { path: `/${"a".repeat(300)}`, status: 404, text: "" },
    { path: "/sub/deeper/x.txt", status: 200, text: "x\n" },
  ];
  for (const c of cases) {
    await t.step(`${c.path.slice(0, 40)} → ${c.status}`, async () => {
      const response = await serve(handler, c.path);
      assert.equal(response.status, c.status);
      assert.equal(await bodyText(response), c.text);
    });
  }
  await t.step("the 1 KiB file comes back byte for byte", async () => {
    const response = await serve(handler, "/one-k.bin");
    assert.deepEqual(await bodyBytes(response), fx.oneK);
  });
});

Deno.test("createStaticHandler() handles directories as mod_dir", async (t) => {
  await using fx = await createStaticFixture();
  const logger = testLogger();
  const handler = createStaticHandler(fx.host(), { logger, revalidateMs: 0 });
  const redirects = [
    { path: "/sub", location: "/sub/" },
    { path: "/sub?a=1&b=%20", location: "/sub/?a=1&b=%20" },
    { path: "/noindex", location: "/noindex/" },
    { path: "/sub/deeper?x", location: "/sub/deeper/?x" },
    { path: "/noindex/b%20dir", location: "/noindex/b%20dir/" },
    { path: "/sub/./deeper/../deeper", location: "/sub/deeper/" },
    { path: "/link-indir", location: "/link-indir/" },
  ];
  for (const c of redirects) {
    await t.step(`${c.path} → 301 ${c.location}`, async () => {
      const response = await serve(handler, c.path);
      assert.equal(response.status, 301);
      assert.equal(headerOf(response, "Location"), c.location);
      assert.equal(headerOf(response, "Content-Type"), "text/html; charset=utf-8");
      assert.match(await bodyText(response), /301 Moved Permanently/);
    });
  }
  await t.step("/sub/ serves its index.html", async () => {
    const response = await serve(handler, "/sub/");
    assert.equal(response.status, 200);
    assert.equal(await bodyText(response), "<h1>sub</h1>\n");
    assert.equal(headerOf(response, "Content-Type"), "text/html");
  });
  await t.step("a link inside the root to a directory serves its index", async () => {
    assert.equal(await bodyText(await serve(handler, "/link-indir/")), "<h1>sub</h1>\n");
  });
  await t.step("a directory without an index and Indexes off → 403", async () => {
    assert.equal((await serve(handler, "/noindex/")).status, 403);
    assert.equal((await serve(handler, "/sub/deeper/")).status, 403);
  });
});

Deno.test("createStaticHandler() tries DirectoryIndex in order", async (t) => {
  await using fx = await createStaticFixture();
  const cases = [
    {
      index: ["index.html", "index.htm", "default.html"],
      path: "/order/",
      text: "<p>index.htm</p>\n",
    },
    { index: ["default.html", "index.htm"], path: "/order/", text: "<p>default.html</p>\n" },
    { index: ["index.htm", "index.html"], path: "/sub/", text: "<h1>sub htm</h1>\n" },
    { index: ["nope.html", "index.html"], path: "/sub/", text: "<h1>sub</h1>\n" },
    { index: ["../secret.txt", ".htaccess", "index.html"], path: "/sub/", text: "<h1>sub</h1>\n" },
  ];
  for (const c of cases) {
    await t.step(`${c.index.join(" ")} on ${c.path}`, async () => {
      const handler = createStaticHandler(fx.host({ directoryIndex: c.index }), {
        logger: testLogger(),
        revalidateMs: 0,
      });
      const response = await serve(handler, c.path);
      assert.equal(response.status, 200);
      assert.equal(await bodyText(response), c.text);
    });
  }
  await t.step("no candidate present and Indexes off → 403", async () => {
    const handler = createStaticHandler(fx.host({ directoryIndex: ["nope.html"] }), {
      logger: testLogger(),
    });
    assert.equal((await serve(handler, "/order/")).status, 403);
  });
});

Deno.test("createStaticHandler() lists a directory under Options Indexes", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host({ indexes: true }), {
    logger: testLogger(),
    revalidateMs: 0,
  });
  const response = await serve(handler, "/noindex/");
  const html = await bodyText(response);
  await t.step("200 text/html", () => {
    assert.equal(response.status, 200);
    assert.equal(headerOf(response, "Content-Type"), "text/html; charset=utf-8");
  });
  await t.step("escapes names and percent-encodes links", () => {
    assert.ok(!html.includes("<script>"), "raw <script> in the listing");
    assert.ok(html.includes("&lt;script&gt;x.txt"));
    assert.ok(html.includes('href="%3Cscript%3Ex.txt"'));
    assert.ok(html.includes("quote&quot;&#39;&amp;.txt"));
    assert.ok(html.includes(`href="quote%22'%26.txt"`));
    assert.ok(html.includes('href="b%20dir/"'));
  });
  await t.step("hides dotfiles and links leading outside", () => {
    assert.ok(!html.includes(".hidden"));
    assert.ok(!html.includes("link-out.txt"));
  });
  await t.step("has a parent link, then the names sorted (httpd's plain list)", () => {
    assert.ok(html.includes('<li><a href="../">Parent Directory</a></li>'));
    const order = ["../", "%3Cscript%3Ex.txt", "a.txt", "b%20dir/", "quote%22", "z.txt"]
      .map((href) => html.indexOf(`href="${href}`));
    assert.ok(order.every((at) => at > 0), String(order));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
  });
  await t.step("IndexOptions FancyIndexing HTMLTable FoldersFirst: sizes and mtimes", async () => {
    const fancy = createStaticHandler(
      fx.host({
        indexes: true,
        autoindex: { ...DEFAULT_AUTOINDEX, flags: ["FancyIndexing", "FoldersFirst", "HTMLTable"] },
      }),
      { logger: testLogger() },
    );
    const table = await bodyText(await serve(fancy, "/noindex/"));
    assert.match(
      table,
      /<a href="a.txt">a.txt<\/a><\/td><td align="right">\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/td><td align="right">1<\/td>/,
    );
    assert.match(table, /z.txt<\/a><\/td><td align="right">[^<]+<\/td><td align="right">3<\/td>/);
    const order = ["../", "b%20dir/", "%3Cscript%3Ex.txt", "a.txt", "quote%22", "z.txt"]
      .map((href) => table.indexOf(`href="${href}`));
    assert.ok(order.every((at) => at > 0), String(order));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
  });
  await t.step("the root listing has no parent link", async () => {
    const rootHandler = createStaticHandler(fx.host({ indexes: true, directoryIndex: [] }), {
      logger: testLogger(),
    });
    const root = await bodyText(await serve(rootHandler, "/"));
    assert.ok(root.includes("Index of /"));
    assert.ok(!root.includes("Parent Directory"));
    assert.ok(!root.includes(".git") && !root.includes(".htaccess") && !root.includes(".env"));
  });
  await t.step("a UTF-8 directory path is shown escaped", async () => {
    const dir = `${fx.root}/d é <b>`;
    await Deno.mkdir(dir);
    const listed = await bodyText(await serve(handler, "/d%20%C3%A9%20%3Cb%3E/"));
    assert.ok(listed.includes("Index of /d é &lt;b&gt;/"));
  });
});

Deno.test("createStaticHandler() sets Content-Type as mod_mime", async (t) => {
  await using fx = await createStaticFixture();
  const cases = [
    { path: "/hello.txt", host: {}, type: "text/plain" },
    { path: "/index.html", host: {}, type: "text/html" },
    { path: "/page.HTML", host: {}, type: "text/html" },
    { path: "/data.json", host: {}, type: "application/json" },
    { path: "/style.css", host: {}, type: "text/css" },
    { path: "/app.js", host: {}, type: "text/javascript" },
    { path: "/notes.md", host: {}, type: "text/markdown" },
    { path: "/one-k.bin", host: {}, type: "application/octet-stream" },
    { path: "/archive.unknownext", host: {}, type: "application/octet-stream" },
    { path: "/noext", host: {}, type: "application/octet-stream" },
    {
      path: "/archive.unknownext",
      host: { addType: { unknownext: "application/x-mine" } },
      type: "application/x-mine",
    },
    { path: "/data.json", host: { addType: { json: "text/plain" } }, type: "text/plain" },
    { path: "/hello.txt", host: { addDefaultCharset: "UTF-8" }, type: "text/plain; charset=UTF-8" },
    {
      path: "/index.html",
      host: { addDefaultCharset: "ISO-8859-1" },
      type: "text/html; charset=ISO-8859-1",
    },
    { path: "/style.css", host: { addDefaultCharset: "UTF-8" }, type: "text/css" },
    { path: "/data.json", host: { addDefaultCharset: "UTF-8" }, type: "application/json" },
    {
      path: "/hello.txt",
      host: { addDefaultCharset: "UTF-8", addType: { txt: "text/plain; charset=koi8-r" } },
      type: "text/plain; charset=koi8-r",
    },
    {
      path: "/data.json",
      host: { addCharset: { json: "UTF-8" } },
      type: "application/json; charset=UTF-8",
    },
    { path: "/app.js", host: { forceType: "text/plain" }, type: "text/plain" },
    { path: "/noext", host: { forceType: "image/png" }, type: "image/png" },
    {
      path: "/",
      host: { forceType: "text/plain", addDefaultCharset: "UTF-8" },
      type: "text/plain; charset=UTF-8",
    },
  ];
  for (const c of cases) {
    await t.step(`${c.path} ${JSON.stringify(c.host)} → ${c.type}`, async () => {
      const handler = createStaticHandler(fx.host(c.host), { logger: testLogger() });
      const response = await serve(handler, c.path);
      assert.equal(response.status, 200);
      assert.equal(headerOf(response, "Content-Type"), c.type);
    });
  }
});

Deno.test("createStaticHandler() answers HEAD with GET's fields and no body to send", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger() });
  const cases = [
    { path: "/hello.txt", size: 12, streamed: false },
    { path: "/style.css", size: fx.css.identity.length, streamed: false },
    { path: "/large.bin", size: fx.large.length, streamed: true },
  ];
  for (const c of cases) {
    await t.step(c.path, async () => {
      const get = await serve(handler, c.path);
      const head = await serve(handler, c.path, { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.deepEqual(head.headers, get.headers);
      if (c.streamed) {
        // The engine sends no body for HEAD: the lazy stream is never opened.
        assert.equal(headerOf(head, "Content-Length"), String(c.size));
        assert.ok(!(head.body instanceof Uint8Array));
      } else {
        // In memory: the engine frames Content-Length from the bytes and sends none of them.
        assert.equal(headerOf(head, "Content-Length"), undefined);
        assert.ok(head.body instanceof Uint8Array && head.body.length === c.size);
      }
      assert.equal((await bodyBytes(get)).length, c.size);
    });
  }
});

Deno.test("createStaticHandler() applies the symbolic-link policy", async (t) => {
  await using fx = await createStaticFixture();
  const cases = [
    { path: "/link-in.txt", follow: false, status: 200 },
    { path: "/link-out.txt", follow: false, status: 403 },
    { path: "/link-outdir/secret2.txt", follow: false, status: 403 },
    { path: "/link-out.txt", follow: true, status: 200 },
    { path: "/link-outdir/secret2.txt", follow: true, status: 200 },
  ];
  for (const c of cases) {
    await t.step(`${c.path} followSymLinks=${c.follow} → ${c.status}`, async () => {
      const handler = createStaticHandler(fx.host({ followSymLinks: c.follow }), {
        logger: testLogger(),
      });
      const response = await serve(handler, c.path);
      assert.equal(response.status, c.status);
      const text = await bodyText(response);
      assert.equal(text.includes(fx.secret), c.status === 200 && c.path !== "/link-in.txt");
    });
  }
  await t.step("a link turned to point outside is refused once revalidated", async () => {
    const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
    await Deno.symlink("hello.txt", `${fx.root}/moving.txt`);
    assert.equal((await serve(handler, "/moving.txt")).status, 200);
    await Deno.remove(`${fx.root}/moving.txt`);
    await Deno.symlink("../secret.txt", `${fx.root}/moving.txt`);
    const response = await serve(handler, "/moving.txt");
    assert.equal(response.status, 403);
    assert.ok(!(await bodyText(response)).includes(fx.secret));
  });
});

Deno.test("createStaticHandler() follows a DocumentRoot link switched by a deployment", async () => {
  await using fx = await createStaticFixture();
  const current = `${fx.dir}/current`;
  await Deno.symlink("root", current);
  const handler = createStaticHandler(fx.host({ documentRoot: current }), {
    logger: testLogger(),
    revalidateMs: 0,
  });
  assert.equal(await bodyText(await serve(handler, "/hello.txt")), "hello world\n");
  await Deno.mkdir(`${fx.dir}/release2`);
  await Deno.writeTextFile(`${fx.dir}/release2/hello.txt`, "release 2\n");
  await Deno.remove(current);
  await Deno.symlink("release2", current);
  assert.equal(await bodyText(await serve(handler, "/hello.txt")), "release 2\n");
  assert.equal((await serve(handler, "/link-out.txt")).status, 404);
});

Deno.test({
  name: "createStaticHandler() answers 403 for an unreadable file",
  ignore: Deno.build.os === "windows" || Deno.uid() === 0, // root reads anything
  fn: async () => {
    await using fx = await createStaticFixture();
    await Deno.chmod(`${fx.root}/hello.txt`, 0o000);
    const handler = createStaticHandler(fx.host(), { logger: testLogger() });
    assert.equal((await serve(handler, "/hello.txt")).status, 403);
  },
});

Deno.test("createStaticHandler() refuses anything but a regular file or a directory", async () => {
  await using fx = await createStaticFixture();
  if (Deno.build.os === "windows") return;
  const fifo = new Deno.Command("mkfifo", { args: [`${fx.root}/pipe`] });
  assert.equal((await fifo.output()).code, 0);
  const handler = createStaticHandler(fx.host(), { logger: testLogger() });
  assert.equal((await serve(handler, "/pipe")).status, 403);
});

Deno.test("createStaticHandler() rejects negative options", () => {
  const host = {
    documentRoot: "/nonexistent",
    directoryIndex: [],
    indexes: false,
    followSymLinks: false,
    autoindex: DEFAULT_AUTOINDEX,
    addType: {},
    addCharset: {},
    forceType: null,
    addDefaultCharset: null,
    serverName: "localhost",
    useCanonicalName: false,
  };
  for (const key of ["revalidateMs", "maxCachedFileBytes", "maxCacheBytes", "maxCacheEntries"]) {
    assert.throws(
      () => createStaticHandler(host, { logger: testLogger(), [key]: -1 }),
      new RegExp(`Cannot create the static handler: ${key} -1`),
    );
  }
});

Deno.test("createStaticHandler() answers 404 while DocumentRoot does not exist", async () => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host({ documentRoot: `${fx.dir}/later` }), {
    logger: testLogger(),
    revalidateMs: 0,
  });
  assert.equal((await serve(handler, "/a.txt")).status, 404);
  await Deno.mkdir(`${fx.dir}/later`);
  await Deno.writeTextFile(`${fx.dir}/later/a.txt`, "now");
  assert.equal(await bodyText(await serve(handler, "/a.txt")), "now");
});
