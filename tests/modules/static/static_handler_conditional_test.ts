import assert from "node:assert/strict";
import { createStaticHandler } from "../../../modules/static/mod.ts";
import { createStaticFixture, testLogger } from "./_fixture.ts";
import { bodyText, headerOf, serve } from "./_request.ts";
import { formatHttpDate } from "../../../server/http/mod.ts";

// Thu, 02 Jan 2020 03:04:05.678 UTC: Last-Modified drops the milliseconds, the ETag keeps them.
const MTIME_MS = Date.UTC(2020, 0, 2, 3, 4, 5, 678);
const LAST_MODIFIED = "Thu, 02 Jan 2020 03:04:05 GMT";
const ETAG = `"c-${(MTIME_MS * 1000).toString(16)}"`;
const EARLIER = "Wed, 02 Jan 2019 03:04:05 GMT";
const LATER = "Sat, 02 Jan 2021 03:04:05 GMT";
const FUTURE = formatHttpDate(Date.now() + 86_400_000);

async function setup() {
  const fx = await createStaticFixture();
  await Deno.utime(`${fx.root}/hello.txt`, MTIME_MS / 1000, MTIME_MS / 1000);
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  return { fx, handler };
}

Deno.test("createStaticHandler() sends httpd-style validators", async () => {
  const { fx, handler } = await setup();
  await using _ = fx;
  const response = await serve(handler, "/hello.txt");
  assert.equal(headerOf(response, "ETag"), ETAG);
  assert.equal(headerOf(response, "Last-Modified"), LAST_MODIFIED);
  assert.equal(headerOf(response, "Accept-Ranges"), "bytes");
  assert.equal(headerOf(response, "Vary"), undefined);
});

Deno.test("createStaticHandler() evaluates preconditions in RFC 9110 §13.2.2 order", async (t) => {
  const { fx, handler } = await setup();
  await using _ = fx;
  const cases: {
    name: string;
    headers: Record<string, string>;
    status: number;
    method?: string;
  }[] = [
    { name: "If-None-Match equal → 304", headers: { "If-None-Match": ETAG }, status: 304 },
    {
      name: "If-None-Match weak form matches weakly → 304",
      headers: { "If-None-Match": `W/${ETAG}` },
      status: 304,
    },
    {
      name: "If-None-Match in a list → 304",
      headers: { "If-None-Match": `"x", ${ETAG}` },
      status: 304,
    },
    { name: "If-None-Match * → 304", headers: { "If-None-Match": "*" }, status: 304 },
    { name: "If-None-Match other → 200", headers: { "If-None-Match": '"other"' }, status: 200 },
    {
      name: "If-None-Match with a comma inside a tag → 200",
      headers: { "If-None-Match": '"c,x"' },
      status: 200,
    },
    {
      name: "If-None-Match on HEAD → 304",
      headers: { "If-None-Match": ETAG },
      status: 304,
      method: "HEAD",
    },
    { name: "If-Match equal → 200", headers: { "If-Match": ETAG }, status: 200 },
    { name: "If-Match * → 200", headers: { "If-Match": "*" }, status: 200 },
    { name: "If-Match other → 412", headers: { "If-Match": '"other"' }, status: 412 },
    {
      name: "If-Match weak → 412 (strong comparison)",
      headers: { "If-Match": `W/${ETAG}` },
      status: 412,
    },
    { name: "If-Match malformed → 412", headers: { "If-Match": "nonsense" }, status: 412 },
    {
      name: "If-Unmodified-Since equal → 200",
      headers: { "If-Unmodified-Since": LAST_MODIFIED },
      status: 200,
    },
    {
      name: "If-Unmodified-Since later → 200",
      headers: { "If-Unmodified-Since": LATER },
      status: 200,
    },
    {
      name: "If-Unmodified-Since earlier → 412",
      headers: { "If-Unmodified-Since": EARLIER },
      status: 412,
    },
    {
      name: "If-Unmodified-Since invalid → ignored",
      headers: { "If-Unmodified-Since": "yesterday" },
      status: 200,
    },
    {
      name: "If-Modified-Since equal → 304",
      headers: { "If-Modified-Since": LAST_MODIFIED },
      status: 304,
    },
    { name: "If-Modified-Since later → 304", headers: { "If-Modified-Since": LATER }, status: 304 },
    {
      name: "If-Modified-Since in RFC 850 form → 304",
      headers: { "If-Modified-Since": "Thursday, 02-Jan-20 03:04:05 GMT" },
      status: 304,
    },
    {
      name: "If-Modified-Since in asctime form → 304",
      headers: { "If-Modified-Since": "Thu Jan  2 03:04:05 2020" },
      status: 304,
    },
    {
      name: "If-Modified-Since on HEAD → 304",
      headers: { "If-Modified-Since": LATER },
      status: 304,
      method: "HEAD",
    },
    {
      name: "If-Modified-Since earlier → 200",
      headers: { "If-Modified-Since": EARLIER },
      status: 200,
    },
    {
      name: "If-Modified-Since invalid → ignored",
      headers: { "If-Modified-Since": "2020-01-02" },
      status: 200,
    },
    {
      name: "If-Modified-Since in the future → ignored",
      headers: { "If-Modified-Since": FUTURE },
      status: 200,
    },
    {
      name: "If-Match fails though If-None-Match would match → 412",
      headers: { "If-Match": '"other"', "If-None-Match": ETAG },
      status: 412,
    },
    {
      name: "If-Match passes, If-None-Match matches → 304",
      headers: { "If-Match": ETAG, "If-None-Match": ETAG },
      status: 304,
    },
    {
      name: "If-Match present → If-Unmodified-Since ignored",
      headers: { "If-Match": ETAG, "If-Unmodified-Since": EARLIER },
      status: 200,
    },
    {
      name: "If-Unmodified-Since fails before If-None-Match → 412",
      headers: { "If-Unmodified-Since": EARLIER, "If-None-Match": ETAG },
      status: 412,
    },
    {
      name: "If-None-Match present → If-Modified-Since ignored (200)",
      headers: { "If-None-Match": '"other"', "If-Modified-Since": LATER },
      status: 200,
    },
    {
      name: "If-None-Match present → If-Modified-Since ignored (304)",
      headers: { "If-None-Match": ETAG, "If-Modified-Since": EARLIER },
      status: 304,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const response = await serve(handler, "/hello.txt", {
        headers: c.headers,
        method: c.method ?? "GET",
      });
      assert.equal(response.status, c.status);
      if (c.status === 304) {
        assert.equal(response.body, null);
        assert.deepEqual(response.headers, [["ETag", ETAG], ["Last-Modified", LAST_MODIFIED]]);
      }
      if (c.status === 200) assert.equal(await bodyText(response), "hello world\n");
    });
  }
});

