/**
 * The status report: what the scoreboard says, summed and counted the way mod_status counts
 * it. Pure: every form of the status (HTML, `?auto`, `?json`, Prometheus) is a rendering of
 * one report, so they can never disagree.
 *
 * @module
 */

import {
  addTallies,
  CONNECTION_COUNTERS,
  DURATION_BUCKETS_MS,
  REQUEST_PROTOCOLS,
  type RequestProtocol,
  responseKindLabels,
  type ScoreboardDetail,
  secondsOnRequest,
  type SlotState,
  slotTally,
  type Tally,
  TLS_FAILURE_REASONS,
  type TlsFailureReason,
} from "../../scoreboard/mod.ts";
import type { MpmName } from "../../server/config/mod.ts";
import type { BalancerSnapshot } from "../balancer/mod.ts";

/** What the server says about itself, beside the scoreboard. */
export interface ServerFacts {
  /** The full version banner (`mpmd/0.1.0 (Deno 2.9.6)`). */
  readonly version: string;
  /** The Deno runtime's version (`2.9.6`). */
  readonly deno: string;
  /** Its V8's version. */
  readonly v8: string;
  /** When the running program was built (ISO 8601 without zone, as httpd's `Server Built`). */
  readonly built: string;
  /** The active MPM. */
  readonly mpm: MpmName;
  /** The MPM's directives in force, httpd's defaults filled in. */
  readonly mpmDirectives: Readonly<Record<string, number>>;
  /** ExtendedStatus: slots record request lines, clients and hosts. */
  readonly extendedStatus: boolean;
}

/** How many responses of one status class answered requests of one method. */
export interface ResponseCount {
  /** `GET`, `HEAD`, `POST`, `PUT`, `DELETE`, `PATCH`, `OPTIONS` or `other`. */
  readonly method: string;
  /** `1xx` to `5xx`. */
  readonly code: string;
  /** Responses counted. */
  readonly count: number;
}

/** The counters that counted something, labelled. */
function responseCounts(kinds: readonly number[]): ResponseCount[] {
  return kinds.flatMap((count, kind) =>
    count === 0 ? [] : [{ ...responseKindLabels(kind), count }]
  );
}

/** CPU seconds of the server: its processes' own, and the reaped children's. */
export interface CpuSeconds {
  /** User seconds of the parent and the live children. */
  readonly user: number;
  /** System seconds of the parent and the live children. */
  readonly system: number;
  /** User seconds of children that have exited. */
  readonly childrenUser: number;
  /** System seconds of children that have exited. */
  readonly childrenSystem: number;
}

/** Everything {@link statusReport} reads. */
export interface StatusInput {
  /** The whole scoreboard, as read now. */
  readonly scoreboard: ScoreboardDetail;
  /** What the server says about itself. */
  readonly server: ServerFacts;
  /** The time of the report (ms since the epoch). */
  readonly nowMs: number;
  /** The 1, 5 and 15 minute load averages. */
  readonly loadAverage: readonly number[];
  /** CPU seconds, or `null` where the OS does not tell. */
  readonly cpu: CpuSeconds | null;
  /** Resident memory of each process the OS tells it of, in bytes, by pid. */
  readonly residentBytes: ReadonlyMap<number, number>;
  /** The balancers as the slot serving the report sees them. */
  readonly balancers: readonly BalancerSnapshot[];
}

/** One process of the scoreboard, as the process table shows it. */
export interface ProcessRow {
  /** Its region in the scoreboard (httpd's child number). */
  readonly index: number;
  /** Its process id. */
  readonly pid: number;
  /** The generation that started it. */
  readonly generation: number;
  /** Finishing its connections before it exits (httpd's "Stopping"). */
  readonly stopping: boolean;
  /** Taking new connections (event's limit not reached, not stopping). */
  readonly accepting: boolean;
  /** Open connections, keep-alive ones included. */
  readonly connections: number;
  /** Connections idle between requests. */
  readonly keepAlive: number;
  /** Slots serving a request or a connection (neither idle, starting nor open). */
  readonly busy: number;
  /** Slots finishing gracefully (`G`). */
  readonly graceful: number;
  /** Slots waiting for a connection (`_`). */
  readonly idle: number;
  /** Requests its slots served. */
  readonly accesses: number;
  /** Body bytes its slots sent. */
  readonly bytes: number;
  /** Worker threads it restarted after they died. */
  readonly threadRestarts: number;
  /** Its resident memory in bytes (MaxMemoryPerChild bounds it), or `null` where unknown. */
  readonly residentBytes: number | null;
}

