/**
 * The server-status handler (httpd's mod_status): the page at the Status Location in four
 * forms — HTML, `?auto`, `?json` — and the Prometheus metrics at its own Location, for the
 * clients the allow-list names. Every answer is read from the cross-process scoreboard at
 * the time of the request, so whichever slot serves it shows every process.
 *
 * @module
 */

import {
  type Handler,
  HttpError,
  methodRefusal,
  type ServerRequest,
  type ServerResponse,
} from "../../server/http/mod.ts";
import type { ScoreboardDetail } from "../../scoreboard/mod.ts";
import type { BalancerSnapshot } from "../balancer/mod.ts";
import { formatAuto } from "./auto_format.ts";
import { renderStatusPage } from "./html_page.ts";
import { formatMetrics, METRICS_CONTENT_TYPE } from "./metrics_format.ts";
import {
  type CpuSeconds,
  type ServerFacts,
  type StatusReport,
  statusReport,
} from "./status_report.ts";
import { isUnderLocation } from "../_location.ts";
import {
  type AddressRange,
  isAddressAllowed,
  parseAddressRange,
  type StatusConfig,
} from "../../server/config/mod.ts";
import { readProcessCpu, readResidentBytes } from "../../platform/mod.ts";

/** What the status module reads besides its configuration. */
export interface StatusContext {
  /** What the server says about itself. */
  readonly server: ServerFacts;
  /** Reads the whole scoreboard now. */
  readonly readScoreboard: () => Promise<ScoreboardDetail>;
  /** The slot's balancers and their members now. */
  readonly balancers: () => readonly BalancerSnapshot[];
}

/** The longest `?refresh=N` honoured: a page that reloads less often than hourly is a typo. */
const MAX_REFRESH_SECONDS = 3600;

const encoder = new TextEncoder();

/**
 * Builds the handler: requests for the status Location or the metrics Location from an
 * allowed client get their answer, from another client a 403; other paths fall through.
 */
export function createStatusHandler(status: StatusConfig, context: StatusContext): Handler {
  const allowed = status.allow.map((text) => parseAddressRange(text) as AddressRange);
  const { location, metricsLocation } = status;
  return (request) => {
    const onPage = isUnderLocation(request.path, location);
    const onMetrics = metricsLocation !== null && isUnderLocation(request.path, metricsLocation);
    if (!onPage && !onMetrics) return null;
    if (!isAddressAllowed(request.remote.hostname, allowed)) {
      throw new HttpError(403, `client ${request.remote.hostname} is not in the Status Allow list`);
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      throw methodRefusal(request.method, "GET, HEAD", "the status page");
    }
    // The more specific Location wins when one lies under the other (a status page on /).
    const metrics = onMetrics && (!onPage || metricsLocation.length > location.length);
    return metrics
      ? answer(request, context, (report) => [METRICS_CONTENT_TYPE, formatMetrics(report)])
      : answer(request, context, (report) => pageForm(request, report, status));
  };
}

async function answer(
  request: ServerRequest,
  context: StatusContext,
  render: (report: StatusReport) => readonly [contentType: string, text: string],
): Promise<ServerResponse> {
  const scoreboard = await context.readScoreboard();
  const report = statusReport({
    scoreboard,
    server: context.server,
    nowMs: Date.now(),
    loadAverage: Deno.loadavg(),
    cpu: await cpuOf(scoreboard),
    residentBytes: await residentBytesOf(scoreboard),
    balancers: context.balancers(),
  });
  const [contentType, text] = render(report);
  return {
    status: 200,
    headers: [["Content-Type", contentType], ["Cache-Control", "no-store"]],
    body: request.method === "HEAD" ? null : encoder.encode(text),
  };
}

function pageForm(
  request: ServerRequest,
  report: StatusReport,
  status: StatusConfig,
): readonly [string, string] {
  // httpd looks for its option words anywhere in the query; so does this.
  const query = new URLSearchParams(request.query);
  const hostname = hostOnly(request.host);
  if (query.has("auto")) return ["text/plain; charset=utf-8", formatAuto(report, hostname)];
  if (query.has("json")) {
    return ["application/json", `${JSON.stringify(report, null, 2)}\n`];
  }
  const refresh = Number(query.get("refresh") ?? NaN);
  return [
    "text/html; charset=utf-8",
    renderStatusPage(report, {
      hostname,
      location: status.location,
      metricsLocation: status.metricsLocation,
      refreshSeconds: query.has("refresh")
        ? Number.isInteger(refresh) && refresh > 0 ? Math.min(refresh, MAX_REFRESH_SECONDS) : 1
        : null,
      noTables: query.has("notable"),
    }),
  ];
}

/** The host name of a Host value: `[::1]:8080` → `::1`, `example.com:80` → `example.com`. */
function hostOnly(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]"));
  const colon = host.lastIndexOf(":");
  return colon === -1 ? host : host.slice(0, colon);
}

/** The resident memory of each process of the scoreboard that the OS tells of. */
async function residentBytesOf(scoreboard: ScoreboardDetail): Promise<Map<number, number>> {
  const sizes = await Promise.all(
    scoreboard.processes.map(async ({ pid }) => [pid, await readResidentBytes(pid)] as const),
  );
  return new Map(sizes.filter((entry): entry is [number, number] => entry[1] !== null));
}

/**
 * The server's CPU seconds: the parent's and each live child's own (a process in the parent,
 * as netware's, counts once), and what the parent's reaped children used.
 */
async function cpuOf(scoreboard: ScoreboardDetail): Promise<CpuSeconds | null> {
  const pids = new Set([scoreboard.parentPid, ...scoreboard.processes.map((p) => p.pid)]);
  const times = await Promise.all(
    [...pids].map(async (pid) => [pid, await readProcessCpu(pid)] as const),
  );
  const parent = times.find(([pid]) => pid === scoreboard.parentPid)?.[1] ?? null;
  if (parent === null) return null;
  const own = times.map(([, cpu]) => cpu).filter((cpu) => cpu !== null);
  return {
    user: own.reduce((sum, cpu) => sum + cpu.user, 0),
    system: own.reduce((sum, cpu) => sum + cpu.system, 0),
    childrenUser: parent.childrenUser,
    childrenSystem: parent.childrenSystem,
  };
}
