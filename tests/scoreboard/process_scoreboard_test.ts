import assert from "node:assert/strict";
import {
  decodeProcess,
  decodeSlot,
  EMPTY_SLOT,
  ProcessScoreboard,
  ScoreboardError,
  slotOffset,
} from "../../scoreboard/mod.ts";
import type { WorkerJob } from "./_worker.ts";

function fresh(threadLimit = 2): ProcessScoreboard {
  return ProcessScoreboard.create({ pid: 4242, generation: 3, threadLimit, nowMs: 500 });
}

function slotOf(scoreboard: ProcessScoreboard, slot: number) {
  return decodeSlot(new DataView(scoreboard.copyRegion(0).buffer), slotOffset(slot));
}

function processOf(scoreboard: ProcessScoreboard, nowMs = 0) {
  return decodeProcess(new DataView(scoreboard.copyRegion(nowMs).buffer), 0);
}

Deno.test("ProcessScoreboard.create() starts with open slots and its identity", () => {
  const scoreboard = fresh(3);
  assert.equal(scoreboard.slotCount, 3);
  assert.deepEqual(processOf(scoreboard, 777), {
    pid: 4242,
    generation: 3,
    quiescing: false,
    notAccepting: false,
    connections: 0,
    keepAlive: 0,
    startedMs: 500,
    flushedMs: 777,
    accepted: 0,
    threadRestarts: 0,
  });
  assert.equal(slotOf(scoreboard, 2).state, ".");
});

Deno.test("ProcessScoreboard rejects bad sizes and slot indexes", async (t) => {
  await t.step("ThreadLimit 0", () => {
    assert.throws(() => fresh(0), ScoreboardError);
  });
  await t.step("a buffer of the wrong size", () => {
    assert.throws(
      () => ProcessScoreboard.attach(new SharedArrayBuffer(100)),
      /^ScoreboardError: Cannot attach process scoreboard: 100 bytes/,
    );
  });
  for (const index of [-1, 2, 0.5]) {
    await t.step(`slot ${index}`, () => {
      assert.throws(() => fresh(2).slot(index), RangeError);
    });
  }
});

Deno.test("SlotWriter records a request's start, end and state", () => {
  const scoreboard = fresh();
  const slot = scoreboard.slot(1);
  slot.setState("_");
  assert.equal(slotOf(scoreboard, 1).state, "_");
  slot.startRequest({ line: "GET /a HTTP/1.1", client: "10.1.2.3", vhost: "a.test", nowMs: 1000 });
  assert.deepEqual(slotOf(scoreboard, 1), {
    state: "W",
    accessCount: 0,
    bytesServed: 0,
    lastUsedMs: 1000,
    requestStartMs: 1000,
    lastRequestMs: 0,
    request: "GET /a HTTP/1.1",
    client: "10.1.2.3",
    vhost: "a.test",
    heartbeatMs: 0,
    totalDurationMs: 0,
    durationBuckets: EMPTY_SLOT.durationBuckets,
    responseKinds: EMPTY_SLOT.responseKinds,
    connectionCounters: EMPTY_SLOT.connectionCounters,
  });
  slot.endRequest({
    bytes: 1024,
    durationMs: 30,
    nowMs: 1030,
    method: "GET",
    status: 200,
    protocol: "HTTP/1.1",
  });
  slot.startRequest({ line: "HEAD / HTTP/1.0", client: "::1", vhost: "b.test", nowMs: 2000 });
  slot.endRequest({
    bytes: 0,
    durationMs: 5,
    nowMs: 2005,
    method: "HEAD",
    status: 200,
    protocol: "HTTP/1.0",
  });
  slot.startRequest({ line: "GET /slow HTTP/1.1", client: "::1", vhost: "b.test", nowMs: 3000 });
  slot.endRequest({
    bytes: 10,
    durationMs: 20_000,
    nowMs: 23_000,
    method: "GET",
    status: 504,
    protocol: "HTTP/1.1",
  });
  slot.startRequest({ line: "HEAD / HTTP/1.0", client: "::1", vhost: "b.test", nowMs: 24_000 });
  slot.endRequest({
    bytes: 0,
    durationMs: 5,
    nowMs: 24_005,
    method: "HEAD",
    status: 200,
    protocol: "HTTP/1.0",
  });
  slot.countTlsHandshake("completed");
  slot.countTlsHandshake("completed");
  slot.countTlsHandshake("timeout");
  slot.setState("K");
  slot.heartbeat(2010);
  scoreboard.countThreadRestart();
  assert.equal(processOf(scoreboard).threadRestarts, 1);
  assert.deepEqual(slotOf(scoreboard, 1), {
    state: "K",
    accessCount: 4,
    bytesServed: 1034,
    lastUsedMs: 24_005,
    requestStartMs: 24_000,
    lastRequestMs: 5,
    request: "HEAD / HTTP/1.0",
    client: "::1",
    vhost: "b.test",
    heartbeatMs: 2010,
    totalDurationMs: 30 + 5 + 20_000 + 5,
    // 30 ms ≤ 50; 5 ms twice ≤ 5; 20 s beyond the last bound (10 s).
    durationBuckets: [2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1],
    // Method-major, five status classes each: GET 2xx, GET 5xx, HEAD 2xx twice.
    responseKinds: [0, 1, 0, 0, 1, 0, 2, 0, 0, 0, ...new Array(30).fill(0)],
    // Two handshakes, one timed out; two HTTP/1.0 requests, two HTTP/1.1, none HTTP/2.
    connectionCounters: [2, 0, 0, 1, 0, 2, 2, 0],
  });
  assert.equal(slotOf(scoreboard, 0).state, ".", "the other slot is untouched");
});

