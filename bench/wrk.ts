/**
 * Runs wrk and reads its report. The parser is a pure function of wrk's text output so that
 * it can be tested against captured samples.
 *
 * @module
 */

import { BenchError } from "./bench_error.ts";

/** Latency percentiles in milliseconds, from wrk's `--latency` distribution. */
export interface LatencyMs {
  /** Median latency (50th percentile). */
  readonly p50: number;
  /** 75th percentile latency. */
  readonly p75: number;
  /** 90th percentile latency. */
  readonly p90: number;
  /** 99th percentile latency: the tail a few slow requests show up in. */
  readonly p99: number;
}

/** wrk's socket error counters ("Socket errors: connect 0, read 0, write 0, timeout 0"). */
export interface SocketErrors {
  /** Connections that could not be opened. */
  readonly connect: number;
  /** Reads that failed, including connections the server reset or closed early. */
  readonly read: number;
  /** Writes of a request that failed. */
  readonly write: number;
  /** Requests with no response within wrk's timeout (2 s by default). */
  readonly timeout: number;
}

/** What one wrk run reports. */
export interface WrkResult {
  /** Throughput, wrk's "Requests/sec" figure. */
  readonly requestsPerSec: number;
  /** Completed requests ("N requests in 5.00s"). */
  readonly requests: number;
  /** Length of the run as wrk measured it ("in 5.00s"), in seconds. */
  readonly durationSec: number;
  /** Responses whose status was not 2xx or 3xx. */
  readonly non2xx: number;
  /** wrk's socket error counters, all 0 when it printed none. */
  readonly socketErrors: SocketErrors;
  /** Sum of {@link WrkResult.non2xx} and every socket error counter. */
  readonly errors: number;
  /** `null` when wrk ran without `--latency`. */
  readonly latencyMs: LatencyMs | null;
}

/** How to run wrk against one URL. */
export interface WrkOptions {
  /** URL every request asks for. */
  readonly url: string;
  /** wrk's `-t`: load-generating threads. */
  readonly threads: number;
  /** wrk's `-c`: connections kept open, shared among the threads. */
  readonly connections: number;
  /** wrk's `-d`: length of the run, in seconds. */
  readonly durationSec: number;
  /** Extra request headers, e.g. `{ Connection: "close" }`. */
  readonly headers: Readonly<Record<string, string>>;
}

const TIME_UNIT_MS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const DURATION_UNIT_SEC: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Converts one of wrk's time values ("812.00us", "1.50ms", "2.01s") to milliseconds. */
function toMs(value: string, unit: string): number {
  const factor = TIME_UNIT_MS[unit];
  if (factor === undefined) {
    throw new BenchError(`Cannot parse wrk output: unknown time unit "${unit}"`);
  }
  return Number(value) * factor;
}

function latencyFrom(text: string): LatencyMs | null {
  const percentile = (p: number): number | null => {
    const match = new RegExp(`^\\s*${p}(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, "m").exec(text);
    return match ? toMs(match[1]!, match[2]!) : null;
  };
  const [p50, p75, p90, p99] = [50, 75, 90, 99].map(percentile);
  if (p50 == null || p75 == null || p90 == null || p99 == null) return null;
  return { p50, p75, p90, p99 };
}

/**
 * Reads wrk 4.x's text report.
 *
 * @throws {BenchError} when the report has no "Requests/sec" or "requests in" line.
 */
export function parseWrkOutput(text: string): WrkResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  const total = /^\s*(\d+) requests in ([\d.]+)(ms|s|m|h)/m.exec(text);
  if (!rps || !total) {
    throw new BenchError(
      `Cannot parse wrk output: no "Requests/sec" summary in ${JSON.stringify(text.slice(0, 200))}`,
    );
  }
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors: SocketErrors = {
    connect: Number(sock?.[1] ?? 0),
    read: Number(sock?.[2] ?? 0),
    write: Number(sock?.[3] ?? 0),
    timeout: Number(sock?.[4] ?? 0),
  };
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  return {
    requestsPerSec: Number(rps[1]),
    requests: Number(total[1]),
    durationSec: Number(total[2]) * (DURATION_UNIT_SEC[total[3]!] ?? 1),
    non2xx,
    socketErrors,
    errors: non2xx + socketErrors.connect + socketErrors.read + socketErrors.write +
      socketErrors.timeout,
    latencyMs: latencyFrom(text),
  };
}

/** The argv that runs wrk with these options, latency distribution included. */
export function wrkArgs(options: WrkOptions): string[] {
  const headers = Object.entries(options.headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
  return [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.durationSec}s`,
    "--latency",
    ...headers,
    options.url,
  ];
}

/**
 * Runs wrk to completion and parses its report.
 *
 * @throws {BenchError} when wrk fails or prints no report.
 */
export async function runWrk(options: WrkOptions, signal: AbortSignal): Promise<WrkResult> {
  const output = await new Deno.Command("wrk", {
    args: wrkArgs(options),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal,
  }).output();
  signal.throwIfAborted();
  const text = new TextDecoder().decode(output.stdout);
  if (!output.success) {
    const err = new TextDecoder().decode(output.stderr).trim();
    throw new BenchError(`Cannot run wrk against ${options.url}: exit code ${output.code}: ${err}`);
  }
  return parseWrkOutput(text);
}
