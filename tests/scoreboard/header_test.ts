import assert from "node:assert/strict";
import {
  CONNECTION_COUNTER_COUNT,
  decodeHeader,
  EMPTY_LEDGER,
  encodeHeader,
  HEADER_BYTES,
  RESPONSE_KIND_COUNT,
  SCOREBOARD_LAYOUT_VERSION,
  ScoreboardError,
} from "../../scoreboard/mod.ts";

Deno.test("encodeHeader() and decodeHeader() round-trip", () => {
  const header = {
    serverLimit: 16,
    threadLimit: 64,
    generation: 7,
    parentPid: 4_000_000,
    startTimeMs: 1_764_000_000_123,
    restartTimeMs: 1_764_000_100_456,
    mpm: "mpmt_os2",
    ledger: {
      childCrashes: 3,
      childrenRecycled: 41,
      retiredThreadRestarts: 2,
      retired: {
        accesses: 2 ** 40,
        bytes: 2 ** 50 + 1,
        durationMs: 1234.5,
        durationBuckets: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 2 ** 33],
        responseKinds: Array.from({ length: RESPONSE_KIND_COUNT }, (_, kind) => kind + 2 ** 40),
        // The last counter too: it ends with the header.
        connectionCounters: Array.from({ length: CONNECTION_COUNTER_COUNT }, (_, i) => i + 2 ** 41),
      },
    },
  };
  const view = new DataView(new ArrayBuffer(HEADER_BYTES));
  encodeHeader(view, header);
  assert.deepEqual(decodeHeader(view), header);
});

Deno.test("decodeHeader() rejects what is not a scoreboard of this layout", async (t) => {
  const CASES = [
    {
      name: "too short",
      bytes: new Uint8Array(10),
      message: new RegExp(`10 bytes, need ${HEADER_BYTES}`),
    },
    { name: "zero magic", bytes: new Uint8Array(HEADER_BYTES), message: /magic 0x0 is not/ },
    {
      name: "another layout version",
      bytes: (() => {
        const bytes = new Uint8Array(HEADER_BYTES);
        const view = new DataView(bytes.buffer);
        encodeHeader(view, {
          serverLimit: 1,
          threadLimit: 1,
          generation: 1,
          parentPid: 1,
          startTimeMs: 0,
          restartTimeMs: 0,
          mpm: "",
          ledger: EMPTY_LEDGER,
        });
        view.setUint16(4, 99, true);
        return bytes;
      })(),
      message: new RegExp(`layout version 99 is not ${SCOREBOARD_LAYOUT_VERSION}$`),
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.throws(() => decodeHeader(new DataView(c.bytes.buffer)), (error: unknown) => {
        assert.ok(error instanceof ScoreboardError);
        assert.match(error.message, /^Cannot read scoreboard header: /);
        assert.match(error.message, c.message);
        return true;
      });
    });
  }
});
