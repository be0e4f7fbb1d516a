/**
 * The scoreboard's fixed binary layout (httpd's `scoreboard.h` as bytes): a header, then one
 * region per process slot (ServerLimit of them), each a process record followed by ThreadLimit
 * thread slot records. All numbers are little-endian; strings are UTF-8 in fixed-size fields,
 * truncated at a character boundary. Pure: no I/O, no clock.
 *
 * @module
 */

import { SLOT_STATES, type SlotState } from "./scoreboard_snapshot.ts";

/** The file's first four bytes, "MPSB" read as a little-endian number. */
export const SCOREBOARD_MAGIC = 0x4253504d;
/** Bumped whenever a field moves: a reader refuses a file of another version. */
export const SCOREBOARD_LAYOUT_VERSION = 6;
/** Bytes of the file header: identity, then the parent's ledger of events and retired tallies. */
export const HEADER_BYTES = 576;
/** Bytes of a process record, at the start of each process region. */
export const PROCESS_RECORD_BYTES = 64;
/** Bytes of a thread slot record: one cache line multiple, so two threads never share a line. */
export const SLOT_RECORD_BYTES = 512;
/** Bytes kept of a request line (httpd keeps 64 too). */
export const REQUEST_LINE_BYTES = 64;
/** Bytes kept of a client address: the longest IPv6 text form (45) fits. */
export const CLIENT_BYTES = 48;
/** Bytes kept of a virtual host name. */
export const VHOST_BYTES = 64;

/**
 * Upper bounds (ms) of the request-duration histogram's buckets: Prometheus's default
 * buckets for HTTP latency. One more bucket counts what is slower than the last.
 */
export const DURATION_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;
/** Counters per histogram: one per bound and the overflow bucket. */
export const DURATION_BUCKET_COUNT: number = DURATION_BUCKETS_MS.length + 1;

/** The request methods counted apart in responses by method and status class; the rest is `other`. */
export const COUNTED_METHODS = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "OPTIONS",
  "other",
] as const;
/** Status classes, by a response's first digit. */
export const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"] as const;
/** Counters of responses: one per counted method and status class, method-major. */
export const RESPONSE_KIND_COUNT: number = COUNTED_METHODS.length * STATUS_CLASSES.length;

/** The method and status class of response counter `kind`. */
export function responseKindLabels(
  kind: number,
): { readonly method: string; readonly code: string } {
  const classes = STATUS_CLASSES.length;
  return {
    method: COUNTED_METHODS[Math.floor(kind / classes)]!,
    code: STATUS_CLASSES[kind % classes]!,
  };
}

/**
 * The counter a response of `status` to a `method` request is counted in. A status outside
 * 100–599 (none is sent) counts as 5xx; a request that had no method (refused before it was
 * read) as `other`.
 */
export function responseKindOf(method: string, status: number): number {
  const index = COUNTED_METHODS.indexOf(method as typeof COUNTED_METHODS[number]);
  const methodIndex = index === -1 ? COUNTED_METHODS.length - 1 : index;
  const digit = Math.floor(status / 100);
  const classIndex = digit >= 1 && digit <= 5 ? digit - 1 : STATUS_CLASSES.length - 1;
  return methodIndex * STATUS_CLASSES.length + classIndex;
}

/**
 * Why a TLS handshake failed: the client's protocol version is refused (TLS 1.1 and older, or
 * one a host's SSLProtocol leaves out), the bytes are not TLS or not well-formed TLS (plain
 * HTTP, garbage, a malformed ClientHello, an unsolicited Certificate), the server's read
 * timeout ended a stalled handshake, or anything else (a client that closed mid-handshake).
 */
export const TLS_FAILURE_REASONS = ["version", "not_tls", "timeout", "other"] as const;
/** One of {@link TLS_FAILURE_REASONS}. */
export type TlsFailureReason = typeof TLS_FAILURE_REASONS[number];

/** The protocols requests are counted by; `HTTP/2` is counted for `HTTP/2.0` too. */
export const REQUEST_PROTOCOLS = ["HTTP/1.0", "HTTP/1.1", "HTTP/2"] as const;
/** One of {@link REQUEST_PROTOCOLS}. */
export type RequestProtocol = typeof REQUEST_PROTOCOLS[number];

/**
 * A slot's counters of connection events, by index: TLS handshakes completed, then failed by
 * each of {@link TLS_FAILURE_REASONS}, then requests by each of {@link REQUEST_PROTOCOLS}.
 */
