/**
 * The benchmark tool behind `deno task bench` (entry point: `bench/bench.ts`), which measures
 * mpmd against nginx and Apache httpd on one machine. This module exposes its pure parts:
 * report parsers, config builders, target evaluation and rendering.
 *
 * @example
 * ```ts
 * import { parseWrkOutput } from "./mod.ts";
 *
 * const { stdout } = await new Deno.Command("wrk", {
 *   args: ["-t1", "-c50", "-d5s", "--latency", "http://127.0.0.1:8080/1k.txt"],
 * }).output();
 * const result = parseWrkOutput(new TextDecoder().decode(stdout));
 * // result.requestsPerSec, result.errors, result.latencyMs?.p99
 * ```
 *
 * @module
 */

export { type AbOptions, type AbResult, parseAbOutput, runAb } from "./ab.ts";
export { BenchError } from "./bench_error.ts";
export {
  H2_TARGETS,
  H2LOAD_DEFAULTS,
  h2loadArgs,
  type H2loadOptions,
  type H2loadResult,
  parseH2loadOutput,
  renderH2,
  runH2load,
} from "./h2load.ts";
export {
  HOSTILE_DEFAULTS,
  type HostileOptions,
  type HostileResult,
  quantile,
  renderHostile,
  runHostile,
} from "./hostile.ts";
export {
  allContenders,
  APP_MPMD_VARIANTS,
  appContenders,
  type Contender,
  type ContenderOptions,
  type ContenderRole,
  DEFAULT_MPMD_VARIANTS,
  EVENT_MPMD_VARIANTS,
  eventContenders,
  HELLO_APP,
  HOSTILE_MPMD_VARIANTS,
  type LaunchSpec,
  MPMD_DENO_CONFIG,
  MPMD_ENTRY,
  mpmdCommand,
  selectContenders,
  SLOT_MATCHES,
  SLOT_MPMD_VARIANTS,
  slotContenders,
  slotPairs,
} from "./contenders.ts";
export { cpuModelFromLscpu, type MachineFacts, machineFacts } from "./machine.ts";
export {
  BENCH_DEFAULTS,
  type BenchOptions,
  GZIP_LEVEL,
  parseBenchArgs,
  SLOTS,
  USAGE,
} from "./options.ts";
export {
  dechunk,
  type ExpectedFile,
  gzipMismatch,
  parseProbeResponse,
  probeGzip,
  probeMismatch,
  type ProbeResponse,
  waitUntilServing,
} from "./probe.ts";
export { findProgram, programVersion, versionFromOutput } from "./programs.ts";
export {
  type BenchReport,
  type BenchSettings,
  type ContenderOutcome,
  type HttpsResult,
  type MeasuredOutcome,
  renderReport,
} from "./report.ts";
export { combineRounds, medianRun } from "./rounds.ts";
export {
  APP_TARGETS,
  evaluateTargets,
  GZIP_TARGETS,
  referenceOf,
  slotTargets,
  type Target,
  TARGET_LOADS,
  targetLine,
  type TargetLoad,
  type TargetOutcome,
  TARGETS,
} from "./targets.ts";
export {
  DEBIAN_HTTPD_MODULES_DIR,
  DEBIAN_HTTPD_MPM_DIRECTIVES,
  HTTPD_MPMS,
  httpdConfig,
  type HttpdMpm,
  httpdSlotDirectives,
  mpmdConfig,
  mpmdSlotSections,
  nginxConfig,
  type SiteLayout,
  type TlsListener,
} from "./server_configs.ts";
export {
  DEFAULT_STOP_GRACE_MS,
  ServerProcess,
  SESSION_LEADER,
  startServer,
  type StopOutcome,
} from "./server_process.ts";
export {
  type LatencyMs,
  parseWrkOutput,
  runWrk,
  type SocketErrors,
  wrkArgs,
  type WrkOptions,
  type WrkResult,
} from "./wrk.ts";
