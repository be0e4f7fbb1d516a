import assert from "node:assert/strict";
import {
  decodeProcess,
  decodeSlot,
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
  scoreboardBytes,
  SLOT_RECORD_BYTES,
  SLOT_STATE_CODES,
  SLOT_STATES,
  type SlotRecord,
  type SlotState,
} from "../../scoreboard/mod.ts";

const STATES = Object.keys(SLOT_STATES) as SlotState[];

function slot(fields: Partial<SlotRecord>): SlotRecord {
  return { ...EMPTY_SLOT, ...fields };
}

Deno.test("SLOT_STATE_CODES holds every state once, with '.' as code 0", () => {
  assert.equal(SLOT_STATE_CODES[0], ".");
  assert.deepEqual([...SLOT_STATE_CODES].sort(), [...STATES].sort());
});

Deno.test("layout sizes follow ServerLimit and ThreadLimit", () => {
  assert.equal(regionBytes(1), PROCESS_RECORD_BYTES + SLOT_RECORD_BYTES);
  assert.equal(regionOffset(0, 25), HEADER_BYTES);
  assert.equal(regionOffset(2, 25), HEADER_BYTES + 2 * regionBytes(25));
  assert.equal(scoreboardBytes(16, 25), HEADER_BYTES + 16 * regionBytes(25));
  assert.equal(SLOT_RECORD_BYTES % 64, 0, "slot records keep threads off each other's cache lines");
});

Deno.test("encodeProcess() and decodeProcess() round-trip", async (t) => {
  const CASES = [
    { name: "a fresh process", quiescing: false, notAccepting: false, connections: 0 },
    { name: "quiescing", quiescing: true, notAccepting: false, connections: 3 },
    { name: "not accepting", quiescing: false, notAccepting: true, connections: 120 },
    { name: "both flags", quiescing: true, notAccepting: true, connections: 1 },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const record = {
        pid: 31337,
        generation: 3,
        quiescing: c.quiescing,
        notAccepting: c.notAccepting,
        connections: c.connections,
        keepAlive: Math.floor(c.connections / 2),
        startedMs: 1_764_000_000_000,
        flushedMs: 1_764_000_000_250.5,
        accepted: c.connections * 3,
        threadRestarts: c.connections % 7,
      };
      const view = new DataView(new ArrayBuffer(PROCESS_RECORD_BYTES * 2));
      encodeProcess(view, PROCESS_RECORD_BYTES, { ...record, slotCount: 25 });
      assert.deepEqual(decodeProcess(view, PROCESS_RECORD_BYTES), record);
    });
  }
});

const LONG_LINE = `GET /${"a".repeat(100)} HTTP/1.1`;
// 5 ASCII bytes and 29 two-byte characters fill 63 bytes; "€" (3 bytes) would cross byte 64,
// so it must be dropped whole.
const UTF8_LINE = `GET /${"é".repeat(29)}€ HTTP/1.1`;

const SLOT_CASES: { name: string; record: SlotRecord; expected?: Partial<SlotRecord> }[] = [
  ...STATES.map((state) => ({ name: `state '${state}'`, record: slot({ state }) })),
  {
    name: "a busy slot with counters and times",
    record: slot({
      state: "W",
      accessCount: 123_456,
      bytesServed: 2 ** 40 + 7,
      lastUsedMs: 1_764_000_000_001,
      requestStartMs: 1_764_000_000_000,
      lastRequestMs: 12.5,
      heartbeatMs: 1_764_000_000_002,
      totalDurationMs: 98_765.25,
      durationBuckets: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 2 ** 32 - 1, 1],
      request: "GET /index.html HTTP/1.1",
      client: "2001:db8:85a3:8d3:1319:8a2e:370:7348",
      vhost: "www.example.com",
    }),
  },
  {
    name: "a request line longer than 64 bytes is truncated",
    record: slot({ state: "R", request: LONG_LINE }),
    expected: { request: LONG_LINE.slice(0, REQUEST_LINE_BYTES) },
  },
  {
    name: "UTF-8 is kept whole and truncated at a character boundary",
    record: slot({ state: "W", request: UTF8_LINE, vhost: "bücher.example" }),
    expected: { request: `GET /${"é".repeat(29)}` },
  },
  {
    name: "a two-byte character that would end at byte 65 is dropped",
    record: slot({ state: "W", request: `${"x".repeat(63)}é` }),
    expected: { request: "x".repeat(63) },
  },
  {
    name: "a non-ASCII client address is kept",
    record: slot({ state: "W", client: "fe80::1%eth0·ü" }),
  },
  {
    name: "a long vhost is truncated to 64 bytes",
    record: slot({ state: "K", vhost: "v".repeat(300) }),
    expected: { vhost: "v".repeat(64) },
  },
];

Deno.test("encodeSlot() and decodeSlot() round-trip", async (t) => {
  for (const c of SLOT_CASES) {
    await t.step(c.name, () => {
      const view = new DataView(new ArrayBuffer(SLOT_RECORD_BYTES * 3));
      encodeSlot(view, SLOT_RECORD_BYTES, c.record);
      assert.deepEqual(decodeSlot(view, SLOT_RECORD_BYTES), { ...c.record, ...c.expected });
    });
  }
});

Deno.test("decodeSlot() reads a zero-filled record as an open slot", () => {
  assert.deepEqual(decodeSlot(new DataView(new ArrayBuffer(SLOT_RECORD_BYTES)), 0), EMPTY_SLOT);
});

Deno.test("decodeSlot() shortens a shorter string written over a longer one", () => {
  const view = new DataView(new ArrayBuffer(SLOT_RECORD_BYTES));
  encodeSlot(view, 0, slot({ request: "GET /a-rather-long-path HTTP/1.1", client: "10.0.0.100" }));
  encodeSlot(view, 0, slot({ request: "GET / HTTP/1.0", client: "::1" }));
  const decoded = decodeSlot(view, 0);
  assert.equal(decoded.request, "GET / HTTP/1.0");
  assert.equal(decoded.client, "::1");
});

Deno.test("durationBucketOf() counts a duration in the first bucket whose bound it meets", async (t) => {
  const CASES = [
    { durationMs: 0, bucket: 0 },
    { durationMs: 5, bucket: 0 },
    { durationMs: 5.01, bucket: 1 },
    { durationMs: 999, bucket: DURATION_BUCKETS_MS.indexOf(1000) },
    { durationMs: 10_000, bucket: DURATION_BUCKETS_MS.length - 1 },
    { durationMs: 10_001, bucket: DURATION_BUCKETS_MS.length },
    { durationMs: Infinity, bucket: DURATION_BUCKETS_MS.length },
  ];
  for (const c of CASES) {
    await t.step(
      `${c.durationMs} ms`,
      () => assert.equal(durationBucketOf(c.durationMs), c.bucket),
    );
  }
});