export const CONNECTION_COUNTER_COUNT: number = 1 + TLS_FAILURE_REASONS.length +
  REQUEST_PROTOCOLS.length;

/** Where each event is counted among a slot's {@link CONNECTION_COUNTER_COUNT} counters. */
export const CONNECTION_COUNTERS = {
  tlsHandshakes: 0,
  tlsFailures: (reason: TlsFailureReason): number => 1 + TLS_FAILURE_REASONS.indexOf(reason),
  /** `-1` for a request of no counted protocol (a head that was never read). */
  requests: (protocol: string): number => {
    const index = REQUEST_PROTOCOLS.indexOf(
      (protocol === "HTTP/2.0" ? "HTTP/2" : protocol) as RequestProtocol,
    );
    return index === -1 ? -1 : 1 + TLS_FAILURE_REASONS.length + index;
  },
} as const;

/**
 * Slot states by their one-byte code. `.` is 0 so that a zero-filled region (a fresh file, a
 * cleared process) reads as open slots.
 */
export const SLOT_STATE_CODES: readonly SlotState[] = [
  ".",
  ...(Object.keys(SLOT_STATES) as SlotState[]).filter((key) => key !== "."),
];
const CODE_OF = new Map(SLOT_STATE_CODES.map((state, code) => [state, code]));

/** Byte offsets of the process record fields, from the start of its region. */
export const PROCESS_FIELDS = {
  pid: 0,
  generation: 4,
  flags: 8,
  slotCount: 12,
  /** Int32, changed with `Atomics.add` by any thread of the process. */
  connections: 16,
  /** Int32, changed with `Atomics.add` by any thread of the process. */
  keepAlive: 20,
  startedMs: 24,
  flushedMs: 32,
  /** Int32, changed with `Atomics.add`: connections accepted since the process started. */
  accepted: 40,
  /** Int32, changed with `Atomics.add`: connections waiting for or reading a request head. */
  reading: 44,
  /** Int32 bumped (and notified) whenever a connection stops needing a thread. */
  roomSeq: 48,
  /** Int32, changed with `Atomics.add`: Workers that died and were started again. */
  threadRestarts: 52,
  /** Int32, changed with `Atomics.add`: slots running as many handlers as they may at once. */
  fullSlots: 56,
  /** Int32, changed with `Atomics.add`: connections that switched protocols and tunnel bytes. */
  tunnels: 60,
} as const;

/** Bits of the process record's `flags` field. */
export const PROCESS_FLAGS = { quiescing: 1, notAccepting: 2 } as const;

/** Byte offsets of the slot record fields, from the start of the slot record. */
export const SLOT_FIELDS = {
  /** Int32 seqlock counter: odd while a writer is inside the record. */
  seq: 0,
  state: 4,
  lineLength: 5,
  clientLength: 6,
  vhostLength: 7,
  accessCount: 8,
  bytesServed: 16,
  lastUsedMs: 24,
  requestStartMs: 32,
  lastRequestMs: 40,
  line: 48,
  client: 48 + REQUEST_LINE_BYTES,
  vhost: 48 + REQUEST_LINE_BYTES + CLIENT_BYTES,
  /** Float64 stamped by the slot's own timer: it stops moving while the slot's isolate is stuck. */
  heartbeatMs: 48 + REQUEST_LINE_BYTES + CLIENT_BYTES + VHOST_BYTES,
  /** Float64: the sum of every finished request's duration, in ms. */
  totalDurationMs: 56 + REQUEST_LINE_BYTES + CLIENT_BYTES + VHOST_BYTES,
  /** {@link DURATION_BUCKET_COUNT} Uint32 counters: finished requests by duration bucket. */
  durationBuckets: 64 + REQUEST_LINE_BYTES + CLIENT_BYTES + VHOST_BYTES,
  /** {@link RESPONSE_KIND_COUNT} Uint32 counters: responses by method and status class. */
  responseKinds: 64 + REQUEST_LINE_BYTES + CLIENT_BYTES + VHOST_BYTES + 4 * DURATION_BUCKET_COUNT,
  /** {@link CONNECTION_COUNTER_COUNT} Uint32 counters: handshakes, and requests by protocol. */
  connectionCounters: 64 + REQUEST_LINE_BYTES + CLIENT_BYTES + VHOST_BYTES +
    4 * (DURATION_BUCKET_COUNT + RESPONSE_KIND_COUNT),
} as const;

