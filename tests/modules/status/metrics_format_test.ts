import assert from "node:assert/strict";
import { parsePrometheusTextFormat } from "../../_dev_deps.ts";
import { formatMetrics, statusReport } from "../../../modules/status/mod.ts";
import { INPUT } from "./_report_fixture.ts";

interface Family {
  name: string;
  type: string;
  help: string;
  metrics: {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }[];
}

function families(text: string): Map<string, Family> {
  const parsed = parsePrometheusTextFormat(text) as Family[];
  return new Map(parsed.map((family) => [family.name, family]));
}

Deno.test("formatMetrics() is text exposition a Prometheus parser reads", () => {
  const parsed = families(formatMetrics(statusReport(INPUT)));
  const value = (name: string, labels: Record<string, string> = {}) =>
    Number(
      parsed.get(name)?.metrics.find((m) =>
        Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)
      )?.value,
    );
  assert.equal(parsed.get("mpmd_requests_total")?.type, "COUNTER");
  assert.equal(value("mpmd_requests_total"), 100);
  assert.equal(value("mpmd_sent_bytes_total"), 102_400);
  assert.equal(parsed.get("mpmd_responses_total")?.type, "COUNTER");
  assert.equal(value("mpmd_responses_total", { method: "GET", code: "2xx" }), 63);
  assert.equal(value("mpmd_responses_total", { method: "POST", code: "5xx" }), 5);
  assert.equal(parsed.get("mpmd_responses_total")?.metrics.length, 3, "only what was counted");
  assert.equal(value("mpmd_requests_by_protocol_total", { protocol: "HTTP/1.1" }), 45);
  assert.equal(value("mpmd_requests_by_protocol_total", { protocol: "HTTP/2" }), 20);
  assert.equal(value("mpmd_tls_handshakes_total"), 42);
  assert.equal(value("mpmd_tls_handshake_failures_total", { reason: "not_tls" }), 2);
  assert.equal(value("mpmd_tls_handshake_failures_total", { reason: "other" }), 1);
  assert.equal(value("mpmd_restarts_total"), 1);
  assert.equal(value("mpmd_child_crashes_total"), 1);
  assert.equal(value("mpmd_children_recycled_total"), 2);
  assert.equal(value("mpmd_thread_restarts_total"), 5);
  assert.equal(value("mpmd_generation"), 2);
  assert.equal(
    value("mpmd_info", {
      mpm: "event",
      version: "mpmd/0.1.0 (Deno 2.9.6)",
      deno: "2.9.6",
      v8: "14.7.173.20",
    }),
    1,
  );
  assert.equal(value("mpmd_slots", { state: "sending" }), 1);
  assert.equal(value("mpmd_slots", { state: "keepalive" }), 1);
  assert.equal(value("mpmd_slots", { state: "waiting" }), 2);
  assert.equal(value("mpmd_slots", { state: "graceful" }), 1);
  assert.equal(value("mpmd_slots", { state: "open" }), 7);
  assert.equal(value("mpmd_workers", { state: "busy" }), 3);
  assert.equal(value("mpmd_processes", { state: "stopping" }), 1);
  assert.equal(value("mpmd_connections", { state: "keepalive" }), 2);
  assert.equal(value("mpmd_cpu_seconds_total", { mode: "user" }), 8);
  assert.equal(value("mpmd_process_resident_bytes", { pid: "100" }), 64 * 2 ** 20);
  assert.equal(parsed.get("mpmd_process_resident_bytes")?.metrics.length, 1, "no row when unknown");
  // The process_ families client libraries export, for the whole tree.
  assert.equal(parsed.get("process_cpu_seconds_total")?.type, "COUNTER");
  const cpu = INPUT.cpu!;
  assert.equal(
    value("process_cpu_seconds_total"),
    cpu.user + cpu.system + cpu.childrenUser + cpu.childrenSystem,
  );
  assert.equal(value("process_resident_memory_bytes"), 64 * 2 ** 20);
  assert.equal(value("process_start_time_seconds"), statusReport(INPUT).startTimeMs / 1000);

  const histogram = parsed.get("mpmd_request_duration_seconds");
  assert.equal(histogram?.type, "HISTOGRAM");
  const [series] = histogram!.metrics;
  assert.deepEqual(series?.buckets, {
    "0.005": "89",
    "0.01": "99",
    "0.025": "99",
    "0.05": "99",
    "0.1": "99",
    "0.25": "100",
    "0.5": "100",
    "1": "100",
    "2.5": "100",
    "5": "100",
    "10": "100",
    "+Inf": "100",
  });
  assert.deepEqual([Number(series?.count), Number(series?.sum)], [100, 1]);
});

Deno.test("formatMetrics() escapes label values and leaves out CPU where unknown", () => {
  const report = statusReport({
    ...INPUT,
    cpu: null,
    server: { ...INPUT.server, version: 'a"b\\c\nd' },
  });
  const text = formatMetrics(report);
  assert.match(
    text,
    /mpmd_info\{version="a\\"b\\\\c\\nd",mpm="event",deno="2\.9\.6",v8="[^"]+"\} 1/,
  );
  assert.ok(!text.includes("mpmd_cpu_seconds_total"));
  assert.ok(!text.includes("process_cpu_seconds_total"));
  assert.equal(families(text).get("mpmd_info")?.metrics[0]?.labels?.version, 'a"b\\c\nd');
});
