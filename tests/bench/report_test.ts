import assert from "node:assert/strict";
import {
  type BenchReport,
  type ContenderOutcome,
  evaluateTargets,
  renderReport,
  type WrkResult,
} from "../../bench/mod.ts";

function wrk(requestsPerSec: number): WrkResult {
  return {
    requestsPerSec,
    requests: requestsPerSec * 5,
    durationSec: 5,
    non2xx: 0,
    socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 },
    errors: 0,
    latencyMs: { p50: 0.5, p75: 0.7, p90: 1, p99: 2.5 },
  };
}

function measured(
  name: string,
  role: "mpmd" | "peer",
  ka: number,
  close: number,
): ContenderOutcome {
  return {
    name,
    role,
    version: "1.0",
    kind: "measured",
    keepAlive: wrk(ka),
    close: wrk(close),
    ab: null,
    forcedKills: [],
  };
}

const MPMD = measured("mpmd -X", "mpmd", 90_000, 40_000);
const NGINX = measured("nginx", "peer", 100_000, 50_000);
const EVENT = measured("apache-event", "peer", 50_000, 20_000);

Deno.test("evaluateTargets()", async (t) => {
  await t.step("passes apache-event at 1.8x and misses nginx at 0.9x", () => {
    const [event, nginx] = evaluateTargets([MPMD, NGINX, EVENT]);
    assert.deepEqual(event, {
      peer: "apache-event",
      minRatio: 1.5,
      reference: "mpmd -X",
      ratio: 1.8,
      verdict: "PASS",
    });
    assert.equal(nginx?.verdict, "MISS");
    assert.equal(nginx?.ratio, 0.9);
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
    assert.equal(event?.ratio, 1.5);
  });
  await t.step("is n/a when the peer or mpmd was not measured", () => {
    const skipped: ContenderOutcome = {
      name: "nginx",
      role: "peer",
      version: "-",
      kind: "skipped",
      reason: "nginx not found",
    };
    assert.deepEqual(evaluateTargets([MPMD, skipped]).map((o) => o.verdict), ["n/a", "n/a"]);
    assert.deepEqual(evaluateTargets([NGINX, EVENT]).map((o) => o.verdict), ["n/a", "n/a"]);
  });
});

Deno.test("renderReport() prints ratios per server and the targets", () => {
  const outcomes = [MPMD, NGINX, EVENT];
  const report: BenchReport = {
    startedAt: "2026-01-01T00:00:00.000Z",
    elapsedSec: 42,
    machine: {
      cores: 2,
      cpuModel: "Test CPU",
      os: "linux",
      kernel: "6.0",
      deno: "2.9.6",
      loadAverage1m: 0.1,
    },
    settings: {
      path: "/1k.txt",
      fileBytes: 1024,
      durationSec: 5,
      warmupSec: 1,
      connections: 50,
      threads: 1,
      keepAliveRequests: 100,
      wrkVersion: "wrk 4.1.0",
      abVersion: null,
    },
    reference: "mpmd -X",
    outcomes,
    targets: evaluateTargets(outcomes),
  };
  const lines = renderReport(report);
  const row = (name: string) => lines.find((l) => l.startsWith(name))?.split(/\s{2,}/);
  assert.deepEqual(row("nginx")?.slice(0, 5), ["nginx", "100,000", "0.90x", "50,000", "0.80x"]);
  assert.deepEqual(row("apache-event")?.slice(0, 5), [
    "apache-event",
    "50,000",
    "1.80x",
    "20,000",
    "2.00x",
  ]);
  assert.ok(lines.includes("  mpmd -X keep-alive >= 1.5x apache-event: 1.80x PASS"));
  assert.ok(lines.includes("  mpmd -X keep-alive >= 1.0x nginx: 0.90x MISS"));
  assert.ok(lines.some((l) => l.includes("2 cores (Test CPU)")));
});
