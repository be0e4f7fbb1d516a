import assert from "node:assert/strict";
import { createStaticHandler } from "../../../modules/static/mod.ts";
import { STREAM_CHUNK_BYTES } from "../../../modules/static/_file_body.ts";
import { createStaticFixture, testLogger } from "./_fixture.ts";
import { bodyBytes, bodyText, concatBytes, headerOf, serve } from "./_request.ts";
import type { ServerResponse } from "../../../server/http/mod.ts";

interface Part {
  readonly contentType: string | undefined;
  readonly contentRange: string | undefined;
  readonly bytes: Uint8Array;
}

// Reads a multipart/byteranges body back (RFC 9110 §14.6) without trusting our own writer.
async function parseMultipart(response: ServerResponse): Promise<Part[]> {
  const type = headerOf(response, "Content-Type") ?? "";
  const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(type)?.[1];
  assert.ok(boundary !== undefined, `not multipart: ${type}`);
  const bytes = await bodyBytes(response);
  const length = headerOf(response, "Content-Length");
  if (length !== undefined) assert.equal(Number(length), bytes.length);
  // One char per byte, so string offsets are byte offsets.
  const text = Array.from(bytes, (b) => String.fromCharCode(b)).join("");
  const parts: Part[] = [];
  let at = text.indexOf(`--${boundary}\r\n`);
  assert.equal(at, 0);
  for (;;) {
    const headEnd = text.indexOf("\r\n\r\n", at);
    const fields = new Map(
      text.slice(at, headEnd).split("\r\n").slice(1).map((line) => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
      }),
    );
    const next = text.indexOf(`\r\n--${boundary}`, headEnd + 4);
    assert.ok(next > 0, "unterminated part");
    parts.push({
      contentType: fields.get("content-type"),
      contentRange: fields.get("content-range"),
      bytes: bytes.subarray(headEnd + 4, next),
    });
    at = next + 2;
    if (text.startsWith(`--${boundary}--\r\n`, at)) {
      assert.equal(at + boundary.length + 6, text.length, "bytes after the closing delimiter");
      return parts;
    }
  }
}

Deno.test("createStaticHandler() answers single byte ranges", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  const cases = [
    { range: "bytes=0-4", text: "hello", contentRange: "bytes 0-4/12" },
    { range: "bytes=6-", text: "world\n", contentRange: "bytes 6-11/12" },
    { range: "bytes=-6", text: "world\n", contentRange: "bytes 6-11/12" },
    { range: "bytes=6-100", text: "world\n", contentRange: "bytes 6-11/12" },
    { range: "bytes=-100", text: "hello world\n", contentRange: "bytes 0-11/12" },
    { range: "bytes=11-11", text: "\n", contentRange: "bytes 11-11/12" },
    { range: "Bytes=0-0", text: "h", contentRange: "bytes 0-0/12" },
    { range: "bytes= 0-1 ,", text: "he", contentRange: "bytes 0-1/12" },
    { range: "bytes=0-5,3-8", text: "hello wor", contentRange: "bytes 0-8/12" },
    { range: "bytes=0-4,5-6", text: "hello w", contentRange: "bytes 0-6/12" },
    { range: "bytes=0-4,50-60", text: "hello", contentRange: "bytes 0-4/12" },
    { range: "bytes=99999999999999999999-,0-1", text: "he", contentRange: "bytes 0-1/12" },
  ];
  for (const c of cases) {
    await t.step(`${c.range} → 206 ${c.contentRange}`, async () => {
      const response = await serve(handler, "/hello.txt", { headers: { Range: c.range } });
      assert.equal(response.status, 206);
      assert.equal(headerOf(response, "Content-Range"), c.contentRange);
      assert.equal(headerOf(response, "Content-Type"), "text/plain");
      assert.match(headerOf(response, "ETag") ?? "", /^"c-[0-9a-f]+"$/);
      assert.equal(await bodyText(response), c.text);
    });
  }
});

