import assert from "node:assert/strict";
import { type BenchReport, evaluateTargets, renderReport } from "../../bench/mod.ts";
import { measured } from "./_outcomes.ts";

const MPMD = measured("mpmd -X", "mpmd", 90_000, 40_000);
const NGINX = measured("nginx", "peer", 100_000, 50_000);
const EVENT = measured("apache-event", "peer", 50_000, 20_000);

/** A report of `outcomes`, `reference` the mpmd run the ratios divide by. */
function reportOf(outcomes: BenchReport["outcomes"], reference: string): BenchReport {
  return {
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
      rounds: 1,
      wrkVersion: "wrk 4.1.0",
      abVersion: null,
      slots: null,
    },
    reference,
    outcomes,
    targets: evaluateTargets(outcomes),
  };
}

Deno.test("renderReport() prints ratios per server and the targets", () => {
  const lines = renderReport(reportOf([MPMD, NGINX, EVENT], "mpmd -X"));
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

Deno.test("renderReport() prints the https cases in their own table, with ratios", () => {
  const event = measured("mpmd --mpm event", "mpmd", 50_000, 10_000, null, [20_000, 1_500]);
  const nginx = measured("nginx", "peer", 60_000, 20_000, null, [25_000, 3_000]);
  const lines = renderReport(reportOf([event, nginx, EVENT], "mpmd --mpm event"));
  const table = lines.slice(lines.findIndex((l) => l.startsWith("https (")));
  const row = (name: string) => table.find((l) => l.startsWith(name))?.split(/\s{2,}/);
  assert.deepEqual(row("nginx")?.slice(0, 5), ["nginx", "25,000", "0.80x", "3,000", "0.50x"]);
  assert.equal(row("apache-event"), undefined, "a server measured without https has no row");
  assert.ok(lines.includes("  mpmd --mpm event https close >= 0.8x nginx: 0.50x MISS"));
});