Deno.test("createStaticHandler() sends Vary on a 304 for a file with siblings", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  const identity = await serve(handler, "/style.css");
  const br = await serve(handler, "/style.css", { headers: { "Accept-Encoding": "br" } });
  const identityTag = headerOf(identity, "ETag") ?? "";
  const brTag = headerOf(br, "ETag") ?? "";
  await t.step("the br ETag is its own", () => {
    assert.match(brTag, /^"[0-9a-f]+-[0-9a-f]+-br"$/);
    assert.notEqual(brTag, identityTag);
  });
  const cases = [
    { encoding: "br", tag: brTag, status: 304 },
    { encoding: "br", tag: identityTag, status: 200 },
    { encoding: "identity", tag: identityTag, status: 304 },
  ];
  for (const c of cases) {
    await t.step(
      `Accept-Encoding ${c.encoding}, If-None-Match ${c.tag} → ${c.status}`,
      async () => {
        const response = await serve(handler, "/style.css", {
          headers: { "Accept-Encoding": c.encoding, "If-None-Match": c.tag },
        });
        assert.equal(response.status, c.status);
        assert.equal(headerOf(response, "Vary"), "Accept-Encoding");
        if (c.status === 304) assert.equal(headerOf(response, "ETag"), c.tag);
      },
    );
  }
});

Deno.test("createStaticHandler() honours If-Range", async (t) => {
  const { fx, handler } = await setup();
  await using _ = fx;
  const cases = [
    { name: "matching ETag → 206", ifRange: ETAG, status: 206 },
    { name: "matching date → 206", ifRange: LAST_MODIFIED, status: 206 },
    { name: "other ETag → 200", ifRange: '"other"', status: 200 },
    { name: "weak ETag → 200", ifRange: `W/${ETAG}`, status: 200 },
    { name: "other date → 200", ifRange: LATER, status: 200 },
    { name: "garbage → 200", ifRange: "whatever", status: 200 },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const response = await serve(handler, "/hello.txt", {
        headers: { Range: "bytes=0-4", "If-Range": c.ifRange },
      });
      assert.equal(response.status, c.status);
      assert.equal(await bodyText(response), c.status === 206 ? "hello" : "hello world\n");
    });
  }
  await t.step("If-Range without Range → 200", async () => {
    const response = await serve(handler, "/hello.txt", { headers: { "If-Range": ETAG } });
    assert.equal(response.status, 200);
  });
});
