/**
 * Decoding a whole scoreboard file into a {@link ScoreboardDetail}: the snapshot that
 * maintenance plans read, with the detail the status page shows. Pure.
 *
 * @module
 */

import { decodeHeader, encodeHeader, type HeaderRecord } from "./header.ts";
import {
  decodeProcess,
  decodeSlot,
  HEADER_BYTES,
  PROCESS_FIELDS,
  type ProcessRecord,
  regionOffset,
  scoreboardBytes,
  slotOffset,
  type SlotRecord,
} from "./layout.ts";
import { ScoreboardError } from "./scoreboard_error.ts";
import type { ProcessSnapshot, ScoreboardSnapshot, SlotSnapshot } from "./scoreboard_snapshot.ts";

/** One thread slot with everything the scoreboard keeps about it. */
export interface SlotDetail extends SlotSnapshot, SlotRecord {
  /** The slot's index in its process (httpd's thread number). */
  readonly index: number;
  /** Its process's pid: every thread of a process shares it. */
  readonly pid: number;
  /** Its process's generation: threads are never carried over a restart. */
  readonly generation: number;
}

/** One live process with its record and every slot. */
export interface ProcessDetail extends ProcessSnapshot, ProcessRecord {
  /** The process slot index in the scoreboard (httpd's child number). */
  readonly index: number;
  /** All ThreadLimit slots of the process, in index order. */
  readonly slots: readonly SlotDetail[];
}

/**
 * The whole scoreboard: a {@link ScoreboardSnapshot} (so a maintenance plan can take it as is)
 * plus the header. Empty process slots are absent from `processes`; a grid of
 * `serverLimit` × `threadLimit` cells shows them as `.`.
 */
export interface ScoreboardDetail extends ScoreboardSnapshot, HeaderRecord {
  /** Live processes in process-slot order; empty process slots are left out. */
  readonly processes: readonly ProcessDetail[];
}

/**
 * Decodes a whole scoreboard file.
 *
 * @throws {ScoreboardError} if the header is not ours or the file is shorter than its limits
 */
export function decodeScoreboard(bytes: Uint8Array): ScoreboardDetail {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = decodeHeader(view);
  const size = scoreboardBytes(header.serverLimit, header.threadLimit);
  if (bytes.byteLength < size) {
    throw new ScoreboardError(
      `Cannot read scoreboard: ${bytes.byteLength} bytes, ServerLimit ${header.serverLimit} × ThreadLimit ${header.threadLimit} needs ${size}`,
    );
  }
  const processes: ProcessDetail[] = [];
  for (let index = 0; index < header.serverLimit; index++) {
    const offset = regionOffset(index, header.threadLimit);
    const record = decodeProcess(view, offset);
    if (record.pid === 0) continue;
    const slots: SlotDetail[] = [];
    for (let slot = 0; slot < header.threadLimit; slot++) {
      slots.push({
        ...decodeSlot(view, offset + slotOffset(slot)),
        index: slot,
        pid: record.pid,
        generation: record.generation,
      });
    }
    processes.push({ ...record, index, slots });
  }
  return { ...header, processes };
}

/**
 * Seconds since the slot's most recent request started (mod_status's "SS" column), or 0 if it
 * never served one.
 */
export function secondsOnRequest(slot: SlotRecord, nowMs: number): number {
  if (slot.requestStartMs === 0) return 0;
  return Math.max(0, (nowMs - slot.requestStartMs) / 1000);
}

/**
 * Decodes one process's region as a whole scoreboard of one process (ServerLimit 1) under
 * `header`: what `-X`, which has no scoreboard file, shows on its status page.
 */
export function decodeSoleProcess(
  header: Omit<HeaderRecord, "serverLimit" | "threadLimit">,
  region: Uint8Array,
): ScoreboardDetail {
  const slotCount = new DataView(region.buffer, region.byteOffset, region.byteLength)
    .getUint32(PROCESS_FIELDS.slotCount, true);
  const bytes = new Uint8Array(HEADER_BYTES + region.byteLength);
  encodeHeader(new DataView(bytes.buffer), { ...header, serverLimit: 1, threadLimit: slotCount });
  bytes.set(region, HEADER_BYTES);
  return decodeScoreboard(bytes);
}
