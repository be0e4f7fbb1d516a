/**
 * Runs ApacheBench (`ab`, Debian package apache2-utils) as an optional cross-check of wrk.
 *
 * @module
 */

import { BenchError } from "./bench_error.ts";

/** What one ab run reports. */
export interface AbResult {
  /** Throughput, ab's "Requests per second" figure. */
  readonly requestsPerSec: number;
  /** ab's "Complete requests" count. */
  readonly completeRequests: number;
  /** "Failed requests" plus "Non-2xx responses". */
  readonly errors: number;
}

/** How to run ab against one URL. */
export interface AbOptions {
  /** URL every request asks for. */
  readonly url: string;
  /** ab's `-c`: concurrent keep-alive connections. */
  readonly connections: number;
  /** ab's `-t`: time limit of the run, in seconds. */
  readonly durationSec: number;
}

/**
 * The request count handed to ab with `-t`: ab's `-t` alone stops at 50000 requests, so a
 * count far above any rate this machine reaches lets the time limit decide.
 */
const AB_REQUEST_CEILING = 100_000_000;

/**
 * Reads ab's text report.
 *
 * @throws {BenchError} when the report has no "Requests per second" line.
 */
export function parseAbOutput(text: string): AbResult {
  const rps = /^Requests per second:\s+([\d.]+)/m.exec(text);
  const complete = /^Complete requests:\s+(\d+)/m.exec(text);
  if (!rps || !complete) {
    throw new BenchError(`Cannot parse ab output: no "Requests per second" line`);
  }
  const failed = Number(/^Failed requests:\s+(\d+)/m.exec(text)?.[1] ?? 0);
  const non2xx = Number(/^Non-2xx responses:\s+(\d+)/m.exec(text)?.[1] ?? 0);
  return {
    requestsPerSec: Number(rps[1]),
    completeRequests: Number(complete[1]),
    errors: failed + non2xx,
  };
}

/**
 * Runs `ab -k` (keep-alive) for the given time and parses its report.
 *
 * @throws {BenchError} when ab fails or prints no report.
 */
export async function runAb(options: AbOptions, signal: AbortSignal): Promise<AbResult> {
  const output = await new Deno.Command("ab", {
    args: [
      "-q",
      "-k",
      "-c",
      String(options.connections),
      "-t",
      String(options.durationSec),
      "-n",
      String(AB_REQUEST_CEILING),
      options.url,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal,
  }).output();
  signal.throwIfAborted();
  if (!output.success) {
    const err = new TextDecoder().decode(output.stderr).trim();
    throw new BenchError(`Cannot run ab against ${options.url}: exit code ${output.code}: ${err}`);
  }
  return parseAbOutput(new TextDecoder().decode(output.stdout));
}
