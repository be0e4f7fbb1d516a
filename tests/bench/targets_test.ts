import assert from "node:assert/strict";
import {
  type ContenderOutcome,
  evaluateTargets,
  slotPairs,
  slotTargets,
  targetLine,
} from "../../bench/mod.ts";
import { slotContenders } from "../../bench/mod.ts";
import { measured, wrk } from "./_outcomes.ts";

const MPMD = measured("mpmd -X", "mpmd", 90_000, 40_000);
const NGINX = measured("nginx", "peer", 100_000, 50_000);
const EVENT = measured("apache-event", "peer", 50_000, 20_000);

Deno.test("evaluateTargets() on the default targets", async (t) => {
  await t.step("passes apache-event at 1.8x and misses nginx at 0.9x", () => {
    const [event, nginx, prefork] = evaluateTargets([MPMD, NGINX, EVENT]);
    assert.deepEqual(event, {
      kind: "throughput",
      mpmd: null,
      peer: "apache-event",
      load: "keep-alive",
      minRatio: 1.5,
      reference: "mpmd -X",
      value: 1.8,
      verdict: "PASS",
    });
    assert.equal(nginx?.verdict, "MISS");
    assert.equal(nginx?.value, 0.9);
    assert.equal(prefork?.verdict, "n/a", "no prefork runs measured");
  });
  await t.step("passes a target met exactly", () => {
    const [, nginx] = evaluateTargets([measured("mpmd -X", "mpmd", 100_000, 1), NGINX]);
    assert.equal(nginx?.verdict, "PASS");
  });
  await t.step("uses the first measured mpmd run as the reference", () => {
    const failed: ContenderOutcome = {
      name: "mpmd --mpm event",
      role: "mpmd",
      version: "1.0",
      kind: "failed",
      error: "Cannot start mpmd: exited",
    };
    const second = measured("mpmd -X", "mpmd", 75_000, 1);
    const [event] = evaluateTargets([failed, second, MPMD, EVENT]);
    assert.equal(event?.reference, "mpmd -X");
    assert.equal(event?.value, 1.5);
  });
  await t.step("holds a named mpmd run to its own peer", () => {
    const prefork = measured("mpmd --mpm prefork", "mpmd", 30_000, 9_000);
    const apache = measured("apache-prefork", "peer", 40_000, 10_000);
    const [, , target] = evaluateTargets([MPMD, prefork, apache]);
    assert.equal(target?.reference, "mpmd --mpm prefork");
    assert.equal(target?.value, 0.75);
    assert.equal(target?.verdict, "MISS");
  });
  await t.step("is n/a when the peer or mpmd was not measured", () => {
    const skipped: ContenderOutcome = {
      name: "nginx",
      role: "peer",
      version: "-",
      kind: "skipped",
      reason: "nginx not found",
    };
    const none = new Array(8).fill("n/a");
    assert.deepEqual(evaluateTargets([MPMD, skipped]).map((o) => o.verdict), none);
    assert.deepEqual(evaluateTargets([NGINX, EVENT]).map((o) => o.verdict), none);
  });
});

Deno.test("slotPairs() holds prefork to Apache's prefork and the threaded MPMs to its worker", () => {
  const contenders = slotContenders({
    mpmdEntry: "/mpmd/main.ts",
    mpmdVariants: [["--mpm", "prefork"], ["--mpm", "winnt"], ["-X"]],
  });
  assert.deepEqual(
    [...slotPairs(contenders)],
    [["mpmd --mpm prefork", "apache-prefork"], ["mpmd --mpm winnt", "apache-worker"]],
  );
});

Deno.test("evaluateTargets() on slotTargets()", async (t) => {
  const ab = (requestsPerSec: number, errors = 0) => ({
    requestsPerSec,
    completeRequests: requestsPerSec * 5,
    errors,
  });
  const apache = measured("apache-worker", "peer", wrk(20_000, 1), wrk(8_000, 2), ab(18_000));
  const targets = slotTargets(new Map([["mpmd --mpm worker", "apache-worker"]]));
  const CASES = [
    {
      name: "meets every goal at 0.9x throughput and 2x p99, no errors",
      mpmd: measured("mpmd --mpm worker", "mpmd", wrk(18_000, 2), wrk(7_200, 4), ab(16_200)),
      verdicts: ["PASS", "PASS", "PASS", "PASS", "PASS", "PASS"],
    },
    {
      name: "misses close throughput, the keep-alive tail and errors",
      mpmd: measured("mpmd --mpm worker", "mpmd", wrk(19_000, 3), wrk(7_000, 2, 4), ab(18_000, 1)),
      verdicts: ["PASS", "MISS", "PASS", "MISS", "PASS", "MISS"],
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const outcomes = evaluateTargets([c.mpmd, apache], targets);
      assert.deepEqual(outcomes.map((o) => o.verdict), c.verdicts);
    });
  }
  await t.step("prints each goal on its line", () => {
    const outcomes = evaluateTargets([CASES[1]!.mpmd, apache], targets);
    assert.deepEqual(outcomes.map(targetLine), [
      "  mpmd --mpm worker keep-alive >= 0.9x apache-worker: 0.95x PASS",
      "  mpmd --mpm worker close >= 0.9x apache-worker: 0.88x MISS",
      "  mpmd --mpm worker ab -k >= 0.9x apache-worker: 1.00x PASS",
      "  mpmd --mpm worker p99 keep-alive <= 2.0x apache-worker: 3.00x MISS",
      "  mpmd --mpm worker p99 close <= 2.0x apache-worker: 1.00x PASS",
      "  mpmd --mpm worker failed requests = 0: 5 MISS",
    ]);
  });
});

Deno.test("targetLine() writes each goal's ratio as the targets give it, never rounded", () => {
  const line = (minRatio: number) =>
    targetLine({
      kind: "throughput",
      mpmd: "mpmd --mpm event -D VHOSTS",
      peer: "mpmd --mpm event",
      load: "keep-alive",
      minRatio,
      reference: "mpmd --mpm event -D VHOSTS",
      value: 0.93,
      verdict: "MISS",
    });
  assert.equal(
    line(0.95),
    "  mpmd --mpm event -D VHOSTS keep-alive >= 0.95x mpmd --mpm event: 0.93x MISS",
  );
  assert.match(line(1), / >= 1\.0x /);
  assert.match(line(1.5), / >= 1\.5x /);
});

Deno.test("evaluateTargets() reads the https cases of mpmd under event against mod_ssl and nginx", () => {
  const event = measured("mpmd --mpm event", "mpmd", 50_000, 10_000, null, [20_000, 1_500]);
  const nginx = measured("nginx", "peer", 60_000, 20_000, null, [25_000, 3_000]);
  const apache = measured("apache-event", "peer", 30_000, 10_000, null, [15_000, 1_000]);
  const https = evaluateTargets([event, nginx, apache]).filter((o) =>
    o.kind === "throughput" && o.load.startsWith("https")
  );
  assert.deepEqual(
    https.map((
      o,
    ) => [
      o.kind === "throughput" && o.load,
      o.kind === "throughput" && o.peer,
      o.value,
      o.verdict,
    ]),
    [
      ["https keep-alive", "apache-event", 20_000 / 15_000, "PASS"],
      ["https keep-alive", "nginx", 0.8, "PASS"],
      ["https close", "apache-event", 1.5, "PASS"],
      ["https close", "nginx", 0.5, "MISS"],
    ],
  );
});
