import assert from "node:assert/strict";
import { createAliasHandler } from "../../../modules/alias/mod.ts";
import type { AliasRule } from "../../../server/config/mod.ts";
import { HttpError, type ServerResponse } from "../../../server/http/mod.ts";
import { createStaticFixture, testLogger } from "../static/_fixture.ts";
import { bodyText, headerOf, makeRequest } from "../static/_request.ts";
import { TRAVERSAL_CASES } from "../static/_traversal_cases.ts";

/** Status, Location and body of the answer; status 0: the handler declined (no alias matched). */
async function answer(
  handler: NonNullable<ReturnType<typeof createAliasHandler>>,
  target: string,
): Promise<{ status: number; location?: string; body: string }> {
  let response: ServerResponse | null;
  try {
    response = await handler(makeRequest(target));
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, body: "" };
  }
  if (response === null) return { status: 0, body: "" };
  const location = headerOf(response, "Location");
  return {
    status: response.status,
    ...(location !== undefined && { location }),
    body: response.status === 200 ? await bodyText(response) : "",
  };
}

Deno.test("createAliasHandler() serves URL paths from directories and files outside DocumentRoot", async (t) => {
  await using fx = await createStaticFixture();
  const aliases: AliasRule[] = [
    { kind: "script", match: "/cgi-bin/", target: `${fx.root}/sub` },
    { kind: "prefix", match: "/icons/", target: `${fx.root}/sub` },
    { kind: "prefix", match: "/files", target: `${fx.root}/noindex` },
    { kind: "prefix", match: "/favicon.ico", target: `${fx.root}/hello.txt` },
    { kind: "regex", match: "^/doc/(.*)$", target: `${fx.root}/sub/$1` },
  ];
  const handler = createAliasHandler(
    fx.host({ documentRoot: "/nonexistent", aliases, indexes: true }),
    { logger: testLogger(), revalidateMs: 0 },
  )!;
  const hello = await Deno.readTextFile(`${fx.root}/hello.txt`);
  const deeper = await Deno.readTextFile(`${fx.root}/sub/deeper/x.txt`);
  const CASES: [target: string, status: number, expect?: { location?: string; body?: string }][] = [
    ["/icons/deeper/x.txt", 200, { body: deeper }],
    ["/icons//deeper/x.txt", 200, { body: deeper }],
    // mod_dir inside an alias: the Location keeps the alias's URL path.
    ["/icons/deeper", 301, { location: "/icons/deeper/" }],
    ["/files", 301, { location: "/files/" }],
    ["/files?x=1", 301, { location: "/files/?x=1" }],
    ["/favicon.ico", 200, { body: hello }],
    ["/favicon.ico/more", 404],
    ["/doc/deeper/x.txt", 200, { body: deeper }],
    // The path rules hold under every alias: no climbing out, no .ht files.
    // Dot segments resolve before aliases match, as httpd's URL normalisation.
    ["/icons/../secret.txt", 0],
    ["/x/../icons/deeper/x.txt", 200, { body: deeper }],
    ["/icons/./deeper/x.txt", 200, { body: deeper }],
    ["/../icons/deeper/x.txt", 0],
    ["/icons/..%2f..%2fsecret.txt", 404],
    ["/doc/..%2f..%2fsecret.txt", 404],
    ["/doc/../../secret.txt", 400],
    ["/icons/.htaccess", 403],
    ["/cgi-bin/deeper/x.txt", 403],
    ["/iconsx/deeper/x.txt", 0],
    ["/hello.txt", 0],
  ];
  for (const [target, status, expect = {}] of CASES) {
    await t.step(`${target} → ${status}`, async () => {
      const got = await answer(handler, target);
      assert.equal(got.status, status);
      if (expect.location !== undefined) assert.equal(got.location, expect.location);
      if (expect.body !== undefined) assert.equal(got.body, expect.body);
      assert.ok(!got.body.includes(fx.secret));
    });
  }
  await t.step("a listing's title names the aliased URL path", async () => {
    const got = await answer(handler, "/files/");
    assert.equal(got.status, 200);
    assert.ok(got.body.includes("<title>Index of /files/</title>"), got.body);
  });
  await t.step("no traversal case reaches a file outside an alias's directory", async () => {
    for (const { path } of TRAVERSAL_CASES) {
      for (const prefix of ["/icons", "/doc"]) {
        const got = await answer(handler, prefix + path);
        assert.ok(!got.body.includes(fx.secret), `${prefix}${path} → ${got.status}`);
      }
    }
  });
  assert.equal(createAliasHandler(fx.host(), { logger: testLogger() }), null);
});