/** A process record; `pid` 0 means the process slot is empty. */
export interface ProcessRecord {
  /** Pid of the process using this region. */
  readonly pid: number;
  /** The generation that started the process. */
  readonly generation: number;
  /** Finishing its connections before it exits (retired, recycled or of an old generation). */
  readonly quiescing: boolean;
  /** Not accepting new connections for now (event's per-process connection limit). */
  readonly notAccepting: boolean;
  /** Open connections of the process, keep-alive ones included. */
  readonly connections: number;
  /** Connections idle in keep-alive. */
  readonly keepAlive: number;
  /** When the process started (ms since the epoch). */
  readonly startedMs: number;
  /** When the process last copied its region to the file (ms since the epoch). */
  readonly flushedMs: number;
  /** Connections accepted since the process started (MaxConnectionsPerChild counts these). */
  readonly accepted: number;
  /** Worker threads of the process that died and were started again. */
  readonly threadRestarts: number;
}

/** A thread slot record (the process's only slot under prefork). */
export interface SlotRecord {
  /** What the slot is doing, as a mod_status letter. */
  readonly state: SlotState;
  /** Requests served by this slot. */
  readonly accessCount: number;
  /** Body bytes sent by this slot. */
  readonly bytesServed: number;
  /** When the slot last started or finished a request (ms since the epoch); 0 if never. */
  readonly lastUsedMs: number;
  /** When the current (or last) request started (ms since the epoch); 0 if never. */
  readonly requestStartMs: number;
  /** How long the last finished request took, in ms. */
  readonly lastRequestMs: number;
  /** The current (or last) request line, truncated to {@link REQUEST_LINE_BYTES}. */
  readonly request: string;
  /** The client address, truncated to {@link CLIENT_BYTES}. */
  readonly client: string;
  /** The virtual host, truncated to {@link VHOST_BYTES}. */
  readonly vhost: string;
  /**
   * When the slot's isolate last proved it runs (ms since the epoch; 0 if never): a slot busy
   * in a handler keeps this moving, a slot stuck in a loop does not.
   */
  readonly heartbeatMs: number;
  /** The sum of the durations of the requests it finished, in ms. */
  readonly totalDurationMs: number;
  /** Its finished requests by duration bucket ({@link DURATION_BUCKETS_MS}, then overflow). */
  readonly durationBuckets: readonly number[];
  /** Its responses by method and status class ({@link responseKindOf}). */
  readonly responseKinds: readonly number[];
  /** Its TLS handshakes and requests by protocol ({@link CONNECTION_COUNTERS}). */
  readonly connectionCounters: readonly number[];
}

/** A slot that never ran: what a zero-filled record decodes to. */
export const EMPTY_SLOT: SlotRecord = {
  state: ".",
  accessCount: 0,
  bytesServed: 0,
  lastUsedMs: 0,
  requestStartMs: 0,
  lastRequestMs: 0,
  request: "",
  client: "",
  vhost: "",
  heartbeatMs: 0,
  totalDurationMs: 0,
  durationBuckets: new Array<number>(DURATION_BUCKET_COUNT).fill(0),
  responseKinds: new Array<number>(RESPONSE_KIND_COUNT).fill(0),
  connectionCounters: new Array<number>(CONNECTION_COUNTER_COUNT).fill(0),
};

/** Bytes of one process region: its record and its `threadLimit` slot records. */
export function regionBytes(threadLimit: number): number {
  return PROCESS_RECORD_BYTES + threadLimit * SLOT_RECORD_BYTES;
}

/** Offset of process region `index` in the file. */
export function regionOffset(index: number, threadLimit: number): number {
  return HEADER_BYTES + index * regionBytes(threadLimit);
}

/** Offset of slot `slot` from the start of its process region. */
export function slotOffset(slot: number): number {
  return PROCESS_RECORD_BYTES + slot * SLOT_RECORD_BYTES;
}

/** Size of the whole file for these limits. */
export function scoreboardBytes(serverLimit: number, threadLimit: number): number {
  return regionOffset(serverLimit, threadLimit);
}

