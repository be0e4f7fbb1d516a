/**
 * The benchmark's command line: flags, their defaults and their validation.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { BenchError } from "./bench_error.ts";
import { HOSTILE_DEFAULTS } from "./hostile.ts";
import { H2LOAD_DEFAULTS } from "./h2load.ts";
import {
  APP_MPMD_VARIANTS,
  DEFAULT_MPMD_VARIANTS,
  EVENT_MPMD_VARIANTS,
  HOSTILE_MPMD_VARIANTS,
  MPMD_ENTRY,
  SLOT_MPMD_VARIANTS,
} from "./contenders.ts";

/** The settled options of one benchmark run; every field filled. */
export interface BenchOptions {
  /** Seconds of each measured wrk run. @default 5 */
  readonly durationSec: number;
  /** Seconds of untimed load before measuring each server (0 skips it). @default 1 */
  readonly warmupSec: number;
  /** wrk `-c`. @default 50 */
  readonly connections: number;
  /** wrk `-t`. @default 1 */
  readonly threads: number;
  /** Requests per keep-alive connection, the same for every server. @default 100 */
  readonly keepAliveRequests: number;
  /**
   * Measure every contender this many times, in turn, and report each column's median run
   * (see `rounds.ts`). @default 1
   */
  readonly rounds: number;
  /** Contender names (or prefixes) to run; empty runs all. @default [] */
  readonly only: readonly string[];
  /** One mpmd run per entry with these flags. @default DEFAULT_MPMD_VARIANTS */
  readonly mpmdVariants: readonly (readonly string[])[];
  /** mpmd's entry module. @default MPMD_ENTRY */
  readonly mpmdEntry: string;
  /** Also run `ab -k` as a cross-check. @default false */
  readonly ab: boolean;
  /**
   * Benchmark examples/apps/hello instead of a static file: mpmd (event and prefork unless
   * `--mpmd` says otherwise) against `deno serve --parallel`. @default false
   */
  readonly app: boolean;
  /**
   * Proxy the file instead of serving it: mpmd (event unless `--mpmd` says otherwise), Apache
   * event with mod_proxy and nginx's proxy_pass, each to the same nginx backend.
   * @default false
   */
  readonly proxy: boolean;
  /**
   * Compare pools of {@link SLOTS} slots: mpmd's prefork, worker, winnt, netware and mpmt_os2
   * against Apache's prefork and worker, with as many connections as slots and ab -k.
   * @default false
   */
  readonly slots: boolean;
  /**
   * Instead of load, slow clients ({@link slowClients} of them, see `hostile.ts`) beside a
   * normal client, for {@link durationSec} (20 s unless given). @default false
   */
  readonly hostile: boolean;
  /**
   * gzip on the fly: a generated 100 KiB HTML page asked for with `Accept-Encoding: gzip`,
   * compressed at level {@link GZIP_LEVEL} by mpmd (event unless `--mpmd` says otherwise),
   * nginx and Apache's event MPM. @default false
   */
  readonly gzip: boolean;
  /**
   * Instead of wrk: HTTP/2 over TLS with h2load at 100 streams per connection, mpmd (event)
   * against nginx and Apache's event MPM with mod_http2 (see `h2load.ts`). @default false
   */
  readonly h2: boolean;
  /** Slow connections under `--hostile`. @default 300 */
  readonly slowClients: number;
  /** Write the results as JSON to this file. @default null */
  readonly jsonFile: string | null;
  /** Print the usage and exit. @default false */
  readonly help: boolean;
}

/** The zlib level every server compresses at under `--gzip` (zlib's and httpd's default). */
export const GZIP_LEVEL = 6;

/** Slots per pool under `--slots`, and its connections unless `--connections` says otherwise. */
export const SLOTS = 4;

