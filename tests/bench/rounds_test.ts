import assert from "node:assert/strict";
import { combineRounds, type ContenderOutcome, medianRun } from "../../bench/mod.ts";
import { measured, wrk } from "./_outcomes.ts";

Deno.test("medianRun()", async (t) => {
  const CASES = [
    { name: "one run", rates: [7], want: 7 },
    { name: "the middle of three, whatever their order", rates: [9, 7, 8], want: 8 },
    { name: "the lower middle of an even count, a real run", rates: [10, 4, 6, 8], want: 6 },
    { name: "ties", rates: [5, 5, 9], want: 5 },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.equal(medianRun(c.rates, (rate) => rate), c.want);
    });
  }
  await t.step("no runs", () => {
    assert.throws(() => medianRun([], (rate: number) => rate), RangeError);
  });
});

Deno.test("combineRounds() takes each column's median run, whole", () => {
  const slowKeepAlive = wrk(9_000, 30);
  const medianKeepAlive = wrk(12_000, 12);
  const combined = combineRounds([
    measured("mpmd --mpm event", "mpmd", slowKeepAlive, 5_000, null, [3_000, 900]),
    measured("mpmd --mpm event", "mpmd", wrk(14_000, 9), 4_000, null, [2_000, 800]),
    measured("mpmd --mpm event", "mpmd", medianKeepAlive, 6_000, null, [2_500, 700]),
  ]);
  assert.equal(combined.kind, "measured");
  if (combined.kind !== "measured") return;
  // The median keep-alive run with its own latency: columns are not averaged.
  assert.deepEqual(combined.keepAlive, medianKeepAlive);
  assert.equal(combined.close.requestsPerSec, 5_000);
  assert.equal(combined.https?.keepAlive.requestsPerSec, 2_500);
  assert.equal(combined.https?.close.requestsPerSec, 800);
  assert.equal(combined.ab, null);
});

Deno.test("combineRounds() leaves out failed rounds; with none measured, the first says why", () => {
  const failed: ContenderOutcome = {
    name: "nginx",
    role: "peer",
    version: "1.22",
    kind: "failed",
    error: "did not start",
  };
  const combined = combineRounds([failed, measured("nginx", "peer", 20_000, 7_000)]);
  assert.equal(combined.kind === "measured" && combined.keepAlive.requestsPerSec, 20_000);
  assert.deepEqual(combineRounds([failed, { ...failed, error: "again" }]), failed);
});
