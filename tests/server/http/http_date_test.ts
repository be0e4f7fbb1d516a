import assert from "node:assert/strict";
import { cachedHttpDate, formatHttpDate, parseHttpDate } from "../../../server/http/mod.ts";

const SAMPLE = Date.UTC(1994, 10, 6, 8, 49, 37);

Deno.test("formatHttpDate() writes IMF-fixdate", async (t) => {
  const cases = [
    { ms: SAMPLE, text: "Sun, 06 Nov 1994 08:49:37 GMT" },
    { ms: SAMPLE + 999, text: "Sun, 06 Nov 1994 08:49:37 GMT" },
    { ms: 0, text: "Thu, 01 Jan 1970 00:00:00 GMT" },
    { ms: Date.UTC(2024, 1, 29, 23, 59, 59), text: "Thu, 29 Feb 2024 23:59:59 GMT" },
  ];
  for (const c of cases) {
    await t.step(c.text, () => assert.equal(formatHttpDate(c.ms), c.text));
  }
});

Deno.test("cachedHttpDate() follows the second", () => {
  assert.equal(cachedHttpDate(SAMPLE), "Sun, 06 Nov 1994 08:49:37 GMT");
  assert.equal(cachedHttpDate(SAMPLE + 500), "Sun, 06 Nov 1994 08:49:37 GMT");
  assert.equal(cachedHttpDate(SAMPLE + 1000), "Sun, 06 Nov 1994 08:49:38 GMT");
});

Deno.test("parseHttpDate()", async (t) => {
  const now = Date.UTC(2025, 0, 1);
  const cases: Array<{ text: string; ms: number | null }> = [
    { text: "Sun, 06 Nov 1994 08:49:37 GMT", ms: SAMPLE },
    { text: "Sunday, 06-Nov-94 08:49:37 GMT", ms: SAMPLE },
    { text: "Sun Nov  6 08:49:37 1994", ms: SAMPLE },
    { text: "Sun Nov 16 08:49:37 1994", ms: SAMPLE + 10 * 86_400_000 },
    { text: "Mon, 06 Nov 1994 08:49:37 GMT", ms: SAMPLE }, // a wrong day name is ignored
    { text: "Thursday, 01-Jan-70 00:00:00 GMT", ms: Date.UTC(2070, 0, 1) },
    { text: "Sunday, 01-Jan-80 00:00:00 GMT", ms: Date.UTC(1980, 0, 1) },
    { text: "Sun, 06 Nov 1994 08:49:60 GMT", ms: SAMPLE + 22_000 }, // leap second: 08:49:59
    { text: "Sun, 06 Nov 1994 08:49:37 UTC", ms: null },
    { text: "Sun, 6 Nov 1994 08:49:37 GMT", ms: null },
    { text: "Sun, 31 Feb 1994 08:49:37 GMT", ms: null },
    { text: "Sun, 06 Nov 1994 24:00:00 GMT", ms: null },
    { text: "Sun, 06 Foo 1994 08:49:37 GMT", ms: null },
    { text: "1994-11-06T08:49:37Z", ms: null },
    { text: "", ms: null },
  ];
  for (const c of cases) {
    await t.step(
      c.text === "" ? "(empty)" : c.text,
      () => assert.equal(parseHttpDate(c.text, now), c.ms),
    );
  }
});
