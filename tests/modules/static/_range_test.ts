import assert from "node:assert/strict";
import { decideRanges, MAX_RANGES } from "../../../modules/static/_range.ts";

Deno.test("decideRanges()", async (t) => {
  const cases = [
    { field: "bytes=0-4", size: 10, expect: { kind: "partial", ranges: [{ start: 0, end: 4 }] } },
    { field: "bytes=5-", size: 10, expect: { kind: "partial", ranges: [{ start: 5, end: 9 }] } },
    { field: "bytes=-3", size: 10, expect: { kind: "partial", ranges: [{ start: 7, end: 9 }] } },
    { field: "bytes=-30", size: 10, expect: { kind: "partial", ranges: [{ start: 0, end: 9 }] } },
    { field: "bytes=8-20", size: 10, expect: { kind: "partial", ranges: [{ start: 8, end: 9 }] } },
    {
      field: "bytes=0-1, 4-5",
      size: 10,
      expect: { kind: "partial", ranges: [{ start: 0, end: 1 }, { start: 4, end: 5 }] },
    },
    {
      field: "bytes=0-1,2-3",
      size: 10,
      expect: { kind: "partial", ranges: [{ start: 0, end: 3 }] },
    },
    {
      field: "bytes=4-6,0-5",
      size: 10,
      expect: { kind: "partial", ranges: [{ start: 0, end: 6 }] },
    },
    {
      field: "bytes=6-7,0-1",
      size: 10,
      expect: { kind: "partial", ranges: [{ start: 6, end: 7 }, { start: 0, end: 1 }] },
    },
    { field: "bytes=10-", size: 10, expect: { kind: "unsatisfiable" } },
    { field: "bytes=-0", size: 10, expect: { kind: "unsatisfiable" } },
    { field: "bytes=0-", size: 0, expect: { kind: "unsatisfiable" } },
    { field: "bytes=5-4", size: 10, expect: { kind: "full" } },
    { field: "bytes=0-1,5-4", size: 10, expect: { kind: "full" } },
    { field: "bytes=,", size: 10, expect: { kind: "full" } },
    { field: "pages=1-2", size: 10, expect: { kind: "full" } },
    { field: "bytes=1", size: 10, expect: { kind: "full" } },
    { field: "bytes=+1-2", size: 10, expect: { kind: "full" } },
    { field: "bytes=0x1-2", size: 10, expect: { kind: "full" } },
    {
      field: `bytes=${Array(MAX_RANGES + 1).fill("0-0").join(",")}`,
      size: 10,
      expect: { kind: "full" },
    },
  ];
  for (const c of cases) {
    await t.step(`${c.field.slice(0, 30)} of ${c.size}`, () => {
      assert.deepEqual(decideRanges(c.field, c.size), c.expect);
    });
  }
});
