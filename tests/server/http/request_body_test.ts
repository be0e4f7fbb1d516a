import assert from "node:assert/strict";
import { type BodySource, ChunkedBody, LengthBody } from "../../../server/http/request_body.ts";
import { HttpError } from "../../../server/http/mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const LIMITS = { limitRequestBodyBytes: 0, limitRequestFieldSize: 100, limitRequestFields: 10 };

/** A source whose socket delivers `arrivals` one by one; records what was sent back. */
function source(buffered: string, arrivals: string[]): BodySource & { sent: string[] } {
  const buf = new Uint8Array(64);
  const initial = encoder.encode(buffered);
  buf.set(initial);
  const s: BodySource & { sent: string[] } = {
    buf,
    start: 0,
    end: initial.length,
    sent: [],
    fill() {
      const next = arrivals.shift();
      if (next === undefined) return Promise.resolve(false);
      if (s.start === s.end) s.start = s.end = 0;
      s.end += encoder.encodeInto(next, s.buf.subarray(s.end)).written;
      return Promise.resolve(true);
    },
    readInto(into) {
      const next = arrivals.shift();
      if (next === undefined) return Promise.resolve(null);
      return Promise.resolve(encoder.encodeInto(next, into).written);
    },
    sendContinue() {
      s.sent.push("100");
      return Promise.resolve();
    },
  };
  return s;
}

async function readText(body: { read(): Promise<Uint8Array | null> }): Promise<string[]> {
  const chunks: string[] = [];
  for (let c = await body.read(); c !== null; c = await body.read()) chunks.push(decoder.decode(c));
  return chunks;
}

Deno.test("LengthBody", async (t) => {
  await t.step("takes buffered bytes, then reads no further than its length", async () => {
    const s = source("hel", ["lo", "NEXT"]);
    const body = new LengthBody(s, { length: 5, limitBytes: 0, expectContinue: false });
    assert.deepEqual(await readText(body), ["hel", "lo"]);
    assert.equal(body.complete, true);
    assert.deepEqual(s.sent, []);
  });
  await t.step("leaves a pipelined request in the buffer", async () => {
    const s = source("abcGET", []);
    const body = new LengthBody(s, { length: 3, limitBytes: 0, expectContinue: false });
    assert.deepEqual(await readText(body), ["abc"]);
    assert.equal(decoder.decode(s.buf.subarray(s.start, s.end)), "GET");
  });
  await t.step("sends 100 Continue at the first read only", async () => {
    const s = source("", ["ab"]);
    const body = new LengthBody(s, { length: 2, limitBytes: 0, expectContinue: true });
    assert.equal(body.continueSent, false);
    await readText(body);
    assert.deepEqual(s.sent, ["100"]);
  });
  await t.step("refuses a length over LimitRequestBody with 413, before any 100", async () => {
    const s = source("", ["abcdef"]);
    const body = new LengthBody(s, { length: 6, limitBytes: 5, expectContinue: true });
    await assert.rejects(body.read(), (e: unknown) => e instanceof HttpError && e.status === 413);
    assert.deepEqual(s.sent, []);
    assert.equal(body.failed, true);
  });
  await t.step("400 when the client closes early", async () => {
    const body = new LengthBody(source("ab", []), {
      length: 5,
      limitBytes: 0,
      expectContinue: false,
    });
    await body.read();
    await assert.rejects(body.read(), (e: unknown) => e instanceof HttpError && e.status === 400);
  });
  await t.step(
    "reads one at a time: a read issued while one is pending waits its turn",
    async () => {
      // Issued together, both reads would size their socket read by the 5 bytes still expected,
      // and the second would take the next request's first bytes as body.
      const s = source("", ["hel", "loGET"]);
      const body = new LengthBody(s, { length: 5, limitBytes: 0, expectContinue: false });
      const [first, second] = await Promise.all([body.read(), body.read()]);
      assert.deepEqual([first, second].map((c) => decoder.decode(c!)), ["hel", "lo"]);
      assert.equal(body.complete, true);
    },
  );
  await t.step("drains up to a bound", async () => {
    const small = new LengthBody(source("abc", []), {
      length: 3,
      limitBytes: 0,
      expectContinue: false,
    });
    assert.equal(await small.drain(10), true);
    const large = new LengthBody(source("abc", []), {
      length: 30,
      limitBytes: 0,
      expectContinue: false,
    });
    assert.equal(await large.drain(10), false);
  });
});

Deno.test("ChunkedBody", async (t) => {
  await t.step("decodes chunks arriving in pieces, then the trailers", async () => {
    const s = source("3\r\nab", ["c\r\n2;x\r\nde\r\n0\r\nT: 1\r\n", "\r\nNEXT"]);
    const body = new ChunkedBody(s, { limits: LIMITS, expectContinue: false });
    assert.equal((await readText(body)).join(""), "abcde");
    assert.equal(body.trailers.get("t"), "1");
    assert.equal(decoder.decode(s.buf.subarray(s.start, s.end)), "NEXT");
  });
  await t.step("refuses a body growing over LimitRequestBody with 413", async () => {
    const s = source("4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n", []);
    const body = new ChunkedBody(s, {
      limits: { ...LIMITS, limitRequestBodyBytes: 6 },
      expectContinue: false,
    });
    await assert.rejects(
      readText(body),
      (e: unknown) => e instanceof HttpError && e.status === 413,
    );
  });
  await t.step("400 when the client closes before the last chunk", async () => {
    const body = new ChunkedBody(source("3\r\nabc\r\n", []), {
      limits: LIMITS,
      expectContinue: false,
    });
    await assert.rejects(
      readText(body),
      (e: unknown) => e instanceof HttpError && e.status === 400,
    );
  });
});