/** One live slot, as the ExtendedStatus table shows it. */
export interface SlotRow {
  /** Its process's region in the scoreboard. */
  readonly process: number;
  /** Its index in the process (httpd's thread number). */
  readonly slot: number;
  /** Its process's id. */
  readonly pid: number;
  /** Its process's generation. */
  readonly generation: number;
  /** What it is doing (httpd's key). */
  readonly state: SlotState;
  /** Seconds since its current or last request started (httpd's SS). */
  readonly secondsOnRequest: number;
  /** How long its last finished request took (httpd's Req), ms. */
  readonly lastRequestMs: number;
  /** The sum of its requests' durations (httpd's Dur), ms. */
  readonly totalDurationMs: number;
  /** Requests it served. */
  readonly accesses: number;
  /** Body bytes it sent. */
  readonly bytes: number;
  /** The current or last request's client (empty without ExtendedStatus). */
  readonly client: string;
  /** The current or last request's virtual host (empty without ExtendedStatus). */
  readonly vhost: string;
  /** The current or last request line, up to 64 bytes (empty without ExtendedStatus). */
  readonly request: string;
}

/** The status of the whole server at one moment; also the `?json` document. */
export interface StatusReport {
  /** What the server says about itself. */
  readonly server: ServerFacts;
  /** The report's time (ms since the epoch). */
  readonly currentTimeMs: number;
  /** When the parent started (ms since the epoch). */
  readonly startTimeMs: number;
  /** When the running generation started (ms since the epoch). */
  readonly restartTimeMs: number;
  /** Whole seconds since the parent started. */
  readonly uptimeSeconds: number;
  /** The generation the parent runs (1 at start, one more per restart). */
  readonly generation: number;
  /** Restarts since the parent started. */
  readonly restarts: number;
  /** The 1, 5 and 15 minute load averages. */
  readonly loadAverage: readonly number[];
  /** CPU seconds and their share of the uptime (%), or `null` where the OS does not tell. */
  readonly cpu: (CpuSeconds & { readonly loadPercent: number }) | null;
  /** Totals since the parent started, processes that are gone included. */
  readonly totals: Omit<Tally, "responseKinds" | "connectionCounters"> & {
    /** Responses by method and status class, those counted at least once. */
    readonly responses: readonly ResponseCount[];
    /** Requests by the protocol they came in. */
    readonly requestsByProtocol: Readonly<Record<RequestProtocol, number>>;
    /** TLS handshakes completed, and those that failed by why. */
    readonly tls: {
      readonly handshakes: number;
      readonly failures: Readonly<Record<TlsFailureReason, number>>;
    };
    readonly requestsPerSecond: number;
    readonly bytesPerSecond: number;
    /** 0 before the first request. */
    readonly bytesPerRequest: number;
    /** ms; 0 before the first request. */
    readonly durationPerRequestMs: number;
  };
  /** The duration histogram's upper bounds (ms); `totals.durationBuckets` has one more. */
  readonly durationBucketsMs: readonly number[];
  /** Slot counts, as httpd's BusyWorkers, GracefulWorkers and IdleWorkers. */
  readonly workers: { readonly busy: number; readonly graceful: number; readonly idle: number };
  /** Live processes. */
  readonly processCount: number;
  /** Live processes that are stopping. */
  readonly stoppingCount: number;
  /** Open connections over every process. */
  readonly connections: number;
  /** Connections idle in keep-alive over every process. */
  readonly keepAliveConnections: number;
  /** Children that exited unasked since the parent started. */
  readonly childCrashes: number;
  /** Children retired by MaxConnectionsPerChild. */
  readonly childrenRecycled: number;
  /** Worker threads that died and were started again. */
  readonly threadRestarts: number;
  /** ServerLimit × ThreadLimit letters, process by process (`.` for an open slot). */
  readonly scoreboard: string;
  /** ServerLimit: the grid's processes. */
  readonly serverLimit: number;
  /** ThreadLimit: the grid's letters per process. */
  readonly threadLimit: number;
  /** The live processes. */
  readonly processes: readonly ProcessRow[];
  /** Live slots (state not `.`) of every process; empty without ExtendedStatus. */
  readonly slots: readonly SlotRow[];
  /**
   * The balancers and their members as the slot that served this report sees them: each slot
   * keeps its own member state, so another slot's counts and states may differ.
   */
  readonly balancers: readonly BalancerSnapshot[];
}

const IDLE_STATES: ReadonlySet<SlotState> = new Set(["_"]);
// httpd counts neither a starting slot nor one being retired while idle as busy.
const NOT_BUSY_STATES: ReadonlySet<SlotState> = new Set([".", "S", "_", "I"]);

