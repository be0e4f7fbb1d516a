/**
 * Measured outcomes for the report and target tests: made-up numbers in the shapes the
 * benchmark produces.
 *
 * @module
 */

import type { AbResult, ContenderOutcome, WrkResult } from "../../bench/mod.ts";

/** A wrk result of `requestsPerSec`, with `p99` ms and `errors` failed requests. */
export function wrk(requestsPerSec: number, p99 = 2.5, errors = 0): WrkResult {
  return {
    requestsPerSec,
    requests: requestsPerSec * 5,
    durationSec: 5,
    non2xx: 0,
    socketErrors: { connect: 0, read: errors, write: 0, timeout: 0 },
    errors,
    latencyMs: { p50: 0.5, p75: 0.7, p90: 1, p99 },
  };
}

/** A measured contender; `ab` adds an ab -k result, `https` https's keep-alive and close req/s. */
export function measured(
  name: string,
  role: "mpmd" | "peer",
  ka: number | WrkResult,
  close: number | WrkResult,
  ab: AbResult | null = null,
  https: readonly [keepAlive: number, close: number] | null = null,
): ContenderOutcome {
  return {
    name,
    role,
    version: "1.0",
    kind: "measured",
    keepAlive: typeof ka === "number" ? wrk(ka) : ka,
    close: typeof close === "number" ? wrk(close) : close,
    ab,
    https: https === null ? null : { keepAlive: wrk(https[0]), close: wrk(https[1]) },
    forcedKills: [],
  };
}
