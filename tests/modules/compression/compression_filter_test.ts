import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { withCompression } from "../../../modules/compression/mod.ts";
import { type CompressionConfig, DEFAULT_COMPRESSION } from "../../../server/config/mod.ts";
import {
  type FieldsResponse,
  type Handler,
  HttpError,
  type ServerResponse,
} from "../../../server/http/mod.ts";
import { eventually } from "../../_deadline.ts";
import { testLogger } from "../static/_fixture.ts";
import { makeRequest } from "../static/_request.ts";

const HOST: { compression: CompressionConfig } = {
  compression: {
    ...DEFAULT_COMPRESSION,
    byType: [{ filters: ["BROTLI_COMPRESS", "DEFLATE"], types: ["text/html"] }],
  },
};
const PAGE = new TextEncoder().encode("<p>a paragraph that compresses</p>\n".repeat(100));
const GZIP = { headers: { "accept-encoding": "gzip" } };

const filtered = (handler: Handler) => withCompression(handler, HOST, { logger: testLogger() });

Deno.test("withCompression() is the handler itself for a host without filters", () => {
  const handler: Handler = () => null;
  assert.equal(
    withCompression(handler, { compression: DEFAULT_COMPRESSION }, {
      logger: testLogger(),
    }),
    handler,
  );
});

Deno.test("withCompression(): a body held in memory with an ETag is compressed once per coding", async () => {
  const answer: FieldsResponse = {
    status: 200,
    headers: [["Content-Type", "text/html"], ["ETag", '"1-2"']],
    body: PAGE,
  };
  const handler = filtered(() => answer);
  const first = handler(makeRequest("/", GZIP));
  assert.ok(first instanceof Promise, "the first answer waits for the encoding");
  const made = (await first) as FieldsResponse;
  // Afterwards the same bytes, at once.
  const again = handler(makeRequest("/", GZIP)) as FieldsResponse;
  assert.ok(!(again instanceof Promise));
  assert.equal(again.body, made.body);
  assert.deepEqual(new Uint8Array(gunzipSync(made.body as Uint8Array)), PAGE);
  // Another coding is another encoding of the same bytes.
  const br =
    (await handler(makeRequest("/", { headers: { "accept-encoding": "br" } }))) as FieldsResponse;
  assert.deepEqual(new Uint8Array(brotliDecompressSync(br.body as Uint8Array)), PAGE);
});

Deno.test("withCompression(): a body without a validator is compressed for each answer", async () => {
  const handler = filtered(() => ({
    status: 200,
    headers: [["Content-Type", "text/html"]],
    body: PAGE,
  }));
  for (let i = 0; i < 2; i++) {
    const answer = handler(makeRequest("/", GZIP));
    assert.ok(answer instanceof Promise);
    const made = (await answer) as FieldsResponse;
    assert.deepEqual(new Uint8Array(gunzipSync(made.body as Uint8Array)), PAGE);
  }
});

Deno.test("withCompression(): failures and missing answers become their pages, compressed", async (t) => {
  const CASES: [string, Handler, number][] = [
    ["a thrown HttpError", () => {
      throw new HttpError(403, "Cannot serve /: forbidden");
    }, 403],
    ["no answer", () => null, 404],
  ];
  for (const [name, handler, status] of CASES) {
    await t.step(name, async () => {
      const answer = (await filtered(handler)(makeRequest("/", GZIP))) as FieldsResponse;
      assert.equal(answer.status, status);
      assert.ok(answer.headers.some(([n, v]) => n === "Content-Encoding" && v === "gzip"));
    });
  }
});

/**
 * An endless source of incompressible 64 KiB chunks that counts what it was asked for and
 * whether it was ended.
 */
function endlessSource() {
  const state = { pulled: 0, ended: false };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        state.pulled++;
        yield new Uint8Array(randomBytes(64 * 1024));
      }
    } finally {
      state.ended = true;
    }
  }
  return { state, body: chunks() };
}

Deno.test("withCompression(): a stream is encoded as it is read, never far ahead of the reader", async () => {
  const source = endlessSource();
  const answer = (await filtered(() => ({
    status: 200,
    headers: [["Content-Type", "text/html"]],
    body: source.body,
  }))(makeRequest("/", GZIP))) as ServerResponse;
  const output = (answer.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  let taken = 0;
  while (taken < 1024 * 1024) taken += (await output.next()).value!.length;
  // What zlib and the stream buffers hold: a handful of chunks beyond what was read, however
  // long the reader waits; not the endless source.
  const read = Math.ceil(taken / (64 * 1024));
  assert.ok(source.state.pulled <= read + 40, `pulled ${source.state.pulled} for ${read} read`);
  await output.return!(undefined);
  // The encoder's teardown reaches the source a few turns later.
  await eventually(() => source.state.ended, "the end of the source", 5_000);
});

Deno.test("withCompression(): a failing stream fails the encoded one", async () => {
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield PAGE;
    throw new Error("the backend went away");
  }
  const answer = (await filtered(() => ({
    status: 200,
    headers: [["Content-Type", "text/html"]],
    body: failing(),
  }))(makeRequest("/", GZIP))) as ServerResponse;
  await assert.rejects(async () => {
    for await (const _ of answer.body as AsyncIterable<Uint8Array>) {
      // Reading until it fails.
    }
  }, /the backend went away/);
});
