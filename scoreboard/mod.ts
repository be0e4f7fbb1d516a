/**
 * The scoreboard, in the core as httpd keeps it: every slot's state and counts, which the
 * MPMs' maintenance decisions and the status page read. Its snapshot (`scoreboard_snapshot.ts`)
 * is the pure view the decisions take; its storage is a fixed binary layout (`layout.ts`, its header in `header.ts`), one
 * SharedArrayBuffer region per process that its main thread and Workers write without locks
 * or syscalls ({@link ProcessScoreboard}), a file on tmpfs that each process flushes its
 * region into every {@link FLUSH_INTERVAL_MS} ({@link ScoreboardFile}, {@link startFlushing}),
 * and a reader that any process uses to get a {@link ScoreboardDetail} — a
 * `ScoreboardSnapshot` for maintenance plans with the detail the status page shows.
 *
 * @example
 * ```ts
 * import {
 *   defaultScoreboardPath,
 *   ProcessScoreboard,
 *   readScoreboard,
 *   ScoreboardFile,
 *   startFlushing,
 * } from "./mod.ts";
 *
 * // Parent, at startup:
 * const path = defaultScoreboardPath(Deno.pid);
 * const parentFile = ScoreboardFile.create(path, {
 *   serverLimit: 16, threadLimit: 25, generation: 1, parentPid: Deno.pid, nowMs: Date.now(),
 * });
 *
 * // Child number 0:
 * const scoreboard = ProcessScoreboard.create({
 *   pid: Deno.pid, generation: 1, threadLimit: 25, nowMs: Date.now(),
 * });
 * const flusher = startFlushing({
 *   scoreboard, file: ScoreboardFile.open(path), index: 0, onError: console.error,
 * });
 * const slot = scoreboard.slot(0); // in a Worker: ProcessScoreboard.attach(buffer).slot(n)
 * slot.startRequest({ line: "GET / HTTP/1.1", client: "127.0.0.1", vhost: "localhost", nowMs: Date.now() });
 * slot.endRequest({
 *   bytes: 1024, durationMs: 3, nowMs: Date.now(), method: "GET", status: 200, protocol: "HTTP/1.1",
 * });
 * slot.countTlsHandshake("completed"); // or the reason it failed: "version", "not_tls", …
 * slot.setState("K");
 * flusher.stop();
 *
 * // Anyone:
 * const detail = await readScoreboard(path);
 * // Parent, after reaping child 0:
 * parentFile.clearProcess(0);
 * ```
 *
 * @module
 */

export {
  idleSlotsOf,
  isIdleSlot,
  isLiveSlot,
  isServing,
  liveSlotsOf,
  servingProcesses,
  SLOT_STATES,
  spareSlotsOf,
} from "./scoreboard_snapshot.ts";
export type {
  ProcessSnapshot,
  ScoreboardSnapshot,
  SlotSnapshot,
  SlotState,
} from "./scoreboard_snapshot.ts";
export { decodeScoreboard, decodeSoleProcess, secondsOnRequest } from "./decode_scoreboard.ts";
export type { ProcessDetail, ScoreboardDetail, SlotDetail } from "./decode_scoreboard.ts";
export { FLUSH_INTERVAL_MS, startFlushing } from "./flusher.ts";
export type { Flusher, FlusherOptions } from "./flusher.ts";
export {
  CLIENT_BYTES,
  CONNECTION_COUNTER_COUNT,
  CONNECTION_COUNTERS,
  COUNTED_METHODS,
  decodeProcess,
  decodeSlot,
  DURATION_BUCKET_COUNT,
  DURATION_BUCKETS_MS,
  durationBucketOf,
  EMPTY_SLOT,
  encodeProcess,
  encodeSlot,
  HEADER_BYTES,
  PROCESS_RECORD_BYTES,
  regionBytes,
  regionOffset,
  REQUEST_LINE_BYTES,
  REQUEST_PROTOCOLS,
  RESPONSE_KIND_COUNT,
  responseKindLabels,
  responseKindOf,
  SCOREBOARD_LAYOUT_VERSION,
  SCOREBOARD_MAGIC,
  scoreboardBytes,
  SLOT_RECORD_BYTES,
  SLOT_STATE_CODES,
  slotOffset,
  STATUS_CLASSES,
  TLS_FAILURE_REASONS,
  VHOST_BYTES,
} from "./layout.ts";
export type { ProcessRecord, RequestProtocol, SlotRecord, TlsFailureReason } from "./layout.ts";
export { decodeHeader, EMPTY_LEDGER, encodeHeader } from "./header.ts";
export type { HeaderRecord, Ledger, Tally } from "./header.ts";
export { addTallies, slotTally } from "./tally.ts";
export { ProcessScoreboard, SLOT_COPY_ATTEMPTS, SlotWriter } from "./process_scoreboard.ts";
export type {
  ProcessFlags,
  ProcessScoreboardOptions,
  RequestEnd,
  RequestStart,
} from "./process_scoreboard.ts";
export { ScoreboardError } from "./scoreboard_error.ts";
export {
  defaultScoreboardPath,
  readScoreboard,
  ScoreboardFile,
  SHARED_MEMORY_DIR,
} from "./scoreboard_file.ts";
export type { CreateScoreboardOptions, LiveRegion } from "./scoreboard_file.ts";