Deno.test("createStaticHandler() answers 416 when no range is satisfiable", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  const cases = [
    { path: "/hello.txt", range: "bytes=12-", contentRange: "bytes */12" },
    { path: "/hello.txt", range: "bytes=100-200", contentRange: "bytes */12" },
    { path: "/hello.txt", range: "bytes=-0", contentRange: "bytes */12" },
    { path: "/hello.txt", range: "bytes=50-60,70-", contentRange: "bytes */12" },
    { path: "/empty.txt", range: "bytes=0-0", contentRange: "bytes */0" },
    { path: "/empty.txt", range: "bytes=-5", contentRange: "bytes */0" },
  ];
  for (const c of cases) {
    await t.step(`${c.path} ${c.range} → 416`, async () => {
      const response = await serve(handler, c.path, { headers: { Range: c.range } });
      assert.equal(response.status, 416);
      assert.equal(headerOf(response, "Content-Range"), c.contentRange);
      // The short page naming the status, never a part of the file.
      assert.match(await bodyText(response), /<title>416 Range Not Satisfiable<\/title>/);
      assert.equal(headerOf(response, "Content-Type"), "text/html; charset=utf-8");
    });
  }
});

Deno.test("createStaticHandler() ignores invalid, excessive or HEAD ranges", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  const many = Array.from({ length: 201 }, (_, i) => `${i * 4}-${i * 4}`).join(",");
  const overlapping = Array(22).fill("0-10").join(",");
  const reversed = Array.from({ length: 22 }, (_, i) => `${(30 - i) * 10}-${(30 - i) * 10}`).join(
    ",",
  );
  const cases = [
    { name: "last < first", range: "bytes=5-2" },
    { name: "not a number", range: "bytes=abc" },
    { name: "other unit", range: "items=0-1" },
    { name: "empty set", range: "bytes=" },
    { name: "no =", range: "bytes 0-1" },
    { name: "one bad member", range: "bytes=0-1,x" },
    { name: "double dash", range: "bytes=--1" },
    { name: "three numbers", range: "bytes=1-2-3" },
    { name: "negative first", range: "bytes=-1-2" },
    { name: "201 ranges (> MaxRanges 200)", range: `bytes=${many}` },
    { name: "22 overlapping ranges (> MaxRangeOverlaps 20)", range: `bytes=${overlapping}` },
    { name: "22 reversed ranges (> MaxRangeReversals 20)", range: `bytes=${reversed}` },
  ];
  for (const c of cases) {
    await t.step(`${c.name} → 200`, async () => {
      const response = await serve(handler, "/one-k.bin", { headers: { Range: c.range } });
      assert.equal(response.status, 200);
      assert.equal(headerOf(response, "Content-Range"), undefined);
      assert.deepEqual(await bodyBytes(response), fx.oneK);
    });
  }
  await t.step("HEAD with Range → 200", async () => {
    const response = await serve(handler, "/one-k.bin", {
      method: "HEAD",
      headers: { Range: "bytes=0-1" },
    });
    assert.equal(response.status, 200);
  });
  await t.step("exactly 200 separate ranges → 206 with 200 parts", async () => {
    const exact = Array.from({ length: 200 }, (_, i) => `${i * 4}-${i * 4}`).join(",");
    const response = await serve(handler, "/one-k.bin", { headers: { Range: `bytes=${exact}` } });
    assert.equal(response.status, 206);
    assert.equal((await parseMultipart(response)).length, 200);
  });
});

Deno.test("createStaticHandler() answers several ranges with multipart/byteranges", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger(), revalidateMs: 0 });
  const cases = [
    {
      path: "/one-k.bin",
      content: fx.oneK,
      range: "bytes=0-9,20-29,-5",
      parts: [[0, 9], [20, 29], [1019, 1023]],
    },
    { path: "/one-k.bin", content: fx.oneK, range: "bytes=500-,0-0", parts: [[500, 1023], [0, 0]] },
    {
      path: "/large.bin",
      content: fx.large,
      range: `bytes=0-0,${STREAM_CHUNK_BYTES - 3}-${STREAM_CHUNK_BYTES * 2 + 3},-70000`,
      parts: [[0, 0], [STREAM_CHUNK_BYTES - 3, STREAM_CHUNK_BYTES * 2 + 3], [
        fx.large.length - 70000,
        fx.large.length - 1,
      ]],
    },
  ];
  for (const c of cases) {
    await t.step(`${c.path} ${c.range.slice(0, 40)}`, async () => {
      const response = await serve(handler, c.path, { headers: { Range: c.range } });
      assert.equal(response.status, 206);
      assert.equal(headerOf(response, "Content-Range"), undefined);
      assert.ok(headerOf(response, "ETag"));
      const parts = await parseMultipart(response);
      assert.equal(parts.length, c.parts.length);
      parts.forEach((part, i) => {
        const [start = 0, end = 0] = c.parts[i] ?? [];
        assert.equal(part.contentType, "application/octet-stream");
        assert.equal(part.contentRange, `bytes ${start}-${end}/${c.content.length}`);
        assert.deepEqual(part.bytes, c.content.subarray(start, end + 1));
      });
    });
  }
});

