/**
 * `--rounds N`: every contender measured N times, in turn, and one outcome per contender made
 * of the median run of each column. On a shared two-core machine the speed available drifts
 * by a third between runs a minute apart; one run per contender then decides a ratio by when
 * each ran. Each figure stays a real run (its latency and errors are that run's), never an
 * average of runs. Pure: `bench.ts` measures.
 *
 * @module
 */

import type { ContenderOutcome, MeasuredOutcome } from "./report.ts";

/**
 * The run of `runs` whose `rate` is the median: the middle one, or for an even count the
 * lower of the two middle ones (a real run, not their mean).
 *
 * @throws {RangeError} when `runs` is empty.
 */
export function medianRun<T>(runs: readonly T[], rate: (run: T) => number): T {
  if (runs.length === 0) throw new RangeError("Cannot take the median of no runs");
  const sorted = [...runs].sort((a, b) => rate(a) - rate(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const perSec = (run: { readonly requestsPerSec: number }) => run.requestsPerSec;

/**
 * One contender's rounds as one outcome: the median of each column over the measured rounds.
 * A round that failed or was skipped leaves the others standing; when none was measured, the
 * first round's outcome is the answer (its error says why).
 *
 * @throws {RangeError} when `rounds` is empty.
 */
export function combineRounds(rounds: readonly ContenderOutcome[]): ContenderOutcome {
  if (rounds.length === 0) throw new RangeError("Cannot combine no rounds");
  const measured = rounds.filter((r): r is MeasuredOutcome => r.kind === "measured");
  if (measured.length === 0) return rounds[0]!;
  const abRuns = measured.flatMap((r) => r.ab === null ? [] : [r.ab]);
  const httpsRuns = measured.flatMap((r) => r.https === null ? [] : [r.https]);
  return {
    ...measured[0]!,
    keepAlive: medianRun(measured.map((r) => r.keepAlive), perSec),
    close: medianRun(measured.map((r) => r.close), perSec),
    ab: abRuns.length === 0 ? null : medianRun(abRuns, perSec),
    https: httpsRuns.length === 0 ? null : {
      keepAlive: medianRun(httpsRuns.map((r) => r.keepAlive), perSec),
      close: medianRun(httpsRuns.map((r) => r.close), perSec),
    },
    forcedKills: measured.flatMap((r) => r.forcedKills),
  };
}
