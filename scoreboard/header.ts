/**
 * The scoreboard file's header: who made the file (magic, layout version, limits, parent,
 * generation, times) and the parent's ledger — what no process region outlives. Pure.
 *
 * @module
 */

import {
  CONNECTION_COUNTER_COUNT,
  DURATION_BUCKET_COUNT,
  HEADER_BYTES,
  RESPONSE_KIND_COUNT,
  SCOREBOARD_LAYOUT_VERSION,
  SCOREBOARD_MAGIC,
} from "./layout.ts";
import { ScoreboardError } from "./scoreboard_error.ts";

/** Byte offsets of the header fields. */
export const HEADER_FIELDS = {
  magic: 0,
  version: 4,
  serverLimit: 8,
  threadLimit: 12,
  generation: 16,
  parentPid: 20,
  startTimeMs: 24,
  restartTimeMs: 32,
  /** Uint32: children that exited when nobody asked them to (a crash, a kill). */
  childCrashes: 40,
  /** Uint32: children retired by MaxConnectionsPerChild. */
  childrenRecycled: 44,
  /** Float64 tallies of the processes that are gone, so that totals never go back. */
  retiredAccesses: 56,
  retiredBytes: 64,
  retiredDurationMs: 72,
  retiredThreadRestarts: 80,
  /** {@link DURATION_BUCKET_COUNT} Float64 counters. */
  retiredDurationBuckets: 88,
  /** {@link RESPONSE_KIND_COUNT} Float64 counters. */
  retiredResponseKinds: 88 + 8 * DURATION_BUCKET_COUNT,
  /** {@link MPM_NAME_BYTES} of ASCII, NUL-padded: the running generation's MPM. */
  mpm: 88 + 8 * (DURATION_BUCKET_COUNT + RESPONSE_KIND_COUNT),
  /** {@link CONNECTION_COUNTER_COUNT} Float64 counters. */
  retiredConnectionCounters: 96 + 8 * (DURATION_BUCKET_COUNT + RESPONSE_KIND_COUNT),
} as const;

/** Room for an MPM's name in the header: the longest, `mpmt_os2`, fits. */
export const MPM_NAME_BYTES = 8;

/** The whole file's header. */
export interface HeaderRecord {
  /** ServerLimit: the number of process regions. */
  readonly serverLimit: number;
  /** ThreadLimit: the number of slot records in each process region. */
  readonly threadLimit: number;
  /** The generation the parent runs now. */
  readonly generation: number;
  /** Pid of the parent that created the file. */
  readonly parentPid: number;
  /** When the parent started (ms since the epoch). */
  readonly startTimeMs: number;
  /** When the running generation started (ms since the epoch). */
  readonly restartTimeMs: number;
  /**
   * The MPM the running generation serves with (a restart may switch it), or `""` for a file
   * made without one.
   */
  readonly mpm: string;
  /** What the parent counted: crashes, recycling, and the tallies of gone processes. */
  readonly ledger: Ledger;
}

/** What a set of slots served: summed over slots, or kept for processes that are gone. */
export interface Tally {
  /** Requests served. */
  readonly accesses: number;
  /** Body bytes sent. */
  readonly bytes: number;
  /** The sum of the requests' durations, in ms. */
  readonly durationMs: number;
  /** Requests by duration bucket ({@link DURATION_BUCKETS_MS}, then the overflow bucket). */
  readonly durationBuckets: readonly number[];
  /** Responses by method and status class (`responseKindOf()` in layout.ts). */
  readonly responseKinds: readonly number[];
  /** TLS handshakes and requests by protocol (`CONNECTION_COUNTERS` in layout.ts). */
  readonly connectionCounters: readonly number[];
}

/**
 * The parent's counters in the header: what no process region outlives. (Restarts need no
 * counter: the generation is one more than their number.)
 */
export interface Ledger {
  /** Children that exited unasked (crashed, killed). */
  readonly childCrashes: number;
  /** Children retired by MaxConnectionsPerChild. */
  readonly childrenRecycled: number;
  /** Worker threads restarted by processes that are gone. */
  readonly retiredThreadRestarts: number;
  /** What the processes that are gone served. */
  readonly retired: Tally;
}

/** A ledger with nothing counted yet. */
export const EMPTY_LEDGER: Ledger = {
  childCrashes: 0,
  childrenRecycled: 0,
  retiredThreadRestarts: 0,
  retired: {
    accesses: 0,
    bytes: 0,
    durationMs: 0,
    durationBuckets: new Array<number>(DURATION_BUCKET_COUNT).fill(0),
    responseKinds: new Array<number>(RESPONSE_KIND_COUNT).fill(0),
    connectionCounters: new Array<number>(CONNECTION_COUNTER_COUNT).fill(0),
  },
};