Deno.test("createStaticHandler() streams a large file from disk", async (t) => {
  await using fx = await createStaticFixture();
  const handler = createStaticHandler(fx.host(), { logger: testLogger() });
  await t.step("whole file, byte for byte, in chunks of at most 64 KiB", async () => {
    const response = await serve(handler, "/large.bin");
    assert.equal(response.status, 200);
    assert.equal(headerOf(response, "Content-Length"), String(fx.large.length));
    assert.ok(response.body !== null && !(response.body instanceof Uint8Array));
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    assert.ok(chunks.every((c) => c.length <= STREAM_CHUNK_BYTES));
    assert.deepEqual(concatBytes(chunks), fx.large);
  });
  await t.step("a range in the middle", async () => {
    const start = 300_001;
    const end = 500_000;
    const response = await serve(handler, "/large.bin", {
      headers: { Range: `bytes=${start}-${end}` },
    });
    assert.equal(response.status, 206);
    assert.equal(headerOf(response, "Content-Range"), `bytes ${start}-${end}/${fx.large.length}`);
    assert.equal(headerOf(response, "Content-Length"), String(end - start + 1));
    assert.deepEqual(await bodyBytes(response), fx.large.subarray(start, end + 1));
  });
  await t.step("the last byte", async () => {
    const response = await serve(handler, "/large.bin", { headers: { Range: "bytes=-1" } });
    assert.deepEqual(await bodyBytes(response), fx.large.subarray(fx.large.length - 1));
  });
  await t.step("a file above a custom in-memory limit streams too", async () => {
    const small = createStaticHandler(fx.host(), { logger: testLogger(), maxCachedFileBytes: 100 });
    const response = await serve(small, "/one-k.bin");
    assert.ok(!(response.body instanceof Uint8Array));
    assert.deepEqual(await bodyBytes(response), fx.oneK);
  });
});

/** How many descriptors of this process are open on `path` (other tests run in parallel). */
async function openCount(path: string): Promise<number> {
  let n = 0;
  for await (const entry of Deno.readDir("/proc/self/fd")) {
    try {
      if (await Deno.readLink(`/proc/self/fd/${entry.name}`) === path) n++;
    } catch (error) {
      // The descriptor was closed between the listing and the look-up.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return n;
}

Deno.test({
  name: "createStaticHandler() closes a streamed file when the client goes away",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using fx = await createStaticFixture();
    const handler = createStaticHandler(fx.host(), { logger: testLogger() });
    const file = await Deno.realPath(`${fx.root}/large.bin`);
    const response = await serve(handler, "/large.bin");
    assert.equal(await openCount(file), 0, "opened before being read");
    assert.ok(response.body !== null && !(response.body instanceof Uint8Array));
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.deepEqual(first.value, fx.large.subarray(0, STREAM_CHUNK_BYTES));
    assert.equal(await openCount(file), 1);
    await iterator.return?.();
    assert.equal(await openCount(file), 0, "file left open after return()");
  },
});

Deno.test({
  name: "createStaticHandler() fails a stream whose file shrank",
  fn: async () => {
    await using fx = await createStaticFixture();
    const handler = createStaticHandler(fx.host(), { logger: testLogger() });
    const response = await serve(handler, "/large.bin");
    await Deno.truncate(`${fx.root}/large.bin`, 1000);
    await assert.rejects(() => bodyBytes(response), /Cannot stream .*shrank/);
  },
});