/** Defaults of {@link BenchOptions}. */
export const BENCH_DEFAULTS: BenchOptions = {
  durationSec: 5,
  warmupSec: 1,
  connections: 50,
  threads: 1,
  // httpd's MaxKeepAliveRequests default, also what Debian's apache2.conf ships.
  keepAliveRequests: 100,
  rounds: 1,
  only: [],
  mpmdVariants: DEFAULT_MPMD_VARIANTS,
  mpmdEntry: MPMD_ENTRY,
  ab: false,
  app: false,
  proxy: false,
  slots: false,
  hostile: false,
  gzip: false,
  h2: false,
  slowClients: HOSTILE_DEFAULTS.slowClients,
  jsonFile: null,
  help: false,
};

/** The text printed by `--help`. */
export const USAGE = `Usage: deno task bench [options]

Serves a 1 KiB text file from mpmd, nginx and Apache httpd (event, worker, prefork), one
server at a time, loads each with wrk (keep-alive, then Connection: close) and prints
req/s ratios. Needs Debian's wrk, nginx and apache2 packages (missing servers are skipped).

Options:
  --duration SEC            seconds per measured run (default ${BENCH_DEFAULTS.durationSec})
  --warmup SEC              seconds of warm-up per server, 0 to skip (default ${BENCH_DEFAULTS.warmupSec})
  --connections N           wrk -c (default ${BENCH_DEFAULTS.connections})
  --threads N               wrk -t (default ${BENCH_DEFAULTS.threads})
  --keepalive-requests N    requests per keep-alive connection, all servers (default ${BENCH_DEFAULTS.keepAliveRequests}, 0 = unlimited)
  --rounds N                measure every contender N times, in turn, and report each
                            column's median run: the machine's speed drifts between runs
                            (default ${BENCH_DEFAULTS.rounds}; not with --h2 or --hostile)
  --only NAMES              comma-separated contenders: mpmd, nginx, apache, apache-event, ...
  --mpmd="FLAGS"            benchmark mpmd with these flags; repeat for several runs
                            (default: "--mpm event", "--mpm event -D VHOSTS" (three
                            virtual hosts, five <Directory> sections), "-X", "--mpm prefork")
  --mpmd-entry FILE         mpmd entry module (default: main.ts of this checkout)
  --ab                      also run ab -k as a cross-check
  --app                     serve examples/apps/hello instead: mpmd (default: "--mpm event
                            -c 'HttpEngine native'", "--mpm event" and "--mpm prefork")
                            against deno serve --parallel
  --proxy                   proxy the file from an nginx backend the run starts: mpmd (default
                            "--mpm event") against Apache event (mod_proxy) and nginx
                            (proxy_pass), each to that same backend
  --slots                   pools of ${SLOTS} slots: mpmd prefork, worker, winnt, netware and
                            mpmt_os2 against Apache prefork (${SLOTS} children) and worker
                            (1 x ${SLOTS} threads), ${SLOTS} connections, with ab -k
  --hostile                 instead of load: ${HOSTILE_DEFAULTS.slowClients} slow clients (one header byte every
                            ${
  HOSTILE_DEFAULTS.byteEveryMs / 1000
} s) beside a normal client for ${HOSTILE_DEFAULTS.durationSec} s (--duration), against mpmd
                            (default: "--mpm event", "--mpm prefork"), nginx and Apache
  --gzip                    a generated 100 KiB HTML page compressed on the fly (gzip level
                            ${GZIP_LEVEL} everywhere, Accept-Encoding: gzip): mpmd (default: "--mpm
                            event") against nginx (gzip on) and Apache event (mod_deflate)
  --h2                      instead of wrk: HTTP/2 over TLS with h2load (-n ${H2LOAD_DEFAULTS.requests} -c ${H2LOAD_DEFAULTS.clients}
                            -m ${H2LOAD_DEFAULTS.streams}), mpmd (default: "--mpm event") against nginx
                            (http2) and Apache event (mod_http2); needs Debian's nghttp2-client
  --slow-clients N          slow connections under --hostile (default ${HOSTILE_DEFAULTS.slowClients})
  --json FILE               write the results as JSON to FILE
  --help                    show this text
`;

