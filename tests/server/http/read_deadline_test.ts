import assert from "node:assert/strict";
import { readDeadline } from "../../../server/http/read_deadline.ts";

Deno.test("readDeadline()", async (t) => {
  const header = { initialMs: 20_000, maxMs: 40_000, minRateBytesPerSec: 500 };
  const cases = [
    { name: "starts at the initial time", bytes: 0, timeout: header, at: 20_000 },
    { name: "moves 1 s per MinRate bytes", bytes: 500, timeout: header, at: 21_000 },
    { name: "moves continuously", bytes: 250, timeout: header, at: 20_500 },
    { name: "stops at the ceiling", bytes: 1_000_000, timeout: header, at: 40_000 },
    {
      name: "has no extension without MinRate",
      bytes: 5000,
      timeout: { initialMs: 10_000, maxMs: 10_000, minRateBytesPerSec: 0 },
      at: 10_000,
    },
    {
      name: "has no ceiling for MinRate without a range",
      bytes: 500_000,
      timeout: { initialMs: 20_000, maxMs: Number.MAX_SAFE_INTEGER, minRateBytesPerSec: 500 },
      at: 1_020_000,
    },
    {
      name: "is disabled by 0",
      bytes: 0,
      timeout: { initialMs: 0, maxMs: 0, minRateBytesPerSec: 0 },
      at: Infinity,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.equal(readDeadline(1000, c.bytes, c.timeout), 1000 + c.at));
  }
});
