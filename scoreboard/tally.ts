/**
 * Tallies: what a set of slots served (accesses, bytes, durations and their histogram,
 * responses by method and status class, TLS handshakes and requests by protocol), summed
 * over live slots and the ledger of processes that are gone. Pure.
 *
 * @module
 */

import type { Tally } from "./header.ts";
import {
  CONNECTION_COUNTER_COUNT,
  DURATION_BUCKET_COUNT,
  RESPONSE_KIND_COUNT,
  type SlotRecord,
} from "./layout.ts";

/** What one slot served, as a {@link Tally}. */
export function slotTally(slot: SlotRecord): Tally {
  return {
    accesses: slot.accessCount,
    bytes: slot.bytesServed,
    durationMs: slot.totalDurationMs,
    durationBuckets: slot.durationBuckets,
    responseKinds: slot.responseKinds,
    connectionCounters: slot.connectionCounters,
  };
}

/** The sum of `tallies`. */
export function addTallies(tallies: readonly Tally[]): Tally {
  const buckets = new Array<number>(DURATION_BUCKET_COUNT).fill(0);
  const kinds = new Array<number>(RESPONSE_KIND_COUNT).fill(0);
  const counters = new Array<number>(CONNECTION_COUNTER_COUNT).fill(0);
  let accesses = 0;
  let bytes = 0;
  let durationMs = 0;
  for (const tally of tallies) {
    accesses += tally.accesses;
    bytes += tally.bytes;
    durationMs += tally.durationMs;
    tally.durationBuckets.forEach((count, bucket) => buckets[bucket] = buckets[bucket]! + count);
    tally.responseKinds.forEach((count, kind) => kinds[kind] = kinds[kind]! + count);
    tally.connectionCounters.forEach((count, i) => counters[i] = counters[i]! + count);
  }
  return {
    accesses,
    bytes,
    durationMs,
    durationBuckets: buckets,
    responseKinds: kinds,
    connectionCounters: counters,
  };
}
