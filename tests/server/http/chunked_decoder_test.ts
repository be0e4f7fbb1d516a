import assert from "node:assert/strict";
import { ChunkedDecoder } from "../../../server/http/chunked_decoder.ts";
import { HttpError } from "../../../server/http/mod.ts";

const LIMITS = { limitRequestFieldSize: 64, limitRequestFields: 2 };
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Decodes `text` fed in pieces of `step` bytes; returns the data, trailers and leftover. */
function decodeAll(text: string, step: number) {
  const bytes = encoder.encode(text);
  const chunked = new ChunkedDecoder(LIMITS);
  let data = "";
  let p = 0;
  let available = 0;
  while (!chunked.done) {
    if (p === available) {
      if (available === bytes.length) throw new Error("incomplete");
      available = Math.min(available + step, bytes.length);
    }
    p = chunked.decode(bytes, p, available);
    data += decoder.decode(bytes.subarray(chunked.dataStart, chunked.dataEnd));
  }
  return { data, trailers: chunked.trailers, rest: decoder.decode(bytes.subarray(p)) };
}

Deno.test("ChunkedDecoder decodes", async (t) => {
  const cases = [
    { name: "one chunk", text: "5\r\nhello\r\n0\r\n\r\n", data: "hello" },
    { name: "several chunks", text: "3\r\nabc\r\n1\r\nd\r\n0\r\n\r\n", data: "abcd" },
    {
      name: "upper- and lower-case hex",
      text: "A\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n",
      data: "01234567890123456789",
    },
    { name: "leading zeros", text: "0003\r\nabc\r\n000\r\n\r\n", data: "abc" },
    { name: "chunk extensions", text: "3;name=value;x\r\nabc\r\n0;last\r\n\r\n", data: "abc" },
    { name: "whitespace before an extension", text: '3 ;x="q s"\r\nabc\r\n0\r\n\r\n', data: "abc" },
    { name: "an empty body", text: "0\r\n\r\n", data: "" },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      for (const step of [1, 2, 7, 1000]) {
        const result = decodeAll(`${c.text}NEXT`, step);
        assert.equal(result.data, c.data, `step ${step}`);
        assert.equal(result.rest, "NEXT", `step ${step}`);
      }
    });
  }
  await t.step("trailers, with the header rules", () => {
    for (const step of [1, 1000]) {
      const result = decodeAll("1\r\nx\r\n0\r\nDigest: abc\r\nX-Tag: 1\r\n\r\n", step);
      assert.equal(result.trailers.get("digest"), "abc");
      assert.equal(result.trailers.get("x-tag"), "1");
    }
  });
  await t.step("reports the announced size before the data arrives", () => {
    const chunked = new ChunkedDecoder(LIMITS);
    const bytes = encoder.encode("ff\r\nab");
    chunked.decode(bytes, 0, bytes.length);
    assert.equal(chunked.declaredBytes, 255);
  });
});

Deno.test("ChunkedDecoder refuses with 400", async (t) => {
  const cases = [
    { name: "a signed size", text: "+5\r\nhello\r\n0\r\n\r\n" },
    { name: "a negative size", text: "-5\r\nhello\r\n0\r\n\r\n" },
    { name: "a space before the size", text: " 5\r\nhello\r\n0\r\n\r\n" },
    { name: "whitespace after the size without an extension", text: "5 \r\nhello\r\n0\r\n\r\n" },
    { name: "a 0x prefix", text: "0x5\r\nhello\r\n0\r\n\r\n" },
    { name: "an empty size line", text: "\r\nhello\r\n0\r\n\r\n" },
    { name: "a size that overflows", text: "fffffffffffffffff\r\n" },
    { name: "a bare LF after the size", text: "5\nhello\r\n0\r\n\r\n" },
    { name: "a control byte in an extension", text: "5;a\x01\r\nhello\r\n0\r\n\r\n" },
    { name: "a bare LF in an extension", text: "5;a\nb\r\nhello\r\n0\r\n\r\n" },
    { name: "data longer than its size", text: "3\r\nhello\r\n0\r\n\r\n" },
    { name: "data without CRLF", text: "5\r\nhello0\r\n\r\n" },
    {
      name: "a size line over LimitRequestFieldSize",
      text: `5;${"x".repeat(70)}\r\nhello\r\n0\r\n\r\n`,
    },
    { name: "obs-fold in a trailer", text: "0\r\nA: 1\r\n 2\r\n\r\n" },
    { name: "a bare LF in the trailers", text: "0\r\nA: 1\n\r\n" },
    { name: "a trailer over LimitRequestFieldSize", text: `0\r\nA: ${"x".repeat(70)}\r\n\r\n` },
    { name: "more trailers than LimitRequestFields", text: "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n" },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      for (const step of [1, 1000]) {
        assert.throws(
          () => decodeAll(c.text, step),
          (error: unknown) => error instanceof HttpError && error.status === 400,
          `step ${step}`,
        );
      }
    });
  }
});