/** Writes the header at offset 0 of `view`. */
export function encodeHeader(view: DataView, header: HeaderRecord): void {
  view.setUint32(HEADER_FIELDS.magic, SCOREBOARD_MAGIC, true);
  view.setUint16(HEADER_FIELDS.version, SCOREBOARD_LAYOUT_VERSION, true);
  view.setUint32(HEADER_FIELDS.serverLimit, header.serverLimit, true);
  view.setUint32(HEADER_FIELDS.threadLimit, header.threadLimit, true);
  view.setUint32(HEADER_FIELDS.generation, header.generation, true);
  view.setUint32(HEADER_FIELDS.parentPid, header.parentPid, true);
  view.setFloat64(HEADER_FIELDS.startTimeMs, header.startTimeMs, true);
  view.setFloat64(HEADER_FIELDS.restartTimeMs, header.restartTimeMs, true);
  const name = new TextEncoder().encode(header.mpm).subarray(0, MPM_NAME_BYTES);
  for (let i = 0; i < MPM_NAME_BYTES; i++) view.setUint8(HEADER_FIELDS.mpm + i, name[i] ?? 0);
  const { ledger } = header;
  view.setUint32(HEADER_FIELDS.childCrashes, ledger.childCrashes, true);
  view.setUint32(HEADER_FIELDS.childrenRecycled, ledger.childrenRecycled, true);
  view.setFloat64(HEADER_FIELDS.retiredAccesses, ledger.retired.accesses, true);
  view.setFloat64(HEADER_FIELDS.retiredBytes, ledger.retired.bytes, true);
  view.setFloat64(HEADER_FIELDS.retiredDurationMs, ledger.retired.durationMs, true);
  view.setFloat64(HEADER_FIELDS.retiredThreadRestarts, ledger.retiredThreadRestarts, true);
  for (let bucket = 0; bucket < DURATION_BUCKET_COUNT; bucket++) {
    const count = ledger.retired.durationBuckets[bucket] ?? 0;
    view.setFloat64(HEADER_FIELDS.retiredDurationBuckets + 8 * bucket, count, true);
  }
  for (let kind = 0; kind < RESPONSE_KIND_COUNT; kind++) {
    const count = ledger.retired.responseKinds[kind] ?? 0;
    view.setFloat64(HEADER_FIELDS.retiredResponseKinds + 8 * kind, count, true);
  }
  for (let counter = 0; counter < CONNECTION_COUNTER_COUNT; counter++) {
    const count = ledger.retired.connectionCounters[counter] ?? 0;
    view.setFloat64(HEADER_FIELDS.retiredConnectionCounters + 8 * counter, count, true);
  }
}

/**
 * Reads the header at offset 0 of `view`.
 *
 * @throws {ScoreboardError} if the magic number or layout version is not ours
 */
export function decodeHeader(view: DataView): HeaderRecord {
  if (view.byteLength < HEADER_BYTES) {
    throw new ScoreboardError(
      `Cannot read scoreboard header: ${view.byteLength} bytes, need ${HEADER_BYTES}`,
    );
  }
  const magic = view.getUint32(HEADER_FIELDS.magic, true);
  if (magic !== SCOREBOARD_MAGIC) {
    throw new ScoreboardError(
      `Cannot read scoreboard header: magic 0x${magic.toString(16)} is not 0x${
        SCOREBOARD_MAGIC.toString(16)
      }`,
    );
  }
  const version = view.getUint16(HEADER_FIELDS.version, true);
  if (version !== SCOREBOARD_LAYOUT_VERSION) {
    throw new ScoreboardError(
      `Cannot read scoreboard header: layout version ${version} is not ${SCOREBOARD_LAYOUT_VERSION}`,
    );
  }
  return {
    serverLimit: view.getUint32(HEADER_FIELDS.serverLimit, true),
    threadLimit: view.getUint32(HEADER_FIELDS.threadLimit, true),
    generation: view.getUint32(HEADER_FIELDS.generation, true),
    parentPid: view.getUint32(HEADER_FIELDS.parentPid, true),
    startTimeMs: view.getFloat64(HEADER_FIELDS.startTimeMs, true),
    restartTimeMs: view.getFloat64(HEADER_FIELDS.restartTimeMs, true),
    mpm: new TextDecoder().decode(
      new Uint8Array(view.buffer, view.byteOffset + HEADER_FIELDS.mpm, MPM_NAME_BYTES),
    ).replace(/\0+$/, ""),
    ledger: {
      childCrashes: view.getUint32(HEADER_FIELDS.childCrashes, true),
      childrenRecycled: view.getUint32(HEADER_FIELDS.childrenRecycled, true),
      retiredThreadRestarts: view.getFloat64(HEADER_FIELDS.retiredThreadRestarts, true),
      retired: {
        accesses: view.getFloat64(HEADER_FIELDS.retiredAccesses, true),
        bytes: view.getFloat64(HEADER_FIELDS.retiredBytes, true),
        durationMs: view.getFloat64(HEADER_FIELDS.retiredDurationMs, true),
        durationBuckets: Array.from(
          { length: DURATION_BUCKET_COUNT },
          (_, bucket) => view.getFloat64(HEADER_FIELDS.retiredDurationBuckets + 8 * bucket, true),
        ),
        responseKinds: Array.from(
          { length: RESPONSE_KIND_COUNT },
          (_, kind) => view.getFloat64(HEADER_FIELDS.retiredResponseKinds + 8 * kind, true),
        ),
        connectionCounters: Array.from(
          { length: CONNECTION_COUNTER_COUNT },
          (_, counter) =>
            view.getFloat64(HEADER_FIELDS.retiredConnectionCounters + 8 * counter, true),
        ),
      },
    },
  };
}
