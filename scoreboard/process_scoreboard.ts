/**
 * One process's part of the scoreboard: its region (process record and slot records, in the
 * layout of `layout.ts`) in a SharedArrayBuffer that the main thread and its Workers write
 * with plain typed-array writes — no lock, no syscall, no message per request. A flusher
 * copies the region to the shared file now and then (see `flusher.ts`).
 *
 * Tearing: each slot record has a seqlock counter that its writer makes odd while inside the
 * record; {@link ProcessScoreboard.copyRegion} retries a slot whose counter moved and never
 * keeps a torn copy, so a flushed slot is consistent (the plain copy between two `Atomics.load`
 * is ordered on x86-64; elsewhere a rare torn slot only misreports one slot for one flush).
 * Only one thread writes a given slot, so writers never contend. The
 * process record's counters are independent numbers changed with `Atomics`, so a copy taken
 * between two of them is still a true picture of some moment for each.
 *
 * @module
 */

import {
  CONNECTION_COUNTERS,
  durationBucketOf,
  encodeProcess,
  PROCESS_FIELDS,
  PROCESS_FLAGS,
  regionBytes,
  responseKindOf,
  SLOT_FIELDS,
  SLOT_RECORD_BYTES,
  SLOT_STATE_CODES,
  slotOffset,
  slotStateCode,
  type TlsFailureReason,
  writeRequestText,
} from "./layout.ts";
import { ScoreboardError } from "./scoreboard_error.ts";
import type { SlotState } from "./scoreboard_snapshot.ts";

/** How many times a flush tries to copy a slot whose writer keeps moving inside it. */
export const SLOT_COPY_ATTEMPTS = 16;

/** Who the process is: written once into its process record. */
export interface ProcessScoreboardOptions {
  /** Pid of the process that owns this region. */
  readonly pid: number;
  /** The generation that started the process. */
  readonly generation: number;
  /** ThreadLimit: how many slot records the region holds (1 under prefork). */
  readonly threadLimit: number;
  /** When the process started (ms since the epoch). */
  readonly nowMs: number;
}

/** The process-wide flags a maintenance plan reads; fields left out are not changed. */
export interface ProcessFlags {
  /** Finishing its connections before it exits (retired, recycled or of an old generation). */
  readonly quiescing?: boolean;
  /** Not accepting new connections for now (event's per-process connection limit). */
  readonly notAccepting?: boolean;
}

/** What a slot records when a request line has been read. */
export interface RequestStart {
  /** The request line; truncated to 64 bytes of UTF-8 in the record. */
  readonly line: string;
  /** The client address. */
  readonly client: string;
  /** The virtual host serving the request. */
  readonly vhost: string;
  /** When the request line was read (ms since the epoch): the request's start time. */
  readonly nowMs: number;
}

/** What a slot records when a response is done. */
export interface RequestEnd {
  /** Body bytes sent. */
  readonly bytes: number;
  /**
   * How long the request took, ms. Its own measure, not now minus the slot's start time: an
   * event thread serves several requests at once, and its record holds the latest start only.
   */
  readonly durationMs: number;
  /** When the response finished (ms since the epoch). */
  readonly nowMs: number;
  /** The request's method (`""` for one refused before it was read). */
  readonly method: string;
  /** The status sent. */
  readonly status: number;
  /**
   * The request's protocol as the access log's `%H` shows it: `HTTP/1.0`, `HTTP/1.1`,
   * `HTTP/2.0` (or `HTTP/2`); `""` for a request whose head was never read (not counted).
   */
  readonly protocol: string;
}

/** A process's scoreboard region, shared by its main thread and its Workers. */
export class ProcessScoreboard {
  /** The region; post it to a Worker, which calls {@link ProcessScoreboard.attach}. */
  readonly buffer: SharedArrayBuffer;
  /** The number of slot records (ThreadLimit). */
  readonly slotCount: number;
  readonly #view: DataView;
  readonly #bytes: Uint8Array;
  readonly #ints: Int32Array;
  readonly #scratch = new Uint8Array(SLOT_RECORD_BYTES);

  private constructor(buffer: SharedArrayBuffer, slotCount: number) {
    this.buffer = buffer;
    this.slotCount = slotCount;
    this.#view = new DataView(buffer);
    this.#bytes = new Uint8Array(buffer);
    this.#ints = new Int32Array(buffer);
  }

