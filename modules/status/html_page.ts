/**
 * The status report as one self-contained HTML page: summary, MPM settings, the scoreboard
 * grid with httpd's key, the process table and (with ExtendedStatus) the slot table. No
 * script, no external asset: the page is fast to render and safe to open anywhere. Pure.
 *
 * @module
 */

import { escapeHtml } from "../_escape_html.ts";
import type { BalancerSnapshot } from "../balancer/mod.ts";
import { statusTime, uptimeText } from "./auto_format.ts";
import { STATUS_STYLE } from "./_status_style.ts";
import type { ProcessRow, SlotRow, StatusReport } from "./status_report.ts";
import { SLOT_STATES, type SlotState } from "../../scoreboard/mod.ts";

/** How the page is asked for. */
export interface PageOptions {
  /** The host name the client asked for (the title names it). */
  readonly hostname: string;
  /** The status page's own path, for its links. */
  readonly location: string;
  /** The metrics path, or `null` if none is served. */
  readonly metricsLocation: string | null;
  /** `?refresh=N`: the page reloads itself every N seconds; `null`: it does not. */
  readonly refreshSeconds: number | null;
  /** `?notable`: leave the process and slot tables out. */
  readonly noTables: boolean;
}

/** Cells per row of the scoreboard grid: httpd wraps its grid at 64 too. */
const GRID_WIDTH = 64;

/** Renders the page. Every text from the scoreboard or the request is escaped. */
export function renderStatusPage(report: StatusReport, options: PageOptions): string {
  const refresh = options.refreshSeconds === null
    ? ""
    : `<meta http-equiv="refresh" content="${options.refreshSeconds}">`;
  const title = `Server status for ${options.hostname}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">${refresh}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STATUS_STYLE}</style></head>
<body>
<header><h1>${escapeHtml(title)}</h1>
<p class="version">${escapeHtml(report.server.version)} · MPM <b>${report.server.mpm}</b> · built ${
    escapeHtml(report.server.built)
  }</p>
<nav>${navLinks(options)}</nav></header>
<main>
${summary(report)}
${mpmSettings(report)}
${grid(report)}
${options.noTables ? "" : processTable(report.processes)}
${options.noTables || !report.server.extendedStatus ? "" : slotTable(report.slots)}
${options.noTables ? "" : balancerTables(report.balancers)}
</main>
<footer>${escapeHtml(statusTime(report.currentTimeMs))}</footer>
</body></html>
`;
}

function navLinks(options: PageOptions): string {
  const base = escapeHtml(options.location);
  const links = [
    `<a href="${base}">page</a>`,
    `<a href="${base}?refresh=5">refresh every 5 s</a>`,
    `<a href="${base}?notable">without tables</a>`,
    `<a href="${base}?auto">?auto</a>`,
    `<a href="${base}?json">?json</a>`,
  ];
  if (options.metricsLocation !== null) {
    links.push(`<a href="${escapeHtml(options.metricsLocation)}">metrics</a>`);
  }
  return links.join(" ");
}

function summary(report: StatusReport): string {
  const { totals, workers } = report;
  const cells: [string, string, string?][] = [
    ["Uptime", uptimeText(report.uptimeSeconds), `since ${statusTime(report.startTimeMs)}`],
    [
      "Generation",
      String(report.generation),
      `${report.restarts} restart${report.restarts === 1 ? "" : "s"}, last ${
        statusTime(report.restartTimeMs)
      }`,
    ],
    ["Requests", count(totals.accesses), `${decimal(totals.requestsPerSecond)} per second`],
    [
      "Traffic",
      bytes(totals.bytes),
      `${bytes(totals.bytesPerSecond)}/s · ${bytes(totals.bytesPerRequest)}/request`,
    ],
    ["Duration", `${decimal(totals.durationPerRequestMs)} ms`, "per request, on average"],
    [
      "Protocols",
      Object.entries(totals.requestsByProtocol).map(([name, n]) => `${name} ${count(n)}`)
        .join(" · "),
      "requests by protocol",
    ],
    [
      "TLS",
      `${count(totals.tls.handshakes)} handshakes`,
      `failed: ${
        Object.entries(totals.tls.failures).map(([reason, n]) => `${count(n)} ${reason}`)
          .join(" · ")
      }`,
    ],
    [
      "Workers",
      `${workers.busy} busy`,
      `${workers.idle} idle · ${workers.graceful} finishing gracefully`,
    ],
    [
      "Processes",
      String(report.processCount),
      `${report.stoppingCount} stopping · ${report.connections} connections (${report.keepAliveConnections} keep-alive)`,
    ],
    [
      "Faults",
      `${report.childCrashes} crashed`,
      `${report.childrenRecycled} recycled · ${report.threadRestarts} thread restarts`,
    ],
    ["Load", report.loadAverage.map((n) => n.toFixed(2)).join(" "), "1, 5, 15 minutes"],
  ];
  if (report.cpu !== null) {
    const { cpu } = report;
    cells.push([
      "CPU",
      `${decimal(cpu.loadPercent)} %`,
      `user ${decimal(cpu.user)} s · system ${decimal(cpu.system)} s`,
    ]);
  }
  const items = cells.map(([name, value, note]) =>
    `<div class="card"><dt>${name}</dt><dd>${escapeHtml(value)}${
      note === undefined ? "" : `<small>${escapeHtml(note)}</small>`
    }</dd></div>`
  );
  return `<section><dl id="summary" class="cards">${items.join("")}</dl></section>`;
}

