/**
 * The status report as Prometheus metrics, in the text exposition format (version 0.0.4):
 * `mpmd_` gauges and counters, the request-duration histogram, and the `process_` families
 * client libraries export, for the server's whole process tree. Pure.
 *
 * @module
 */

import type { StatusReport } from "./status_report.ts";
import { SLOT_STATES, type SlotState } from "../../scoreboard/mod.ts";
import { MEMBER_CONDITIONS, type MemberSnapshot } from "../balancer/mod.ts";

/** The media type Prometheus asks for and scrapers expect from a text exposition. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Slot states by a label value a query can name (the letters are httpd's keys). */
export const SLOT_STATE_LABELS: Readonly<Record<SlotState, string>> = {
  _: "waiting",
  S: "starting",
  R: "reading",
  W: "sending",
  K: "keepalive",
  D: "dns_lookup",
  C: "closing",
  L: "logging",
  G: "graceful",
  I: "idle_cleanup",
  ".": "open",
};

type Labels = Readonly<Record<string, string>>;
type Sample = readonly [labels: Labels, value: number];

interface Family {
  readonly name: string;
  readonly type: "gauge" | "counter" | "histogram";
  readonly help: string;
  /** Samples; a histogram's carry their own suffixed names in `suffix`. */
  readonly samples: readonly (Sample | readonly [Labels, number, string])[];
}

/** Renders the report as a text exposition. */
export function formatMetrics(report: StatusReport): string {
  const { totals } = report;
  const counts = new Map<SlotState, number>();
  for (const state of report.scoreboard) {
    counts.set(state as SlotState, (counts.get(state as SlotState) ?? 0) + 1);
  }
  let cumulative = 0;
  const buckets = totals.durationBuckets.map((count, bucket) => {
    cumulative += count;
    const bound = report.durationBucketsMs[bucket];
    const le = bound === undefined ? "+Inf" : String(bound / 1000);
    return [{ le }, cumulative, "_bucket"] as const;
  });
  const families: Family[] = [
    gauge("mpmd_info", "The server's version, MPM and runtime (always 1)", [[{
      version: report.server.version,
      mpm: report.server.mpm,
      deno: report.server.deno,
      v8: report.server.v8,
    }, 1]]),
    gauge("mpmd_start_time_seconds", "When the parent started, seconds since the epoch", [[
      {},
      report.startTimeMs / 1000,
    ]]),
    gauge("mpmd_generation", "The generation the parent runs (one more per restart)", [[
      {},
      report.generation,
    ]]),
    counter("mpmd_restarts_total", "Graceful and full restarts", report.restarts),
    counter("mpmd_requests_total", "Requests served (httpd's Total Accesses)", totals.accesses),
    counter("mpmd_sent_bytes_total", "Response body bytes sent", totals.bytes),
    {
      name: "mpmd_responses_total",
      type: "counter",
      help: "Responses by request method (GET … OPTIONS, other) and status class",
      samples: totals.responses.map(({ method, code, count }) => [{ method, code }, count]),
    },
    {
      name: "mpmd_requests_by_protocol_total",
      type: "counter",
      help: "Requests by the protocol they came in (HTTP/1.0, HTTP/1.1, HTTP/2)",
      samples: Object.entries(totals.requestsByProtocol).map(([protocol, count]) => [
        { protocol },
        count,
      ]),
    },
    counter(
      "mpmd_tls_handshakes_total",
      "TLS handshakes completed on https listeners",
      totals.tls.handshakes,
    ),
    {
      name: "mpmd_tls_handshake_failures_total",
      type: "counter",
      help: "TLS handshakes that failed, by reason (version, not_tls, timeout, other)",
      samples: Object.entries(totals.tls.failures).map(([reason, count]) => [{ reason }, count]),
    },
    {
      name: "mpmd_request_duration_seconds",
      type: "histogram",
      help: "Time from a request's line to its response's end",
      samples: [
        ...buckets,
        [{}, totals.durationMs / 1000, "_sum"],
        [{}, totals.accesses, "_count"],
      ],
    },
    gauge(
      "mpmd_slots",
      "Scoreboard slots by state (httpd's keys: _ S R W K D C L G I .)",
      (Object.keys(SLOT_STATES) as SlotState[]).map((state) => [
        { state: SLOT_STATE_LABELS[state] },
        counts.get(state) ?? 0,
      ]),
    ),
    gauge("mpmd_workers", "Slots busy, gracefully finishing and idle (BusyWorkers, …)", [
      [{ state: "busy" }, report.workers.busy],
      [{ state: "graceful" }, report.workers.graceful],
      [{ state: "idle" }, report.workers.idle],
    ]),
    gauge("mpmd_processes", "Live processes, serving or stopping", [
      [{ state: "serving" }, report.processCount - report.stoppingCount],
      [{ state: "stopping" }, report.stoppingCount],
    ]),
    gauge("mpmd_connections", "Open connections, and those idle in keep-alive", [
      [{ state: "total" }, report.connections],
      [{ state: "keepalive" }, report.keepAliveConnections],
    ]),
    counter("mpmd_child_crashes_total", "Children that exited unasked", report.childCrashes),
    counter(
      "mpmd_children_recycled_total",
      "Children replaced by MaxConnectionsPerChild or MaxMemoryPerChild",
      report.childrenRecycled,
    ),
    counter(
      "mpmd_thread_restarts_total",
      "Worker threads that died and were started again",
      report.threadRestarts,
    ),
  ];
  families.push(...balancerFamilies(report));
  families.push(
    gauge("process_start_time_seconds", "When the server (its parent) started", [[
      {},
      report.startTimeMs / 1000,
    ]]),
  );
  const resident = report.processes.filter((row) => row.residentBytes !== null);
  if (resident.length > 0) {
    const sum = resident.reduce((total, row) => total + row.residentBytes!, 0);
    families.push(
      gauge(
        "mpmd_process_resident_bytes",
        "Resident memory of each live child process (MaxMemoryPerChild bounds it)",
        resident.map((row) => [{ pid: String(row.pid) }, row.residentBytes!]),
      ),
      gauge("process_resident_memory_bytes", "Resident memory of the live child processes", [[
        {},
        sum,
      ]]),
    );
  }
  if (report.cpu !== null) {
    const { cpu } = report;
    families.push(
      counter(
        "process_cpu_seconds_total",
        "User and system CPU seconds of the parent and of every child, live or reaped",
        cpu.user + cpu.system + cpu.childrenUser + cpu.childrenSystem,
      ),
    );
    families.push({
      name: "mpmd_cpu_seconds_total",
      type: "counter",
      help: "CPU seconds of the parent and live children, and of reaped children",
      samples: [
        [{ mode: "user" }, cpu.user],
        [{ mode: "system" }, cpu.system],
        [{ mode: "children_user" }, cpu.childrenUser],
        [{ mode: "children_system" }, cpu.childrenSystem],
      ],
    });
  }
  return families.map(renderFamily).join("");
}

