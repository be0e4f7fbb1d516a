/**
 * The benchmark's results as one serialisable object, the targets evaluated on it, and its
 * rendering as text. Everything here is pure: `bench.ts` prints and writes.
 *
 * @module
 */

import type { AbResult } from "./ab.ts";
import type { ContenderRole } from "./contenders.ts";
import type { MachineFacts } from "./machine.ts";
import { targetLine, type TargetOutcome } from "./targets.ts";
import type { WrkResult } from "./wrk.ts";

/** What happened to one contender. */
export type ContenderOutcome =
  & { readonly name: string; readonly role: ContenderRole; readonly version: string }
  & (
    | {
      readonly kind: "measured";
      readonly keepAlive: WrkResult;
      readonly close: WrkResult;
      readonly ab: AbResult | null;
      /** The same file over https (keep-alive, then a handshake per request), or `null`. */
      readonly https: HttpsResult | null;
      /** Pids that needed SIGKILL when the server was stopped. */
      readonly forcedKills: readonly number[];
    }
    | { readonly kind: "failed"; readonly error: string }
    | { readonly kind: "skipped"; readonly reason: string }
  );

/** wrk over https: kept-alive connections, and `Connection: close` (a handshake per request). */
export interface HttpsResult {
  /** Kept-alive connections: TLS costs only its record encryption. */
  readonly keepAlive: WrkResult;
  /** `Connection: close`: one handshake per request. */
  readonly close: WrkResult;
}

/** A measured outcome. */
export type MeasuredOutcome = Extract<ContenderOutcome, { kind: "measured" }>;

/** How the load was generated, for the header and the JSON. */
export interface BenchSettings {
  /** Request path every load generator GETs. */
  readonly path: string;
  /** Size of the served file, in bytes. */
  readonly fileBytes: number;
  /** Its media type (`text/plain`, `text/html`). */
  readonly mediaType: string;
  /** The gzip level every server compresses at under `--gzip`, else `null` (no compression). */
  readonly gzipLevel: number | null;
  /** Length of each measured wrk run, in seconds. */
  readonly durationSec: number;
  /** Unmeasured wrk run before each server's measurements, in seconds; 0 skips it. */
  readonly warmupSec: number;
  /** wrk's `-c` (and ab's `-c`): connections kept open. */
  readonly connections: number;
  /** wrk's `-t`: load-generating threads. */
  readonly threads: number;
  /** Requests per keep-alive connection, every server alike (MaxKeepAliveRequests); 0: no limit. */
  readonly keepAliveRequests: number;
  /** Runs per contender; each figure is the median run of its column (`rounds.ts`). */
  readonly rounds: number;
  /** wrk's version, from `wrk -v`. */
  readonly wrkVersion: string;
  /** `null` unless `--ab` was given. */
  readonly abVersion: string | null;
  /** Slots per pool under `--slots`, else `null` (each server's usual pool). */
  readonly slots: number | null;
}

/** Everything one run produced; also what `--json` writes. */
export interface BenchReport {
  /** When the run started, as an ISO 8601 UTC timestamp. */
  readonly startedAt: string;
  /** Wall-clock length of the whole run, in seconds. */
  readonly elapsedSec: number;
  /** The machine the run took place on. */
  readonly machine: MachineFacts;
  /** How the load was generated. */
  readonly settings: BenchSettings;
  /** The mpmd run all ratios divide by: the first measured mpmd contender. */
  readonly reference: string | null;
  /** One outcome per selected contender, in selection order. */
  readonly outcomes: readonly ContenderOutcome[];
  /** The run's goals, evaluated on it. */
  readonly targets: readonly TargetOutcome[];
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (
  n: number | undefined,
) => (n === undefined ? "-" : n < 10 ? n.toFixed(2) : n.toFixed(1));
const ratioText = (n: number | null) => (n === null ? "-" : `${n.toFixed(2)}x`);

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  // First column left-aligned (names), numbers right-aligned.
  return rows.map((r) =>
    r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!)))
      .join("  ").trimEnd()
  );
}

function headerLines(report: BenchReport): string[] {
  const { machine: m, settings: s } = report;
  const versions = [
    ...new Set(
      report.outcomes.filter((o) => o.kind !== "skipped").map((o) =>
        o.role === "mpmd" ? `${o.name}: ${o.version}` : o.version
      ),
    ),
  ];
  const ka = s.keepAliveRequests === 0 ? "unlimited" : String(s.keepAliveRequests);
  return [
    `mpmd benchmark, ${report.startedAt}`,
    `machine:  ${m.cores} cores (${m.cpuModel}), ${m.os} ${m.kernel}, deno ${m.deno}, load ${
      m.loadAverage1m.toFixed(2)
    }`,
    `load:     ${s.wrkVersion}: wrk -t${s.threads} -c${s.connections} -d${s.durationSec}s --latency, ` +
    `GET ${s.path} (${s.fileBytes} bytes, ${s.mediaType}), ${s.warmupSec}s warm-up per server` +
    (s.abVersion ? `; cross-check ${s.abVersion}: ab -k -c${s.connections}` : ""),
    ...(s.rounds > 1
      ? [`rounds:   ${s.rounds}, each contender in turn; every figure is its column's median run`]
      : []),
    `versions: ${versions.join("; ")}`,
    `fairness: one server at a time on 127.0.0.1, wrk on the same cores; no access log anywhere;`,
    `          ${ka} requests per keep-alive connection where a server has the setting (httpd's MaxKeepAliveRequests default;`,
    `          Deno's own server, under deno serve and mpmd's HttpEngine native, has none);`,
    `          nginx: worker_processes auto (one per core), sendfile on;`,
    ...(s.gzipLevel === null ? [] : [
      `          every request with Accept-Encoding: gzip, every server at gzip level ${s.gzipLevel}: nginx gzip on and`,
      `          Apache mod_deflate compress each answer; mpmd's DEFLATE compresses a static file once per version and keeps it;`,
    ]),
    ...(s.slots === null
      ? [
        `          Apache: Debian's shipped MPM directives (mpm_<name>.conf), KeepAliveTimeout 5, EnableSendfile off (default);`,
        `          mpmd: the flags in its name, its own defaults otherwise`,
      ]
      : [
        `          pools of ${s.slots} slots that do not grow: prefork ${s.slots} children, worker and winnt 1 x ${s.slots} threads,`,
        `          netware ${s.slots} threads, mpmt_os2 1 child starting ${s.slots} threads (it adds threads when all are busy);`,
        `          Apache KeepAliveTimeout 5, EnableSendfile off (default); mpmd: the flags in its name`,
      ]),
  ];
}

