import assert from "node:assert/strict";
import { createStaticHandler } from "../../../modules/static/mod.ts";
import { createStaticFixture, testLogger } from "./_fixture.ts";
import { bodyText, serve } from "./_request.ts";
import { TRAVERSAL_CASES } from "./_traversal_cases.ts";

Deno.test("createStaticHandler() refuses every traversal and evasion path", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host({ indexes: true }), {
    logger: testLogger(),
    revalidateMs: 0,
  });
  assert.ok(TRAVERSAL_CASES.length >= 30);
  for (const c of TRAVERSAL_CASES) {
    await t.step(`${c.path} → ${c.expectStatus} (${c.why})`, async () => {
      for (const method of ["GET", "HEAD"]) {
        const response = await serve(handler, c.path, { method });
        assert.equal(response.status, c.expectStatus, `${method} ${c.path}`);
        const text = await bodyText(response);
        assert.ok(!text.includes(fx.secret), `${method} ${c.path} leaked the secret`);
        assert.ok(!text.includes(fx.dir), `${method} ${c.path} exposed a file system path`);
      }
    });
  }
});

Deno.test("createStaticHandler() with followSymLinks still refuses climbing paths", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host({ followSymLinks: true }), {
    logger: testLogger(),
    revalidateMs: 0,
  });
  for (const c of TRAVERSAL_CASES.filter((c) => !c.path.includes("link-out"))) {
    await t.step(c.path, async () => {
      const response = await serve(handler, c.path);
      assert.equal(response.status, c.expectStatus);
      assert.ok(!(await bodyText(response)).includes(fx.secret));
    });
  }
});

Deno.test("createStaticHandler() serves the plain paths next to the refused ones", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  const cases = [
    { path: "/", text: "<h1>home</h1>\n" },
    { path: "/.", text: "<h1>home</h1>\n" },
    { path: "/sub/..", text: "<h1>home</h1>\n" },
    { path: "/sub/../hello.txt", text: "hello world\n" },
    { path: "/./hello.txt", text: "hello world\n" },
    { path: "//hello.txt", text: "hello world\n" },
    { path: "/%68ello.txt", text: "hello world\n" },
    { path: "/.git/../hello.txt", text: "hello world\n" },
    { path: "/link-in.txt", text: "hello world\n" },
  ];
  for (const c of cases) {
    await t.step(c.path, async () => {
      const response = await serve(handler, c.path);
      assert.equal(response.status, 200);
      assert.equal(await bodyText(response), c.text);
    });
  }
});