function mpmSettings(report: StatusReport): string {
  const entries = Object.entries(report.server.mpmDirectives);
  if (entries.length === 0) return "";
  const items = entries.map(([name, value]) => `<span><b>${escapeHtml(name)}</b> ${value}</span>`);
  return `<section><h2>${report.server.mpm} settings</h2><p id="mpm" class="settings">${
    items.join(" ")
  }</p></section>`;
}

function grid(report: StatusReport): string {
  const rows: string[] = [];
  for (let start = 0; start < report.scoreboard.length; start += GRID_WIDTH) {
    const cells = [...report.scoreboard.slice(start, start + GRID_WIDTH)].map((state, i) => {
      // A gap before each process's first slot shows where one process ends.
      const first = report.threadLimit > 1 && (start + i) % report.threadLimit === 0 && i > 0
        ? " first"
        : "";
      return `<i class="${stateClass(state as SlotState)}${first}">${escapeHtml(state)}</i>`;
    });
    rows.push(`<div class="row">${cells.join("")}</div>`);
  }
  const legend = (Object.entries(SLOT_STATES) as [SlotState, string][]).map(([state, meaning]) =>
    `<li><i class="${stateClass(state)}">${escapeHtml(state)}</i> ${escapeHtml(meaning)}</li>`
  );
  return `<section><h2>Scoreboard</h2>
<p class="note">${report.serverLimit} processes × ${report.threadLimit} slots, one letter each.</p>
<div id="scoreboard" class="grid">${rows.join("\n")}</div>
<ul id="legend" class="legend">${legend.join("")}</ul></section>`;
}

function processTable(processes: readonly ProcessRow[]): string {
  const head = [
    "Slot",
    "PID",
    "Gen",
    "Connections",
    "Keep-alive",
    "Accepting",
    "Stopping",
    "Busy",
    "Idle",
    "Graceful",
    "Requests",
    "Sent",
    "Memory",
  ];
  const rows = processes.map((p) =>
    row([
      String(p.index),
      String(p.pid),
      String(p.generation),
      String(p.connections),
      String(p.keepAlive),
      p.accepting ? "yes" : "no",
      p.stopping ? "yes" : "no",
      String(p.busy),
      String(p.idle),
      String(p.graceful),
      count(p.accesses),
      bytes(p.bytes),
      p.residentBytes === null ? "—" : bytes(p.residentBytes),
    ])
  );
  return table("processes", "Processes", head, rows);
}

function slotTable(slots: readonly SlotRow[]): string {
  const head = [
    "Srv",
    "PID",
    "Gen",
    "M",
    "SS",
    "Req ms",
    "Dur ms",
    "Acc",
    "Sent",
    "Client",
    "VHost",
    "Request",
  ];
  const rows = slots.map((s) =>
    row([
      `${s.process}-${s.slot}`,
      String(s.pid),
      String(s.generation),
      `<i class="${stateClass(s.state)}">${escapeHtml(s.state)}</i>`,
      String(s.secondsOnRequest),
      decimal(s.lastRequestMs),
      decimal(s.totalDurationMs),
      count(s.accesses),
      bytes(s.bytes),
      escapeHtml(s.client),
      escapeHtml(s.vhost),
      `<code>${escapeHtml(s.request)}</code>`,
    ], true)
  );
  return table("slots", "Slots", head, rows);
}

/** One table per balancer, saying whose view it is: each slot keeps its own member state. */
function balancerTables(balancers: readonly BalancerSnapshot[]): string {
  const head = [
    "Member",
    "Route",
    "Factor",
    "State",
    "Requests",
    "Errors",
    "Busy",
    "Moved",
    "Check",
    "Last check",
  ];
  return balancers.map((b) => {
    const rows = b.members.map((m) =>
      row([
        m.url,
        m.route || "—",
        String(m.loadFactor),
        m.condition,
        count(m.requests),
        count(m.errors),
        String(m.busy),
        bytes(m.bytes),
        m.checkMethod,
        m.lastCheck === null
          ? "—"
          : `${m.lastCheck.passed ? "passed" : "failed"} ${statusTime(m.lastCheck.at)}`,
      ])
    );
    const caption = `balancer://${escapeHtml(b.name)} (${b.lbMethod}${
      b.stickySession === null ? "" : `, sticky ${escapeHtml(b.stickySession)}`
    }) as the slot serving this page sees it`;
    return table(`balancer-${escapeHtml(b.name)}`, caption, head, rows);
  }).join("\n");
}

function table(id: string, caption: string, head: readonly string[], rows: readonly string[]) {
  return `<section><h2>${caption}</h2><div class="scroll"><table id="${id}">
<thead><tr>${head.map((name) => `<th>${name}</th>`).join("")}</tr></thead>
<tbody>${rows.join("\n")}</tbody></table></div></section>`;
}

function row(cells: readonly string[], escaped = false): string {
  return `<tr>${
    cells.map((cell) => `<td>${escaped ? cell : escapeHtml(cell)}</td>`).join("")
  }</tr>`;
}

function stateClass(state: SlotState): string {
  return state === "." ? "s-open" : state === "_" ? "s-wait" : `s-${state}`;
}

function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function decimal(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : String(Number(n.toFixed(2)));
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;

function bytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}