function resultRows(report: BenchReport): string[][] {
  const reference = report.outcomes.find((o) => o.name === report.reference);
  const ref = reference?.kind === "measured" ? reference : null;
  const head = [
    "server",
    "keep-alive req/s",
    "mpmd/srv",
    "close req/s",
    "mpmd/srv",
    "errors ka/close",
    "p50 ka ms",
    "p99 ka ms",
    "p99 close ms",
    ...(report.settings.abVersion ? ["ab -k req/s"] : []),
  ];
  const rows = report.outcomes.map((o) => {
    if (o.kind !== "measured") {
      return [o.name, o.kind === "failed" ? `FAILED: ${o.error}` : `skipped: ${o.reason}`];
    }
    return [
      o.name,
      int(o.keepAlive.requestsPerSec),
      ratioText(ref ? ref.keepAlive.requestsPerSec / o.keepAlive.requestsPerSec : null),
      int(o.close.requestsPerSec),
      ratioText(ref ? ref.close.requestsPerSec / o.close.requestsPerSec : null),
      `${o.keepAlive.errors}/${o.close.errors}`,
      ms(o.keepAlive.latencyMs?.p50),
      ms(o.keepAlive.latencyMs?.p99),
      ms(o.close.latencyMs?.p99),
      ...(report.settings.abVersion ? [o.ab ? int(o.ab.requestsPerSec) : "-"] : []),
    ];
  });
  return [head, ...rows];
}

/**
 * The HTTPS table: the servers measured over https, with ratios to the reference's https
 * figures (empty when none was).
 */
function httpsRows(report: BenchReport): string[] {
  const withHttps = report.outcomes.filter((o): o is MeasuredOutcome & { https: HttpsResult } =>
    o.kind === "measured" && o.https !== null
  );
  if (withHttps.length === 0) return [];
  const ref = withHttps.find((o) => o.name === report.reference)?.https ?? null;
  const rows = withHttps.map((o) => [
    o.name,
    int(o.https.keepAlive.requestsPerSec),
    ratioText(ref ? ref.keepAlive.requestsPerSec / o.https.keepAlive.requestsPerSec : null),
    int(o.https.close.requestsPerSec),
    ratioText(ref ? ref.close.requestsPerSec / o.https.close.requestsPerSec : null),
    `${o.https.keepAlive.errors}/${o.https.close.errors}`,
    ms(o.https.keepAlive.latencyMs?.p99),
    ms(o.https.close.latencyMs?.p99),
  ]);
  return [
    "",
    "https (the same file; one ECDSA P-256 certificate made by the run, TLS 1.2 and 1.3; close = a full handshake per request):",
    ...table([
      [
        "server",
        "https keep-alive req/s",
        "mpmd/srv",
        "https close req/s",
        "mpmd/srv",
        "errors ka/close",
        "p99 ka ms",
        "p99 close ms",
      ],
      ...rows,
    ]),
  ];
}

/** The report as text lines: header, results table, targets. */
export function renderReport(report: BenchReport): string[] {
  const rows = resultRows(report);
  const full = rows.filter((r) => r.length === rows[0]!.length);
  const aligned = table(full);
  // Skipped and failed rows are free text: print them after the aligned ones.
  const notes = [
    ...rows.filter((r) => r.length !== rows[0]!.length).map((r) => `${r[0]}: ${r[1]}`),
    ...report.outcomes.flatMap((o) =>
      o.kind === "measured" && o.forcedKills.length > 0
        ? [`${o.name}: did not stop on SIGTERM; SIGKILLed pids ${o.forcedKills.join(", ")}`]
        : []
    ),
  ];
  const targets = report.targets.map(targetLine);
  return [
    ...headerLines(report),
    "",
    ...aligned,
    ...notes,
    ...httpsRows(report),
    "",
    `mpmd/srv: ${report.reference ?? "mpmd"} req/s divided by the row's req/s; ` +
    "errors: non-2xx responses plus wrk socket errors",
    "targets (reported, not asserted):",
    ...targets,
    "",
    `total time: ${report.elapsedSec.toFixed(1)} s`,
  ];
}
