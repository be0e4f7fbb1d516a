import assert from "node:assert/strict";
import {
  formatAuto,
  formatG,
  statusReport,
  statusTime,
  uptimeText,
} from "../../../modules/status/mod.ts";
import { AUTO_FIELDS, MPMD_AUTO_FIELDS } from "./_httpd_auto.ts";
import { INPUT } from "./_report_fixture.ts";

const MPMD_FIELDS = MPMD_AUTO_FIELDS.map(([name]) => name);
const HTTPD_EVENT_FIELDS = AUTO_FIELDS.map(([name]) => name);
const ASYNC_ONLY = HTTPD_EVENT_FIELDS.slice(HTTPD_EVENT_FIELDS.indexOf("Processes"), -1);

function fieldsOf(text: string): [string, string][] {
  return text.trimEnd().split("\n").slice(1).map((line) => {
    const colon = line.indexOf(": ");
    return [line.slice(0, colon), line.slice(colon + 2)];
  });
}

Deno.test("formatAuto() writes httpd's fields in httpd's order, then mpmd's", async (t) => {
  await t.step("event", () => {
    const text = formatAuto(statusReport(INPUT), "localhost");
    assert.equal(text.split("\n")[0], "localhost");
    assert.deepEqual(fieldsOf(text).map(([name]) => name), [
      ...HTTPD_EVENT_FIELDS,
      ...MPMD_FIELDS,
    ]);
    const values = new Map(fieldsOf(text));
    assert.equal(values.get("TLSHandshakes"), "42");
    assert.equal(values.get("TLSHandshakeFailures"), "7");
    assert.equal(values.get("RequestsHTTP2"), "20");
  });
  for (const mpm of ["prefork", "worker"] as const) {
    await t.step(`${mpm}: no process or async connection lines`, () => {
      const report = statusReport({ ...INPUT, server: { ...INPUT.server, mpm } });
      const names = fieldsOf(formatAuto(report, "h")).map(([name]) => name);
      assert.deepEqual(names, [
        ...HTTPD_EVENT_FIELDS.filter((name) => !ASYNC_ONLY.includes(name)),
        ...MPMD_FIELDS,
      ]);
    });
  }
  await t.step(
    "before the first request and without CPU time: httpd's conditional lines go",
    () => {
      const report = statusReport({
        ...INPUT,
        cpu: { user: 0, system: 0, childrenUser: 0, childrenSystem: 0 },
        scoreboard: {
          ...INPUT.scoreboard,
          processes: [],
          ledger: {
            ...INPUT.scoreboard.ledger,
            retired: { ...INPUT.scoreboard.ledger.retired, accesses: 0 },
          },
        },
      });
      const names = fieldsOf(formatAuto(report, "h")).map(([name]) => name);
      for (const gone of ["CPULoad", "BytesPerReq", "DurationPerReq"]) {
        assert.ok(
          !names.includes(gone),
        );
      }
      assert.ok(names.includes("CPUUser"));
    },
  );
  await t.step("no CPU fields where the OS does not tell", () => {
    const names = fieldsOf(formatAuto(statusReport({ ...INPUT, cpu: null }), "h")).map(([n]) => n);
    assert.ok(!names.some((name) => name.startsWith("CPU")));
  });
});

Deno.test("formatAuto() values", () => {
  const fields = new Map(fieldsOf(formatAuto(statusReport(INPUT), "h")));
  const want: Record<string, string> = {
    ServerVersion: "mpmd/0.1.0 (Deno 2.9.6)",
    ServerMPM: "event",
    "Server Built": "2026-11-12T08:58:41",
    CurrentTime: "Thursday, 26-Nov-2026 15:01:40 UTC",
    RestartTime: "Thursday, 26-Nov-2026 15:00:40 UTC",
    ParentServerConfigGeneration: "2",
    ParentServerMPMGeneration: "1",
    ServerUptimeSeconds: "100",
    ServerUptime: "1 minute 40 seconds",
    Load1: "0.50",
    Load5: "0.25",
    Load15: "0.13",
    "Total Accesses": "100",
    "Total kBytes": "100",
    "Total Duration": "1000",
    CPUUser: "8",
    CPUSystem: "2",
    CPULoad: "12",
    Uptime: "100",
    ReqPerSec: "1",
    BytesPerSec: "1024",
    BytesPerReq: "1024",
    DurationPerReq: "10",
    BusyWorkers: "3",
    GracefulWorkers: "1",
    IdleWorkers: "1",
    Processes: "2",
    Stopping: "1",
    ConnsTotal: "6",
    ConnsAsyncKeepAlive: "2",
    Scoreboard: "WK_.....G_..",
  };
  for (const [name, value] of Object.entries(want)) assert.equal(fields.get(name), value, name);
});

Deno.test("formatG() prints numbers as httpd's %g through APR", async (t) => {
  const CASES: [number, string][] = [
    [0, "0"],
    [16, "16"],
    [131584, "131584"],
    [0.1875, ".1875"],
    [0.0243902439, ".0243902"],
    [2.5, "2.5"],
    [1234567, "1.23457e+06"],
    [0.00001234, "1.234e-05"],
    [-0.5, "-.5"],
    [NaN, "0"],
  ];
  for (const [value, text] of CASES) {
    await t.step(`${value}`, () => assert.equal(formatG(value), text));
  }
});

Deno.test("uptimeText() and statusTime()", async (t) => {
  const CASES: [number, string][] = [
    [0, "0 seconds"],
    [1, "1 second"],
    [61, "1 minute 1 second"],
    [3600, "1 hour"],
    [2 * 86_400 + 3 * 3600 + 7, "2 days 3 hours 7 seconds"],
  ];
  for (const [seconds, text] of CASES) {
    await t.step(`${seconds} s`, () => assert.equal(uptimeText(seconds), text));
  }
  await t.step("statusTime", () => {
    assert.equal(statusTime(Date.UTC(2026, 0, 4, 5, 6, 7)), "Sunday, 04-Jan-2026 05:06:07 UTC");
  });
});
