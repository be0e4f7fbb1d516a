/**
 * The status report in mod_status's `?auto` form: httpd's field names, order and number
 * formats, so that scrapers written for httpd (apache_exporter, collectd, munin, Nagios
 * plugins) read mpmd unchanged. Pure.
 *
 * @module
 */

import type { StatusReport } from "./status_report.ts";

/**
 * Renders `?auto`. The first line is the host name the client asked for, as httpd writes
 * it. Lines httpd writes only under conditions are written under the same ones: CPULoad when
 * any CPU time was counted, BytesPerReq and DurationPerReq after the first request, the
 * process and async connection lines for event (an async MPM) only. After the Scoreboard line
 * come mpmd's own, as httpd's modules (mod_ssl) add theirs there: TLS handshakes and requests
 * by protocol, then one `BalancerMember:` line per balancer member (as this slot sees it).
 */
export function formatAuto(report: StatusReport, hostname: string): string {
  const { totals, cpu } = report;
  const lines: [string, string | number][] = [
    ["ServerVersion", report.server.version],
    ["ServerMPM", report.server.mpm],
    ["Server Built", report.server.built],
    ["CurrentTime", statusTime(report.currentTimeMs)],
    ["RestartTime", statusTime(report.restartTimeMs)],
    ["ParentServerConfigGeneration", report.generation],
    // httpd's MPM generation counts restarts from 0 where the config generation starts at 1.
    ["ParentServerMPMGeneration", report.restarts],
    ["ServerUptimeSeconds", report.uptimeSeconds],
    ["ServerUptime", uptimeText(report.uptimeSeconds)],
    ["Load1", report.loadAverage[0]?.toFixed(2) ?? "0.00"],
    ["Load5", report.loadAverage[1]?.toFixed(2) ?? "0.00"],
    ["Load15", report.loadAverage[2]?.toFixed(2) ?? "0.00"],
    ["Total Accesses", totals.accesses],
    ["Total kBytes", Math.floor(totals.bytes / 1024)],
    ["Total Duration", Math.round(totals.durationMs)],
  ];
  if (cpu !== null) {
    lines.push(
      ["CPUUser", formatG(cpu.user)],
      ["CPUSystem", formatG(cpu.system)],
      ["CPUChildrenUser", formatG(cpu.childrenUser)],
      ["CPUChildrenSystem", formatG(cpu.childrenSystem)],
    );
    if (cpu.user + cpu.system + cpu.childrenUser + cpu.childrenSystem > 0) {
      lines.push(["CPULoad", formatG(cpu.loadPercent)]);
    }
  }
  lines.push(
    ["Uptime", report.uptimeSeconds],
    ["ReqPerSec", formatG(totals.requestsPerSecond)],
    ["BytesPerSec", formatG(totals.bytesPerSecond)],
  );
  if (totals.accesses > 0) {
    lines.push(
      ["BytesPerReq", formatG(totals.bytesPerRequest)],
      ["DurationPerReq", formatG(totals.durationPerRequestMs)],
    );
  }
  lines.push(
    ["BusyWorkers", report.workers.busy],
    ["GracefulWorkers", report.workers.graceful],
    ["IdleWorkers", report.workers.idle],
  );
  if (report.server.mpm === "event") {
    // mpmd's event threads write and close their own connections: none is ever waiting
    // in the listener for write completion or a lingering close, so those counts are 0.
    lines.push(
      ["Processes", report.processCount],
      ["Stopping", report.stoppingCount],
      ["ConnsTotal", report.connections],
      ["ConnsAsyncWaitIO", 0],
      ["ConnsAsyncWriting", 0],
      ["ConnsAsyncKeepAlive", report.keepAliveConnections],
      ["ConnsAsyncClosing", 0],
    );
  }
  lines.push(["Scoreboard", report.scoreboard], ...connectionLines(report));
  // After httpd's own lines, as httpd's modules add theirs: one line per member.
  for (const balancer of report.balancers) {
    for (const m of balancer.members) {
      const check = m.lastCheck === null ? "-" : m.lastCheck.passed ? "passed" : "failed";
      lines.push([
        "BalancerMember",
        `balancer://${balancer.name} ${m.url} state=${m.condition} route=${
          m.route || "-"
        } loadfactor=${m.loadFactor} requests=${m.requests} errors=${m.errors} busy=${m.busy} bytes=${m.bytes} hcmethod=${m.checkMethod} lastcheck=${check}`,
      ]);
    }
  }
  return `${hostname}\n${lines.map(([name, value]) => `${name}: ${value}\n`).join("")}`;
}

/** mpmd's lines after the Scoreboard: TLS handshakes by outcome, requests by protocol. */
function connectionLines(report: StatusReport): [string, number][] {
  const { tls, requestsByProtocol } = report.totals;
  const failed = Object.values(tls.failures).reduce((sum, n) => sum + n, 0);
  return [
    ["TLSHandshakes", tls.handshakes],
    ["TLSHandshakeFailures", failed],
    ["TLSHandshakeFailuresVersion", tls.failures.version],
    ["TLSHandshakeFailuresNotTLS", tls.failures.not_tls],
    ["TLSHandshakeFailuresTimeout", tls.failures.timeout],
    ["TLSHandshakeFailuresOther", tls.failures.other],
    ["RequestsHTTP10", requestsByProtocol["HTTP/1.0"]],
    ["RequestsHTTP11", requestsByProtocol["HTTP/1.1"]],
    ["RequestsHTTP2", requestsByProtocol["HTTP/2"]],
  ];
}

/**
 * A number as C's `%g` prints it through APR (six significant digits, no trailing zeros)
 * and without the leading zero APR drops: `.1875`, `16`, `1.23457e+06`.
 */
export function formatG(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  let text: string;
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, power] = value.toExponential(5).split("e");
    const sign = power!.startsWith("-") ? "-" : "+";
    const digits = power!.replace(/^[+-]/, "").padStart(2, "0");
    text = `${trimZeros(mantissa!)}e${sign}${digits}`;
  } else {
    text = trimZeros(value.toFixed(Math.max(0, 5 - exponent)));
  }
  return text.replace(/^(-?)0\./, "$1.");
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

const WEEKDAY = new Intl.DateTimeFormat("en-US", { weekday: "long", timeZone: "UTC" });

/** httpd's status time: `Thursday, 26-Nov-2026 15:02:34 UTC`. */
export function statusTime(ms: number): string {
  const date = new Date(ms);
  // toUTCString(): "Thu, 26 Nov 2026 15:02:34 GMT".
  const [, day, month, year, time] = date.toUTCString().split(" ");
  return `${WEEKDAY.format(date)}, ${day}-${month}-${year} ${time} UTC`;
}

/** httpd's uptime text: `1 day 2 hours 5 seconds` (units that are 0 left out). */
export function uptimeText(seconds: number): string {
  const units: [number, string][] = [
    [Math.floor(seconds / 86_400), "day"],
    [Math.floor(seconds / 3_600) % 24, "hour"],
    [Math.floor(seconds / 60) % 60, "minute"],
    [seconds % 60, "second"],
  ];
  const parts = units.filter(([n]) => n > 0).map(([n, unit]) =>
    `${n} ${unit}${n === 1 ? "" : "s"}`
  );
  return parts.length === 0 ? "0 seconds" : parts.join(" ");
}
