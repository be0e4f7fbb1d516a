import assert from "node:assert/strict";
import { statusReport } from "../../../modules/status/mod.ts";
import { INPUT, SCOREBOARD } from "./_report_fixture.ts";

Deno.test("statusReport() counts slots as mod_status does", () => {
  const report = statusReport(INPUT);
  // W, K and the old generation's G are busy; only the running generation's _ is idle.
  assert.deepEqual(report.workers, { busy: 3, graceful: 1, idle: 1 });
  assert.equal(report.scoreboard, "WK_." + "...." + "G_..");
  assert.deepEqual([report.processCount, report.stoppingCount], [2, 1]);
  assert.deepEqual([report.connections, report.keepAliveConnections], [6, 2]);
  assert.deepEqual([report.generation, report.restarts, report.uptimeSeconds], [2, 1, 100]);
  assert.deepEqual([report.childCrashes, report.childrenRecycled, report.threadRestarts], [
    1,
    2,
    5,
  ]);
});

Deno.test("statusReport() totals live slots and the retired ledger", () => {
  const { totals } = statusReport(INPUT);
  assert.deepEqual(
    [totals.accesses, totals.bytes, totals.durationMs],
    [100, 102_400, 1_000],
  );
  assert.deepEqual(totals.durationBuckets, [89, 10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  // The live slot's and the ledger's, added up; only what was counted.
  assert.deepEqual(totals.responses, [
    { method: "GET", code: "2xx", count: 63 },
    { method: "HEAD", code: "3xx", count: 2 },
    { method: "POST", code: "5xx", count: 5 },
  ]);
  assert.deepEqual(totals.requestsByProtocol, { "HTTP/1.0": 5, "HTTP/1.1": 45, "HTTP/2": 20 });
  assert.deepEqual(totals.tls, {
    handshakes: 42,
    failures: { version: 1, not_tls: 2, timeout: 3, other: 1 },
  });
  assert.deepEqual(
    [
      totals.requestsPerSecond,
      totals.bytesPerSecond,
      totals.bytesPerRequest,
      totals.durationPerRequestMs,
    ],
    [1, 1024, 1024, 10],
  );
});

Deno.test("statusReport() rows: processes always, slots only with ExtendedStatus", () => {
  const report = statusReport(INPUT);
  assert.deepEqual(report.processes.map((p) => [p.index, p.pid, p.busy, p.idle, p.accepting]), [
    [0, 100, 2, 1, true],
    [2, 101, 1, 0, false],
  ]);
  assert.deepEqual(report.processes.map((p) => p.residentBytes), [64 * 2 ** 20, null]);
  assert.deepEqual(report.slots.map((s) => `${s.process}-${s.slot}${s.state}`), [
    "0-0W",
    "0-1K",
    "0-2_",
    "2-0G",
    "2-1_",
  ]);
  assert.equal(report.slots[0]!.secondsOnRequest, 2);
  const plain = statusReport({ ...INPUT, server: { ...INPUT.server, extendedStatus: false } });
  assert.deepEqual(plain.slots, []);
});

Deno.test("statusReport() before the first request and second: no division by zero", () => {
  const report = statusReport({
    ...INPUT,
    nowMs: SCOREBOARD.startTimeMs + 500,
    scoreboard: {
      ...SCOREBOARD,
      processes: [],
      ledger: { ...SCOREBOARD.ledger, retired: { ...SCOREBOARD.ledger.retired, accesses: 0 } },
    },
  });
  assert.equal(report.uptimeSeconds, 0);
  assert.deepEqual(
    [report.totals.requestsPerSecond, report.totals.bytesPerRequest, report.cpu?.loadPercent],
    [0, 0, 0],
  );
  assert.equal(report.scoreboard, ".".repeat(12));
});
