import assert from "node:assert/strict";
import { HeadScanner, maxHeadBytes } from "../../../server/http/head_scanner.ts";
import { HttpError } from "../../../server/http/mod.ts";

const LIMITS = { limitRequestLine: 30, limitRequestFieldSize: 20, limitRequestFields: 3 };
const encoder = new TextEncoder();

/** Feeds `text` in pieces of `step` bytes; returns the first non -1 result. */
function scanInPieces(text: string, step: number): number | HttpError {
  const bytes = encoder.encode(text);
  const scanner = new HeadScanner(LIMITS);
  for (let end = Math.min(step, bytes.length);; end = Math.min(end + step, bytes.length)) {
    const result = scanner.scan(bytes, 0, end);
    if (result !== -1 || end === bytes.length) return result;
  }
}

Deno.test("HeadScanner.scan()", async (t) => {
  const head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  const cases: Array<{ name: string; text: string; expect: number | "incomplete" | number[] }> = [
    { name: "finds the end of a head", text: `${head}NEXT`, expect: head.length },
    {
      name: "skips empty lines before the request line",
      text: `\r\n${head}`,
      expect: head.length + 2,
    },
    {
      name: "waits for the rest of a head",
      text: "GET / HTTP/1.1\r\nHost: a\r\n",
      expect: "incomplete",
    },
    { name: "refuses a bare LF (400)", text: "GET / HTTP/1.1\nHost: a\r\n\r\n", expect: [400] },
    {
      name: "refuses a long request line before its end arrives (414)",
      text: `GET /${"a".repeat(40)}`,
      expect: [414],
    },
    {
      name: "refuses a long complete request line (414)",
      text: `GET /${"a".repeat(30)} HTTP/1.1\r\n`,
      expect: [414],
    },
    {
      name: "refuses a long field before its end arrives (400)",
      text: `GET / HTTP/1.1\r\nX: ${"b".repeat(30)}`,
      expect: [400],
    },
    {
      name: "refuses too many fields (400)",
      text: "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n",
      expect: [400],
    },
    {
      name: "refuses a line begun after LimitRequestFields fields (400)",
      text: "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nXY",
      expect: [400],
    },
    {
      name: "refuses too many leading empty lines (400)",
      text: "\r\n\r\n\r\n\r\nGET",
      expect: [400],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      for (const step of [1, 3, 1000]) {
        const result = scanInPieces(c.text, step);
        if (c.expect === "incomplete") assert.equal(result, -1, `step ${step}`);
        else if (typeof c.expect === "number") assert.equal(result, c.expect, `step ${step}`);
        else {
          assert.ok(result instanceof HttpError, `step ${step}: expected an HttpError`);
          assert.equal(result.status, c.expect[0], `step ${step}`);
        }
      }
    });
  }
});

Deno.test("HeadScanner.scan() follows the head when the buffer moves", () => {
  const scanner = new HeadScanner(LIMITS);
  const first = encoder.encode("xxGET / HTTP/1.1\r\nHo");
  assert.equal(scanner.scan(first, 2, first.length), -1);
  const moved = encoder.encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  assert.equal(scanner.scan(moved, 0, moved.length), moved.length);
  scanner.reset();
  const next = encoder.encode("\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
  assert.equal(scanner.scan(next, 0, next.length), next.length, "the moved head is forgotten");
});

Deno.test("maxHeadBytes() holds every head the scanner lets through", async (t) => {
  const { limitRequestLine: line, limitRequestFieldSize: size, limitRequestFields: count } = LIMITS;
  const blanks = "\r\n".repeat(count);
  const requestLine = `GET /${"a".repeat(line - 15)} HTTP/1.1\r\n`;
  const fields = Array.from({ length: count }, (_, i) => `${i}: ${"b".repeat(size - 3)}\r\n`);
  await t.step("the longest head the limits allow fits", () => {
    const head = `${blanks}${requestLine}${fields.join("")}\r\n`;
    assert.equal(scanInPieces(head, 1000), head.length);
    assert.ok(head.length <= maxHeadBytes(LIMITS));
  });
  // The receive buffer stops growing at maxHeadBytes(): were it ever full of a head the scanner
  // still waits on, the next read would get no room and the connection would spin.
  const endless = [
    { name: "an endless request line", text: `${blanks}GET /${"a".repeat(500)}` },
    { name: "an endless field line", text: `${blanks}${requestLine}${"x".repeat(500)}` },
    {
      name: "an endless line after the last field",
      text: `${blanks}${requestLine}${fields.join("")}${"x".repeat(500)}`,
    },
  ];
  for (const c of endless) {
    await t.step(`${c.name} is refused before it fills the buffer`, () => {
      const bytes = encoder.encode(c.text);
      const scanner = new HeadScanner(LIMITS);
      let end = 1;
      for (; end <= bytes.length; end++) {
        if (scanner.scan(bytes, 0, end) !== -1) break;
      }
      assert.ok(end <= bytes.length, "never refused");
      assert.ok(end <= maxHeadBytes(LIMITS), `refused at ${end} > ${maxHeadBytes(LIMITS)} bytes`);
    });
  }
});