  /** Allocates a zero-filled region for this process: every slot open (`.`). */
  static create(options: ProcessScoreboardOptions): ProcessScoreboard {
    const { pid, generation, threadLimit, nowMs } = options;
    if (!Number.isInteger(threadLimit) || threadLimit < 1) {
      throw new ScoreboardError(
        `Cannot create process scoreboard: ThreadLimit ${threadLimit} is not a positive integer`,
      );
    }
    const scoreboard = new ProcessScoreboard(
      new SharedArrayBuffer(regionBytes(threadLimit)),
      threadLimit,
    );
    encodeProcess(scoreboard.#view, 0, {
      pid,
      generation,
      slotCount: threadLimit,
      quiescing: false,
      notAccepting: false,
      connections: 0,
      keepAlive: 0,
      startedMs: nowMs,
      flushedMs: 0,
      accepted: 0,
      threadRestarts: 0,
    });
    // The slots stay zero-filled, which is how an open slot (`.`, no counts) is encoded.
    return scoreboard;
  }

  /**
   * Wraps a region made by {@link ProcessScoreboard.create} in another thread.
   *
   * @throws {ScoreboardError} if the buffer's size does not match its slot count
   */
  static attach(buffer: SharedArrayBuffer): ProcessScoreboard {
    const slotCount = buffer.byteLength >= PROCESS_FIELDS.slotCount + 4
      ? new DataView(buffer).getUint32(PROCESS_FIELDS.slotCount, true)
      : 0;
    if (slotCount < 1 || buffer.byteLength !== regionBytes(slotCount)) {
      throw new ScoreboardError(
        `Cannot attach process scoreboard: ${buffer.byteLength} bytes do not hold ${slotCount} slots`,
      );
    }
    return new ProcessScoreboard(buffer, slotCount);
  }

  /**
   * The writer of slot `index`; only one thread may write a slot.
   *
   * @throws {RangeError} if `index` is not a slot of this region
   */
  slot(index: number): SlotWriter {
    if (!Number.isInteger(index) || index < 0 || index >= this.slotCount) {
      throw new RangeError(`Cannot write slot ${index}: the region has ${this.slotCount} slots`);
    }
    return new SlotWriter(this.#view, this.#bytes, this.#ints, slotOffset(index));
  }

  /** Sets or clears the process flags; safe from any thread. */
  setFlags(flags: ProcessFlags): void {
    const index = PROCESS_FIELDS.flags / 4;
    for (const [name, bit] of Object.entries(PROCESS_FLAGS)) {
      const value = flags[name as keyof ProcessFlags];
      if (value === true) Atomics.or(this.#ints, index, bit);
      if (value === false) Atomics.and(this.#ints, index, ~bit);
    }
  }

  /** Adds `delta` (negative to subtract) to the open connections; safe from any thread. */
  addConnections(delta: number): void {
    Atomics.add(this.#ints, PROCESS_FIELDS.connections / 4, delta);
  }

  /** Adds `delta` (negative to subtract) to the keep-alive connections; safe from any thread. */
  addKeepAlive(delta: number): void {
    Atomics.add(this.#ints, PROCESS_FIELDS.keepAlive / 4, delta);
  }

  /**
   * Adds `delta` (negative to subtract) to the connections waiting for or reading a request
   * head; safe from any thread.
   */
  addReading(delta: number): void {
    Atomics.add(this.#ints, PROCESS_FIELDS.reading / 4, delta);
  }

  /**
   * Adds `delta` (negative to subtract) to the connections tunnelling bytes after a protocol
   * switch; safe from any thread.
   */
  addTunnels(delta: number): void {
    Atomics.add(this.#ints, PROCESS_FIELDS.tunnels / 4, delta);
  }

  /** Adds `delta` (negative to subtract) to the slots that may run no more handlers. */
  addFullSlots(delta: number): void {
    Atomics.add(this.#ints, PROCESS_FIELDS.fullSlots / 4, delta);
  }

  /**
   * Counts one accepted connection; safe from any thread.
   *
   * @returns the process's total after this one (MaxConnectionsPerChild compares it).
   */
  countAccepted(): number {
    return Atomics.add(this.#ints, PROCESS_FIELDS.accepted / 4, 1) + 1;
  }

  /** Counts one Worker that died and was started again; safe from any thread. */
  countThreadRestart(): void {
    Atomics.add(this.#ints, PROCESS_FIELDS.threadRestarts / 4, 1);
  }

  /**
   * Tells every thread of the process that a connection stopped needing a thread (closed or
   * parked): a thread waiting for room under event's connection limit looks again.
   */
  signalRoom(): void {
    const index = PROCESS_FIELDS.roomSeq / 4;
    Atomics.add(this.#ints, index, 1);
    Atomics.notify(this.#ints, index);
  }

  /** Resolves at the next {@link signalRoom} of any thread, or after `timeoutMs`. */
  async waitForRoom(timeoutMs: number): Promise<void> {
    const index = PROCESS_FIELDS.roomSeq / 4;
    const waited = Atomics.waitAsync(this.#ints, index, Atomics.load(this.#ints, index), timeoutMs);
    if (waited.async) await waited.value;
  }

  /** What slot `index` is doing now (one byte read, no lock). */
  stateOf(index: number): SlotState {
    return SLOT_STATE_CODES[this.#bytes[slotOffset(index) + SLOT_FIELDS.state]!] ?? ".";
  }

  /** When slot `index` last stamped its heartbeat (ms since the epoch; 0 if never). */
  heartbeatOf(index: number): number {
    return this.#view.getFloat64(slotOffset(index) + SLOT_FIELDS.heartbeatMs, true);
  }

  /** The open connections of the whole process, as every thread counted them. */
  get connections(): number {
    return Atomics.load(this.#ints, PROCESS_FIELDS.connections / 4);
  }

  /** The kept-alive connections of the whole process, idle between requests. */
  get keepAlive(): number {
    return Atomics.load(this.#ints, PROCESS_FIELDS.keepAlive / 4);
  }

  /** The connections of the whole process waiting for or reading a request head. */
  get reading(): number {
    return Atomics.load(this.#ints, PROCESS_FIELDS.reading / 4);
  }

  /** The connections of the whole process tunnelling bytes after a protocol switch. */
  get tunnels(): number {
    return Atomics.load(this.#ints, PROCESS_FIELDS.tunnels / 4);
  }

  /** The slots of the process running as many handlers as they may (MaxRequestsPerThread). */
  get fullSlots(): number {
    return Atomics.load(this.#ints, PROCESS_FIELDS.fullSlots / 4);
  }

  /**
   * Stamps the flush time and copies the region into `target`, each slot consistent: a slot
   * whose seqlock counter was odd or moved during the copy is copied again, up to
   * {@link SLOT_COPY_ATTEMPTS} times; if its writer kept it busy all along, `target` keeps
   * that slot's previous copy (one flush older, open `.` in a new buffer) rather than a torn
   * one. Pass the same `target` each time to reuse it.
   */
  copyRegion(
    nowMs: number,
    target: Uint8Array = new Uint8Array(this.buffer.byteLength),
  ): Uint8Array {
    this.#view.setFloat64(PROCESS_FIELDS.flushedMs, nowMs, true);
    target.set(this.#bytes.subarray(0, slotOffset(0)));
    for (let slot = 0; slot < this.slotCount; slot++) {
      const start = slotOffset(slot);
      const seqIndex = (start + SLOT_FIELDS.seq) / 4;
      const source = this.#bytes.subarray(start, start + SLOT_RECORD_BYTES);
      for (let attempt = 1; attempt <= SLOT_COPY_ATTEMPTS; attempt++) {
        const before = Atomics.load(this.#ints, seqIndex);
        if (before % 2 !== 0) continue;
        this.#scratch.set(source);
        if (Atomics.load(this.#ints, seqIndex) !== before) continue;
        target.set(this.#scratch, start);
        break;
      }
    }
    return target;
  }
}

/**
 * Writes one slot record: a handful of typed-array writes between two `Atomics.add` on the
 * slot's seqlock counter.
 */
export class SlotWriter {
  readonly #view: DataView;
  readonly #bytes: Uint8Array;
  readonly #ints: Int32Array;
  readonly #offset: number;
  readonly #seqIndex: number;
  /**
   * The strings this writer last put in the record: the same line, client and host come again
   * and again (a keep-alive client, a benchmark), and only this writer writes them.
   */
  #written: { readonly request: string; readonly client: string; readonly vhost: string } | null =
    null;

  /** Made by {@link ProcessScoreboard.slot}. */
  constructor(view: DataView, bytes: Uint8Array, ints: Int32Array, offset: number) {
    this.#view = view;
    this.#bytes = bytes;
    this.#ints = ints;
    this.#offset = offset;
    this.#seqIndex = (offset + SLOT_FIELDS.seq) / 4;
  }

  /**
   * Stamps the slot's heartbeat: its isolate ran its timers at `nowMs`. A plain write, outside
   * the seqlock: a torn number would only be one odd heartbeat among many.
   */
  heartbeat(nowMs: number): void {
    this.#view.setFloat64(this.#offset + SLOT_FIELDS.heartbeatMs, nowMs, true);
  }

  /** Sets the slot's state (one of httpd's keys). */
  setState(state: SlotState): void {
    Atomics.add(this.#ints, this.#seqIndex, 1);
    this.#view.setUint8(this.#offset + SLOT_FIELDS.state, slotStateCode(state));
    Atomics.add(this.#ints, this.#seqIndex, 1);
  }

  /**
   * Records a request whose line has been read and moves the slot to `W`, as httpd does once
   * the request is read and its handler runs.
   */
  startRequest(request: RequestStart): void {
    const offset = this.#offset;
    Atomics.add(this.#ints, this.#seqIndex, 1);
    this.#view.setUint8(offset + SLOT_FIELDS.state, slotStateCode("W"));
    this.#view.setFloat64(offset + SLOT_FIELDS.requestStartMs, request.nowMs, true);
    this.#view.setFloat64(offset + SLOT_FIELDS.lastUsedMs, request.nowMs, true);
    const written = this.#written;
    if (
      written === null || written.request !== request.line || written.client !== request.client ||
      written.vhost !== request.vhost
    ) {
      const text = { request: request.line, client: request.client, vhost: request.vhost };
      writeRequestText(this.#view, this.#bytes, offset, text);
      this.#written = text;
    }
    Atomics.add(this.#ints, this.#seqIndex, 1);
  }

  /**
   * Counts a finished request: one access, its bytes, its duration (in the total and in its
   * histogram bucket), its method and status class; the state is left.
   */
  endRequest(end: RequestEnd): void {
    const view = this.#view;
    const offset = this.#offset;
    Atomics.add(this.#ints, this.#seqIndex, 1);
    const accesses = view.getFloat64(offset + SLOT_FIELDS.accessCount, true);
    const bytes = view.getFloat64(offset + SLOT_FIELDS.bytesServed, true);
    const totalMs = view.getFloat64(offset + SLOT_FIELDS.totalDurationMs, true);
    const durationMs = Math.max(0, end.durationMs);
    const bucket = offset + SLOT_FIELDS.durationBuckets + 4 * durationBucketOf(durationMs);
    view.setFloat64(offset + SLOT_FIELDS.accessCount, accesses + 1, true);
    view.setFloat64(offset + SLOT_FIELDS.bytesServed, bytes + end.bytes, true);
    view.setFloat64(offset + SLOT_FIELDS.lastUsedMs, end.nowMs, true);
    view.setFloat64(offset + SLOT_FIELDS.lastRequestMs, durationMs, true);
    view.setFloat64(offset + SLOT_FIELDS.totalDurationMs, totalMs + durationMs, true);
    view.setUint32(bucket, view.getUint32(bucket, true) + 1, true);
    const kind = offset + SLOT_FIELDS.responseKinds + 4 * responseKindOf(end.method, end.status);
    view.setUint32(kind, view.getUint32(kind, true) + 1, true);
    const byProtocol = CONNECTION_COUNTERS.requests(end.protocol);
    if (byProtocol !== -1) this.#bump(byProtocol);
    Atomics.add(this.#ints, this.#seqIndex, 1);
  }

  /** Counts a TLS handshake that completed, or one that failed and why. */
  countTlsHandshake(outcome: "completed" | TlsFailureReason): void {
    Atomics.add(this.#ints, this.#seqIndex, 1);
    this.#bump(
      outcome === "completed"
        ? CONNECTION_COUNTERS.tlsHandshakes
        : CONNECTION_COUNTERS.tlsFailures(outcome),
    );
    Atomics.add(this.#ints, this.#seqIndex, 1);
  }

  #bump(counter: number): void {
    const at = this.#offset + SLOT_FIELDS.connectionCounters + 4 * counter;
    this.#view.setUint32(at, this.#view.getUint32(at, true) + 1, true);
  }
}