Deno.test("ProcessScoreboard.setFlags() and counters change the process record", () => {
  const scoreboard = fresh();
  scoreboard.setFlags({ notAccepting: true });
  scoreboard.addConnections(5);
  scoreboard.addKeepAlive(2);
  scoreboard.addConnections(-1);
  let record = processOf(scoreboard);
  assert.deepEqual(
    [record.quiescing, record.notAccepting, record.connections, record.keepAlive],
    [false, true, 4, 2],
  );
  scoreboard.setFlags({ quiescing: true, notAccepting: false });
  record = processOf(scoreboard);
  assert.deepEqual([record.quiescing, record.notAccepting], [true, false]);
  scoreboard.setFlags({});
  assert.equal(processOf(scoreboard).quiescing, true, "a left-out flag is unchanged");
  assert.equal(scoreboard.connections, 4);
  assert.deepEqual([scoreboard.countAccepted(), scoreboard.countAccepted()], [1, 2]);
  assert.equal(processOf(scoreboard).accepted, 2);
});

function startWorker(job: WorkerJob): { worker: Worker; done: Promise<void> } {
  const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
  const done = new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(event.message));
    };
  });
  worker.postMessage(job);
  return { worker, done };
}

Deno.test("a Worker writes its slot through the SharedArrayBuffer", async () => {
  const scoreboard = fresh();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { worker, done: finished } = startWorker({
    buffer: scoreboard.buffer,
    slot: 1,
    mode: "once",
    rounds: 1,
    done,
  });
  try {
    await finished;
  } finally {
    worker.terminate();
  }
  const slot = slotOf(scoreboard, 1);
  assert.deepEqual(
    [slot.state, slot.request, slot.accessCount, slot.bytesServed, slot.lastRequestMs],
    ["K", "GET /from-worker HTTP/1.1", 1, 512, 250],
  );
  const record = processOf(scoreboard);
  assert.deepEqual([record.connections, record.keepAlive], [1, 1]);
});

Deno.test("ProcessScoreboard.copyRegion() never copies a slot half-written by a Worker", async () => {
  const scoreboard = fresh(1);
  const done = new Int32Array(new SharedArrayBuffer(4));
  const rounds = 200_000;
  const { worker, done: finished } = startWorker({
    buffer: scoreboard.buffer,
    slot: 0,
    mode: "hammer",
    rounds,
    done,
  });
  const target = new Uint8Array(scoreboard.buffer.byteLength);
  const deadline = Date.now() + 10_000;
  let copies = 0;
  try {
    while (Atomics.load(done, 0) === 0 && Date.now() < deadline) {
      const slot = decodeSlot(new DataView(scoreboard.copyRegion(0, target).buffer), slotOffset(0));
      copies++;
      if (slot.state === ".") continue;
      const round = slot.request.slice("GET /".length, -" HTTP/1.1".length);
      assert.equal(slot.vhost, `v${round}`, `copy ${copies} is torn: ${JSON.stringify(slot)}`);
    }
    await finished;
  } finally {
    worker.terminate();
  }
  assert.ok(copies > 0);
  assert.equal(slotOf(scoreboard, 0).accessCount, rounds);
});
