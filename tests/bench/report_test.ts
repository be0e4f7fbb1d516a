import assert from "node:assert/strict";
import { type BenchReport, evaluateTargets, renderReport } from "../../bench/mod.ts";
import { measured } from "./_outcomes.ts";

const MPMD = measured("mpmd -X", "mpmd", 90_000, 40_000);
const NGINX = measured("nginx", "peer", 100_000, 50_000);
const EVENT = measured("apache-event", "peer", 50_000, 20_000);

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
      mediaType: "text/plain",
      gzipLevel: null,
      durationSec: 5,
      warmupSec: 1,
      connections: 50,
      threads: 1,
      keepAliveRequests: 100,
      wrkVersion: "wrk 4.1.0",
      abVersion: null,
      slots: null,
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