function positiveInteger(flag: string, value: string | undefined, fallback: number, min: number) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new BenchError(`Cannot use --${flag} ${value}: expected an integer >= ${min}`);
  }
  return n;
}

/**
 * Parses the command line into {@link BenchOptions}.
 *
 * @throws {BenchError} on an unknown flag or a bad value.
 */
export function parseBenchArgs(args: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: "string" },
        warmup: { type: "string" },
        connections: { type: "string" },
        threads: { type: "string" },
        "keepalive-requests": { type: "string" },
        rounds: { type: "string" },
        only: { type: "string" },
        mpmd: { type: "string", multiple: true },
        "mpmd-entry": { type: "string" },
        ab: { type: "boolean" },
        app: { type: "boolean" },
        proxy: { type: "boolean" },
        slots: { type: "boolean" },
        hostile: { type: "boolean" },
        gzip: { type: "boolean" },
        h2: { type: "boolean" },
        "slow-clients": { type: "string" },
        json: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BenchError(`Cannot parse the command line: ${reason}`, { cause: error });
  }
  const modes = (["app", "proxy", "gzip", "h2", "slots", "hostile"] as const).filter((mode) =>
    values[mode]
  );
  if (modes.length > 1) {
    throw new BenchError(
      `Cannot use ${modes.map((m) => `--${m}`).join(" with ")}: each is a benchmark of its own`,
    );
  }
  const rounds = positiveInteger("rounds", values.rounds, BENCH_DEFAULTS.rounds, 1);
  if (rounds > 1 && (values.h2 || values.hostile)) {
    throw new BenchError(
      `Cannot use --rounds with --${values.h2 ? "h2" : "hostile"}: one run each`,
    );
  }
  if (values.gzip && values.ab) {
    throw new BenchError("Cannot use --ab with --gzip: the cross-check sends no Accept-Encoding");
  }
  const d = BENCH_DEFAULTS;
  return {
    durationSec: positiveInteger(
      "duration",
      values.duration,
      values.hostile ? HOSTILE_DEFAULTS.durationSec : d.durationSec,
      1,
    ),
    warmupSec: positiveInteger("warmup", values.warmup, d.warmupSec, 0),
    connections: positiveInteger(
      "connections",
      values.connections,
      values.slots ? SLOTS : d.connections,
      1,
    ),
    threads: positiveInteger("threads", values.threads, d.threads, 1),
    keepAliveRequests: positiveInteger(
      "keepalive-requests",
      values["keepalive-requests"],
      d.keepAliveRequests,
      0,
    ),
    rounds,
    only: values.only?.split(",").map((s) => s.trim()).filter((s) => s !== "") ?? d.only,
    mpmdVariants: values.mpmd?.map((flags) => flags.split(/\s+/).filter((s) => s !== "")) ??
      (values.app
        ? APP_MPMD_VARIANTS
        : values.proxy || values.gzip || values.h2
        ? EVENT_MPMD_VARIANTS
        : values.slots
        ? SLOT_MPMD_VARIANTS
        : values.hostile
        ? HOSTILE_MPMD_VARIANTS
        : d.mpmdVariants),
    mpmdEntry: values["mpmd-entry"] ?? d.mpmdEntry,
    ab: values.ab ?? values.slots ?? d.ab,
    app: values.app ?? d.app,
    proxy: values.proxy ?? d.proxy,
    slots: values.slots ?? d.slots,
    hostile: values.hostile ?? d.hostile,
    gzip: values.gzip ?? d.gzip,
    h2: values.h2 ?? d.h2,
    slowClients: positiveInteger("slow-clients", values["slow-clients"], d.slowClients, 1),
    jsonFile: values.json ?? d.jsonFile,
    help: values.help ?? d.help,
  };
}
