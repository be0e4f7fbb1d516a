import assert from "node:assert/strict";
import { formatListingSize } from "../../../modules/static/_listing_size.ts";

// Up to 3.3M, the expected strings are what Apache 2.4.71's listing showed for these sizes.
const CASES: readonly { bytes: number | null; shown: string }[] = [
  { bytes: null, shown: "  - " },
  { bytes: 0, shown: "  0 " },
  { bytes: 16, shown: " 16 " },
  { bytes: 972, shown: "972 " },
  { bytes: 973, shown: "1.0K" },
  { bytes: 1500, shown: "1.5K" },
  { bytes: 9900, shown: "9.7K" },
  { bytes: 10_000, shown: "9.8K" },
  { bytes: 10_239, shown: " 10K" },
  { bytes: 12 * 1024 + 600, shown: " 13K" },
  { bytes: 972 * 1024, shown: "972K" },
  { bytes: 973 * 1024, shown: "1.0M" },
  { bytes: 3_500_000, shown: "3.3M" },
  { bytes: 5 * 2 ** 30, shown: "5.0G" },
  { bytes: 2 ** 40 * 300, shown: "300T" },
];

Deno.test("formatListingSize() writes httpd's four-character sizes", async (t) => {
  for (const c of CASES) {
    await t.step(`${c.bytes} → ${JSON.stringify(c.shown)}`, () => {
      assert.equal(formatListingSize(c.bytes), c.shown);
    });
  }
});