/** Builds the report: sums, counts and rows from one scoreboard reading. */
export function statusReport(input: StatusInput): StatusReport {
  const { scoreboard, server, nowMs } = input;
  const { ledger } = scoreboard;
  const uptimeSeconds = Math.max(0, Math.floor((nowMs - scoreboard.startTimeMs) / 1000));
  const processTallies = scoreboard.processes.map((process) =>
    addTallies(process.slots.map(slotTally))
  );
  const tally = addTallies([ledger.retired, ...processTallies]);
  const perSecond = (n: number) => uptimeSeconds > 0 ? n / uptimeSeconds : 0;
  const perRequest = (n: number) => tally.accesses > 0 ? n / tally.accesses : 0;

  const processes = scoreboard.processes.map((process, i): ProcessRow => {
    const states = process.slots.map((slot) => slot.state);
    const processTally = processTallies[i]!;
    return {
      index: process.index,
      pid: process.pid,
      generation: process.generation,
      stopping: process.quiescing,
      accepting: !process.quiescing && !process.notAccepting,
      connections: process.connections,
      keepAlive: process.keepAlive,
      busy: states.filter((state) => !NOT_BUSY_STATES.has(state)).length,
      graceful: states.filter((state) => state === "G").length,
      // Only a process of the running generation has idle slots that can take work.
      idle: process.generation === scoreboard.generation
        ? states.filter((state) => IDLE_STATES.has(state)).length
        : 0,
      accesses: processTally.accesses,
      bytes: processTally.bytes,
      threadRestarts: process.threadRestarts,
      residentBytes: input.residentBytes.get(process.pid) ?? null,
    };
  });
  const sum = (pick: (row: ProcessRow) => number) =>
    processes.reduce((total, row) => total + pick(row), 0);

  const byIndex = new Map(scoreboard.processes.map((process) => [process.index, process]));
  let grid = "";
  for (let index = 0; index < scoreboard.serverLimit; index++) {
    const process = byIndex.get(index);
    grid += process === undefined
      ? ".".repeat(scoreboard.threadLimit)
      : process.slots.map((slot) => slot.state).join("");
  }

  const cpu = input.cpu;
  return {
    server,
    currentTimeMs: nowMs,
    startTimeMs: scoreboard.startTimeMs,
    restartTimeMs: scoreboard.restartTimeMs,
    uptimeSeconds,
    generation: scoreboard.generation,
    restarts: scoreboard.generation - 1,
    loadAverage: input.loadAverage,
    cpu: cpu === null ? null : {
      ...cpu,
      loadPercent: perSecond(cpu.user + cpu.system + cpu.childrenUser + cpu.childrenSystem) * 100,
    },
    totals: {
      accesses: tally.accesses,
      bytes: tally.bytes,
      durationMs: tally.durationMs,
      durationBuckets: tally.durationBuckets,
      responses: responseCounts(tally.responseKinds),
      requestsByProtocol: countsBy(
        REQUEST_PROTOCOLS,
        (protocol) => tally.connectionCounters[CONNECTION_COUNTERS.requests(protocol)] ?? 0,
      ),
      tls: {
        handshakes: tally.connectionCounters[CONNECTION_COUNTERS.tlsHandshakes] ?? 0,
        failures: countsBy(
          TLS_FAILURE_REASONS,
          (reason) => tally.connectionCounters[CONNECTION_COUNTERS.tlsFailures(reason)] ?? 0,
        ),
      },
      requestsPerSecond: perSecond(tally.accesses),
      bytesPerSecond: perSecond(tally.bytes),
      bytesPerRequest: perRequest(tally.bytes),
      durationPerRequestMs: perRequest(tally.durationMs),
    },
    durationBucketsMs: DURATION_BUCKETS_MS,
    workers: {
      busy: sum((row) => row.busy),
      graceful: sum((row) => row.graceful),
      idle: sum((row) => row.idle),
    },
    processCount: processes.length,
    stoppingCount: processes.filter((row) => row.stopping).length,
    connections: sum((row) => row.connections),
    keepAliveConnections: sum((row) => row.keepAlive),
    childCrashes: ledger.childCrashes,
    childrenRecycled: ledger.childrenRecycled,
    threadRestarts: ledger.retiredThreadRestarts + sum((row) => row.threadRestarts),
    scoreboard: grid,
    serverLimit: scoreboard.serverLimit,
    threadLimit: scoreboard.threadLimit,
    processes,
    slots: !server.extendedStatus
      ? []
      : scoreboard.processes.flatMap((process) =>
        process.slots.filter((slot) => slot.state !== ".").map((slot): SlotRow => ({
          process: process.index,
          slot: slot.index,
          pid: process.pid,
          generation: process.generation,
          state: slot.state,
          secondsOnRequest: Math.floor(secondsOnRequest(slot, nowMs)),
          lastRequestMs: slot.lastRequestMs,
          totalDurationMs: slot.totalDurationMs,
          accesses: slot.accessCount,
          bytes: slot.bytesServed,
          client: slot.client,
          vhost: slot.vhost,
          request: slot.request,
        }))
      ),
    balancers: input.balancers,
  };
}

function countsBy<K extends string>(
  keys: readonly K[],
  count: (key: K) => number,
): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, count(key)])) as Record<K, number>;
}
