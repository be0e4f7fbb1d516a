/**
 * mpmd's performance goals, as data, and their evaluation on a run's outcomes: throughput
 * ratios against a peer, tail latency against a peer, and no failed request. Pure: reported,
 * never asserted.
 *
 * @module
 */

import type { ContenderOutcome, MeasuredOutcome } from "./report.ts";

/** The loads of plain HTTP a throughput goal can be read on. */
export const PLAIN_TARGET_LOADS = ["keep-alive", "close", "ab -k"] as const;
/** The loads a throughput goal can be read on: plain HTTP's, then https's. */
export const TARGET_LOADS = [...PLAIN_TARGET_LOADS, "https keep-alive", "https close"] as const;
/** One of {@link TARGET_LOADS}. */
export type TargetLoad = typeof TARGET_LOADS[number];

/** One goal for one mpmd run; `mpmd: null` stands for the run's reference (the first mpmd). */
export type Target =
  /** mpmd ÷ peer req/s under `load` is at least `minRatio`. */
  | {
    readonly kind: "throughput";
    readonly mpmd: string | null;
    readonly peer: string;
    readonly load: TargetLoad;
    readonly minRatio: number;
  }
  /** mpmd's 99th-percentile latency ÷ the peer's, under wrk's `load`, is at most `maxRatio`. */
  | {
    readonly kind: "p99";
    readonly mpmd: string | null;
    readonly peer: string;
    readonly load: "keep-alive" | "close";
    readonly maxRatio: number;
  }
  /** No failed request (socket errors, non-2xx, ab's failures) under any load. */
  | { readonly kind: "no errors"; readonly mpmd: string | null };

/** A target evaluated on one run; `n/a` when a side it reads was not measured. */
export type TargetOutcome = Target & {
  /** The mpmd contender evaluated, or `null` when none was measured. */
  readonly reference: string | null;
  /** The ratio (throughput, p99) or the error count; `null` when not measured. */
  readonly value: number | null;
  readonly verdict: "PASS" | "MISS" | "n/a";
};

/** mpmd's goals on a static file (keep-alive req/s). */
export const TARGETS: readonly Target[] = [
  { kind: "throughput", mpmd: null, peer: "apache-event", load: "keep-alive", minRatio: 1.5 },
  { kind: "throughput", mpmd: null, peer: "nginx", load: "keep-alive", minRatio: 1.0 },
  {
    kind: "throughput",
    mpmd: "mpmd --mpm prefork",
    peer: "apache-prefork",
    load: "keep-alive",
    minRatio: 1.0,
  },
  // Three virtual hosts and five <Directory> sections cost at most 5 % (issue "Apache drop-in II").
  {
    kind: "throughput",
    mpmd: "mpmd --mpm event -D VHOSTS",
    peer: "mpmd --mpm event",
    load: "keep-alive",
    minRatio: 0.95,
  },
  // HTTPS (issue 18): keep-alive and a handshake per request, against mod_ssl and nginx.
  ...(["https keep-alive", "https close"] as const).flatMap((load): Target[] => [
    { kind: "throughput", mpmd: "mpmd --mpm event", peer: "apache-event", load, minRatio: 1.0 },
    { kind: "throughput", mpmd: "mpmd --mpm event", peer: "nginx", load, minRatio: 0.8 },
  ]),
];

/** mpmd's goal when compressing a page on the fly (`--gzip`): at least Apache's mod_deflate. */
export const GZIP_TARGETS: readonly Target[] = [
  { kind: "throughput", mpmd: null, peer: "apache-event", load: "keep-alive", minRatio: 1.0 },
];

/** mpmd's goals as a reverse proxy (`--proxy`), each server to the same backend. */
export const PROXY_TARGETS: readonly Target[] = [
  { kind: "throughput", mpmd: null, peer: "apache-event", load: "keep-alive", minRatio: 1.5 },
  { kind: "throughput", mpmd: null, peer: "nginx", load: "keep-alive", minRatio: 1.0 },
];

/** mpmd's goal when serving an app module (`--app`): at least as fast as Deno's own server. */
export const APP_TARGETS: readonly Target[] = [
  {
    kind: "throughput",
    mpmd: null,
    peer: "deno serve --parallel",
    load: "keep-alive",
    minRatio: 1.0,
  },
  // Three virtual hosts and five <Directory> sections cost at most 5 % (issue "Apache drop-in II").
  {
    kind: "throughput",
    mpmd: "mpmd --mpm event -D VHOSTS",
    peer: "mpmd --mpm event",
    load: "keep-alive",
    minRatio: 0.95,
  },
];