/**
 * Per balancer member: its state (one series per condition, 1 for the one it is in), counts
 * and last health check — as the slot serving the scrape sees them.
 */
function balancerFamilies(report: StatusReport): Family[] {
  const members = report.balancers.flatMap((b) =>
    b.members.map((m) => [{ balancer: b.name, member: m.url }, m] as const)
  );
  if (members.length === 0) return [];
  const each = (pick: (m: MemberSnapshot) => number) =>
    members.map(([labels, m]) => [labels, pick(m)] as const);
  const checked = members.filter(([, m]) => m.lastCheck !== null);
  const note = " (this slot's view)";
  return [
    gauge(
      "mpmd_balancer_member_state",
      `Each member's state, 1 for the one it is in${note}`,
      members.flatMap(([labels, m]) =>
        MEMBER_CONDITIONS.map((state) => [{ ...labels, state }, m.condition === state ? 1 : 0])
      ),
    ),
    counters(
      "mpmd_balancer_member_requests_total",
      `Requests sent to each member${note}`,
      each((m) => m.requests),
    ),
    counters(
      "mpmd_balancer_member_errors_total",
      `Requests to each member that failed${note}`,
      each((m) => m.errors),
    ),
    gauge(
      "mpmd_balancer_member_busy",
      `Requests in progress at each member${note}`,
      each((m) => m.busy),
    ),
    counters(
      "mpmd_balancer_member_bytes_total",
      `Bytes moved to and from each member${note}`,
      each((m) => m.bytes),
    ),
    gauge(
      "mpmd_balancer_member_last_check_seconds",
      `When each checked member's last health check ended, seconds since the epoch${note}`,
      checked.map(([labels, m]) => [labels, m.lastCheck!.at / 1000]),
    ),
    gauge(
      "mpmd_balancer_member_last_check_passed",
      `Whether each checked member's last health check passed (1) or failed (0)${note}`,
      checked.map(([labels, m]) => [labels, m.lastCheck!.passed ? 1 : 0]),
    ),
  ];
}

function counters(name: string, help: string, samples: readonly Sample[]): Family {
  return { name, type: "counter", help, samples };
}

function gauge(name: string, help: string, samples: readonly Sample[]): Family {
  return { name, type: "gauge", help, samples };
}

function counter(name: string, help: string, value: number): Family {
  return { name, type: "counter", help, samples: [[{}, value]] };
}

function renderFamily(family: Family): string {
  let text = `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}\n`;
  for (const [labels, value, suffix = ""] of family.samples) {
    const pairs = Object.entries(labels).map(([key, v]) => `${key}="${escapeLabel(v)}"`);
    const labelText = pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
    text += `${family.name}${suffix}${labelText} ${formatValue(value)}\n`;
  }
  return text;
}

// The exposition format escapes a backslash, a double quote and a line feed in label values.
function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  return String(value);
}