/** The one-byte code of a slot state. */
export function slotStateCode(state: SlotState): number {
  return CODE_OF.get(state) ?? 0;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes `text` as UTF-8 into `bytes[offset, offset + capacity)`, cut at a character boundary,
 * and returns the number of bytes written. Stale bytes past the end are left: readers use the
 * stored length.
 */
export function writeText(
  bytes: Uint8Array,
  offset: number,
  capacity: number,
  text: string,
): number {
  // Request lines, addresses and host names are nearly always ASCII: copying char codes is
  // ~40 ns where `encodeInto` costs ~170 ns a call (measured), and this runs three times per
  // request. The first non-ASCII character hands the rest to the encoder.
  const end = Math.min(text.length, capacity);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) {
      const rest = bytes.subarray(offset + i, offset + capacity);
      return i + encoder.encodeInto(text.slice(i), rest).written;
    }
    bytes[offset + i] = code;
  }
  return end;
}

function readText(bytes: Uint8Array, offset: number, length: number): string {
  return decoder.decode(bytes.subarray(offset, offset + length));
}

/** Writes a process record at `offset` of `view`, with room for `slotCount` slots. */
export function encodeProcess(
  view: DataView,
  offset: number,
  record: ProcessRecord & { readonly slotCount: number },
): void {
  const flags = (record.quiescing ? PROCESS_FLAGS.quiescing : 0) |
    (record.notAccepting ? PROCESS_FLAGS.notAccepting : 0);
  view.setUint32(offset + PROCESS_FIELDS.pid, record.pid, true);
  view.setUint32(offset + PROCESS_FIELDS.generation, record.generation, true);
  view.setUint32(offset + PROCESS_FIELDS.flags, flags, true);
  view.setUint32(offset + PROCESS_FIELDS.slotCount, record.slotCount, true);
  view.setInt32(offset + PROCESS_FIELDS.connections, record.connections, true);
  view.setInt32(offset + PROCESS_FIELDS.keepAlive, record.keepAlive, true);
  view.setFloat64(offset + PROCESS_FIELDS.startedMs, record.startedMs, true);
  view.setFloat64(offset + PROCESS_FIELDS.flushedMs, record.flushedMs, true);
  view.setInt32(offset + PROCESS_FIELDS.accepted, record.accepted, true);
  view.setInt32(offset + PROCESS_FIELDS.threadRestarts, record.threadRestarts, true);
}

/** Reads the process record at `offset` of `view`. */
export function decodeProcess(view: DataView, offset: number): ProcessRecord {
  const flags = view.getUint32(offset + PROCESS_FIELDS.flags, true);
  return {
    pid: view.getUint32(offset + PROCESS_FIELDS.pid, true),
    generation: view.getUint32(offset + PROCESS_FIELDS.generation, true),
    quiescing: (flags & PROCESS_FLAGS.quiescing) !== 0,
    notAccepting: (flags & PROCESS_FLAGS.notAccepting) !== 0,
    connections: view.getInt32(offset + PROCESS_FIELDS.connections, true),
    keepAlive: view.getInt32(offset + PROCESS_FIELDS.keepAlive, true),
    startedMs: view.getFloat64(offset + PROCESS_FIELDS.startedMs, true),
    flushedMs: view.getFloat64(offset + PROCESS_FIELDS.flushedMs, true),
    accepted: view.getInt32(offset + PROCESS_FIELDS.accepted, true),
    threadRestarts: view.getInt32(offset + PROCESS_FIELDS.threadRestarts, true),
  };
}

/** Writes a slot record at `offset` of `view` (the seqlock counter is left as it is). */
export function encodeSlot(view: DataView, offset: number, record: SlotRecord): void {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  view.setUint8(offset + SLOT_FIELDS.state, slotStateCode(record.state));
  view.setFloat64(offset + SLOT_FIELDS.accessCount, record.accessCount, true);
  view.setFloat64(offset + SLOT_FIELDS.bytesServed, record.bytesServed, true);
  view.setFloat64(offset + SLOT_FIELDS.lastUsedMs, record.lastUsedMs, true);
  view.setFloat64(offset + SLOT_FIELDS.requestStartMs, record.requestStartMs, true);
  view.setFloat64(offset + SLOT_FIELDS.lastRequestMs, record.lastRequestMs, true);
  view.setFloat64(offset + SLOT_FIELDS.heartbeatMs, record.heartbeatMs, true);
  view.setFloat64(offset + SLOT_FIELDS.totalDurationMs, record.totalDurationMs, true);
  for (let bucket = 0; bucket < DURATION_BUCKET_COUNT; bucket++) {
    const count = record.durationBuckets[bucket] ?? 0;
    view.setUint32(offset + SLOT_FIELDS.durationBuckets + 4 * bucket, count, true);
  }
  for (let kind = 0; kind < RESPONSE_KIND_COUNT; kind++) {
    const count = record.responseKinds[kind] ?? 0;
    view.setUint32(offset + SLOT_FIELDS.responseKinds + 4 * kind, count, true);
  }
  for (let counter = 0; counter < CONNECTION_COUNTER_COUNT; counter++) {
    const count = record.connectionCounters[counter] ?? 0;
    view.setUint32(offset + SLOT_FIELDS.connectionCounters + 4 * counter, count, true);
  }
  writeRequestText(view, bytes, offset, record);
}