/**
 * The goals of `--slots`, for each mpmd run against the Apache MPM that holds connections the
 * same way: at least 0.9× its throughput with keep-alive (wrk and ab) and with close, a p99
 * within 2× its own, and no failed request.
 */
export function slotTargets(pairs: ReadonlyMap<string, string>): Target[] {
  return [...pairs].flatMap(([mpmd, peer]): Target[] => [
    ...PLAIN_TARGET_LOADS.map((load) => ({
      kind: "throughput" as const,
      mpmd,
      peer,
      load,
      minRatio: 0.9,
    })),
    { kind: "p99", mpmd, peer, load: "keep-alive", maxRatio: 2 },
    { kind: "p99", mpmd, peer, load: "close", maxRatio: 2 },
    { kind: "no errors", mpmd },
  ]);
}

function measured(outcomes: readonly ContenderOutcome[]): MeasuredOutcome[] {
  return outcomes.filter((o): o is MeasuredOutcome => o.kind === "measured");
}

/** The first measured mpmd outcome, which the report's ratios divide by. */
export function referenceOf(outcomes: readonly ContenderOutcome[]): MeasuredOutcome | null {
  return measured(outcomes).find((o) => o.role === "mpmd") ?? null;
}

/** Requests per second of `outcome` under `load` (`null`: ab was not run). */
function throughput(outcome: MeasuredOutcome, load: TargetLoad): number | null {
  if (load === "keep-alive") return outcome.keepAlive.requestsPerSec;
  if (load === "close") return outcome.close.requestsPerSec;
  if (load === "https keep-alive") return outcome.https?.keepAlive.requestsPerSec ?? null;
  if (load === "https close") return outcome.https?.close.requestsPerSec ?? null;
  return outcome.ab?.requestsPerSec ?? null;
}

/** Every failed request of `outcome`, over all its loads. */
function errorsOf(outcome: MeasuredOutcome): number {
  return outcome.keepAlive.errors + outcome.close.errors + (outcome.ab?.errors ?? 0) +
    (outcome.https === null ? 0 : outcome.https.keepAlive.errors + outcome.https.close.errors);
}

/** Evaluates `targets` on `outcomes`. */
export function evaluateTargets(
  outcomes: readonly ContenderOutcome[],
  targets: readonly Target[] = TARGETS,
): TargetOutcome[] {
  const byName = new Map(measured(outcomes).map((o) => [o.name, o]));
  const reference = referenceOf(outcomes);
  return targets.map((target) => {
    const mpmd = target.mpmd === null ? reference : byName.get(target.mpmd) ?? null;
    const named = { ...target, reference: mpmd?.name ?? target.mpmd };
    const unmeasured = { ...named, value: null, verdict: "n/a" as const };
    if (mpmd === null) return unmeasured;
    if (target.kind === "no errors") {
      const errors = errorsOf(mpmd);
      return { ...named, value: errors, verdict: errors === 0 ? "PASS" : "MISS" };
    }
    const peer = byName.get(target.peer);
    if (peer === undefined) return unmeasured;
    if (target.kind === "p99") {
      const ours = (target.load === "close" ? mpmd.close : mpmd.keepAlive).latencyMs?.p99;
      const theirs = (target.load === "close" ? peer.close : peer.keepAlive).latencyMs?.p99;
      if (ours === undefined || theirs === undefined || theirs === 0) return unmeasured;
      const value = ours / theirs;
      return { ...named, value, verdict: value <= target.maxRatio ? "PASS" : "MISS" };
    }
    const ours = throughput(mpmd, target.load);
    const theirs = throughput(peer, target.load);
    if (ours === null || theirs === null || theirs === 0) return unmeasured;
    const value = ours / theirs;
    return { ...named, value, verdict: value >= target.minRatio ? "PASS" : "MISS" };
  });
}

/** A goal's ratio as written in the targets: `1.5`, `1.0`, `0.95` (never rounded to `0.9`). */
const ratio = (n: number) => Number.isInteger(n) ? n.toFixed(1) : String(n);

/** One line per evaluated target, as the report prints it. */
export function targetLine(outcome: TargetOutcome): string {
  const who = outcome.reference ?? "mpmd";
  const value = outcome.value === null
    ? "-"
    : outcome.kind === "no errors"
    ? String(outcome.value)
    : `${outcome.value.toFixed(2)}x`;
  const goal = outcome.kind === "throughput"
    ? `${outcome.load} >= ${ratio(outcome.minRatio)}x ${outcome.peer}`
    : outcome.kind === "p99"
    ? `p99 ${outcome.load} <= ${ratio(outcome.maxRatio)}x ${outcome.peer}`
    : "failed requests = 0";
  return `  ${who} ${goal}: ${value} ${outcome.verdict}`;
}