/**
 * Writes a slot's three strings and their lengths; shared by {@link encodeSlot} and the
 * per-request writer so both produce the same bytes.
 */
export function writeRequestText(
  view: DataView,
  bytes: Uint8Array,
  offset: number,
  text: { readonly request: string; readonly client: string; readonly vhost: string },
): void {
  const line = writeText(bytes, offset + SLOT_FIELDS.line, REQUEST_LINE_BYTES, text.request);
  const client = writeText(bytes, offset + SLOT_FIELDS.client, CLIENT_BYTES, text.client);
  const vhost = writeText(bytes, offset + SLOT_FIELDS.vhost, VHOST_BYTES, text.vhost);
  view.setUint8(offset + SLOT_FIELDS.lineLength, line);
  view.setUint8(offset + SLOT_FIELDS.clientLength, client);
  view.setUint8(offset + SLOT_FIELDS.vhostLength, vhost);
}

/** Reads the slot record at `offset` of `view`; an unknown state code reads as `.`. */
export function decodeSlot(view: DataView, offset: number): SlotRecord {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return {
    state: SLOT_STATE_CODES[view.getUint8(offset + SLOT_FIELDS.state)] ?? ".",
    accessCount: view.getFloat64(offset + SLOT_FIELDS.accessCount, true),
    bytesServed: view.getFloat64(offset + SLOT_FIELDS.bytesServed, true),
    lastUsedMs: view.getFloat64(offset + SLOT_FIELDS.lastUsedMs, true),
    requestStartMs: view.getFloat64(offset + SLOT_FIELDS.requestStartMs, true),
    lastRequestMs: view.getFloat64(offset + SLOT_FIELDS.lastRequestMs, true),
    request: readText(bytes, offset + SLOT_FIELDS.line, lengthAt(view, offset, "lineLength")),
    client: readText(bytes, offset + SLOT_FIELDS.client, lengthAt(view, offset, "clientLength")),
    vhost: readText(bytes, offset + SLOT_FIELDS.vhost, lengthAt(view, offset, "vhostLength")),
    heartbeatMs: view.getFloat64(offset + SLOT_FIELDS.heartbeatMs, true),
    totalDurationMs: view.getFloat64(offset + SLOT_FIELDS.totalDurationMs, true),
    durationBuckets: Array.from(
      { length: DURATION_BUCKET_COUNT },
      (_, bucket) => view.getUint32(offset + SLOT_FIELDS.durationBuckets + 4 * bucket, true),
    ),
    responseKinds: Array.from(
      { length: RESPONSE_KIND_COUNT },
      (_, kind) => view.getUint32(offset + SLOT_FIELDS.responseKinds + 4 * kind, true),
    ),
    connectionCounters: Array.from(
      { length: CONNECTION_COUNTER_COUNT },
      (_, counter) => view.getUint32(offset + SLOT_FIELDS.connectionCounters + 4 * counter, true),
    ),
  };
}

/** The bucket a request of `durationMs` is counted in: the first bound it does not exceed. */
export function durationBucketOf(durationMs: number): number {
  for (let bucket = 0; bucket < DURATION_BUCKETS_MS.length; bucket++) {
    if (durationMs <= DURATION_BUCKETS_MS[bucket]!) return bucket;
  }
  return DURATION_BUCKETS_MS.length;
}

const CAPACITY = {
  lineLength: REQUEST_LINE_BYTES,
  clientLength: CLIENT_BYTES,
  vhostLength: VHOST_BYTES,
} as const;

// A length byte from a torn or foreign record must not read past its field.
function lengthAt(view: DataView, offset: number, field: keyof typeof CAPACITY): number {
  return Math.min(view.getUint8(offset + SLOT_FIELDS[field]), CAPACITY[field]);
}
