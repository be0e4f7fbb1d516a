import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import {
  decodeScoreboard,
  defaultScoreboardPath,
  EMPTY_LEDGER,
  idleSlotsOf,
  type ProcessDetail,
  ProcessScoreboard,
  readScoreboard,
  scoreboardBytes,
  type ScoreboardDetail,
  ScoreboardError,
  ScoreboardFile,
  secondsOnRequest,
  SHARED_MEMORY_DIR,
  spareSlotsOf,
  startFlushing,
} from "../../scoreboard/mod.ts";

const LIMITS = { serverLimit: 3, threadLimit: 2 };

function createIn(dir: string): ScoreboardFile {
  return ScoreboardFile.create(`${dir}/test.scoreboard`, {
    ...LIMITS,
    generation: 2,
    parentPid: 99,
    mpm: "worker",
    nowMs: 1_000,
  });
}

async function withDir(body: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd-scoreboard-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function pollScoreboard(
  path: string,
  until: (detail: ScoreboardDetail) => boolean,
): Promise<ScoreboardDetail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const detail = await readScoreboard(path);
    if (until(detail)) return detail;
    if (Date.now() > deadline) throw new Error(`Timed out: ${JSON.stringify(detail)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function processWithPid(detail: ScoreboardDetail, pid: number): ProcessDetail | undefined {
  return detail.processes.find((process) => process.pid === pid);
}

Deno.test("defaultScoreboardPath() uses /dev/shm when it exists", async () => {
  const path = defaultScoreboardPath(1234);
  const shm = await Deno.stat(SHARED_MEMORY_DIR).then(() => true, () => false);
  assert.equal(path, `${shm ? SHARED_MEMORY_DIR : tmpdir()}/mpmd-1234.scoreboard`);
});

Deno.test("ScoreboardFile.create() writes a full-size file with no processes", async () => {
  await withDir(async (dir) => {
    using file = createIn(dir);
    assert.equal((await Deno.stat(file.path)).size, scoreboardBytes(3, 2));
    assert.deepEqual(await readScoreboard(file.path), {
      ...LIMITS,
      generation: 2,
      parentPid: 99,
      startTimeMs: 1_000,
      restartTimeMs: 1_000,
      mpm: "worker",
      ledger: EMPTY_LEDGER,
      processes: [],
    });
  });
});

Deno.test("ScoreboardFile rejects bad limits, indexes, sizes and files", async (t) => {
  await withDir(async (dir) => {
    using file = createIn(dir);
    const CASES = [
      {
        name: "ServerLimit 0",
        act: () =>
          ScoreboardFile.create(`${dir}/x`, {
            ...LIMITS,
            serverLimit: 0,
            generation: 1,
            parentPid: 1,
            mpm: "worker",
            nowMs: 0,
          }),
        message: /serverLimit 0 is not a positive integer/,
      },
      {
        name: "a process index past ServerLimit",
        act: () => file.clearProcess(3),
        message: /Cannot clear scoreboard process 3: ServerLimit of .* is 3/,
      },
      {
        name: "a region that is not a process record and whole slots",
        act: () => file.writeRegion(0, new Uint8Array(10)),
        message: /Cannot write scoreboard region 0: 10 bytes is not a process record/,
      },
      {
        name: "a missing file",
        act: () => ScoreboardFile.open(`${dir}/missing`),
        message: /^Cannot open scoreboard .*missing: /,
      },
    ];
    for (const c of CASES) {
      await t.step(c.name, () => {
        assert.throws(c.act, (error: unknown) => {
          assert.ok(error instanceof ScoreboardError);
          assert.match(error.message, c.message);
          return true;
        });
      });
    }
    await t.step("a file that is not a scoreboard", async () => {
      await Deno.writeTextFile(`${dir}/text`, "hello");
      await assert.rejects(readScoreboard(`${dir}/text`), /Cannot read scoreboard header/);
      assert.throws(() => ScoreboardFile.open(`${dir}/text`), ScoreboardError);
    });
    await t.step("a truncated scoreboard", async () => {
      const bytes = await Deno.readFile(file.path);
      assert.throws(() => decodeScoreboard(bytes.subarray(0, 600)), /600 bytes, ServerLimit 3/);
    });
  });
});

Deno.test("a flushed region reads back as a process; clearProcess() keeps its tally in the ledger", async () => {
  await withDir(async (dir) => {
    using parent = createIn(dir);
    using child = ScoreboardFile.open(parent.path);
    assert.deepEqual([child.serverLimit, child.threadLimit], [3, 2]);
    const scoreboard = ProcessScoreboard.create({
      pid: 7,
      generation: 2,
      threadLimit: 2,
      nowMs: 5,
    });
    scoreboard.slot(0).setState("_");
    scoreboard.slot(1).startRequest({
      line: "GET / HTTP/1.1",
      client: "::1",
      vhost: "h",
      nowMs: 10_000,
    });
    child.writeRegion(2, scoreboard.copyRegion(9));
    parent.setGeneration(3, 2_000, "event");

    const detail = await readScoreboard(parent.path);
    assert.deepEqual([detail.generation, detail.restartTimeMs, detail.startTimeMs, detail.mpm], [
      3,
      2_000,
      1_000,
      "event",
    ]);
    const [process] = detail.processes;
    assert.ok(process);
    assert.deepEqual(
      [process.index, process.pid, process.generation, process.flushedMs, process.startedMs],
      [2, 7, 2, 9, 5],
    );
    assert.deepEqual(
      process.slots.map((slot) => [slot.index, slot.state, slot.pid, slot.generation]),
      [[0, "_", 7, 2], [1, "W", 7, 2]],
    );
    assert.equal(secondsOnRequest(process.slots[1]!, 12_500), 2.5);
    assert.equal(secondsOnRequest(process.slots[0]!, 12_500), 0);
    // The detail is a ScoreboardSnapshot: maintenance helpers take it as is.
    assert.equal(idleSlotsOf(process), 1);
    assert.equal(spareSlotsOf(detail), 0, "generation 2 is old once the parent runs 3");

    scoreboard.slot(1).endRequest({
      bytes: 300,
      durationMs: 40,
      nowMs: 10_040,
      method: "GET",
      status: 200,
      protocol: "HTTP/1.1",
    });
    scoreboard.slot(0).startRequest({ line: "GET /", client: "::1", vhost: "h", nowMs: 11_000 });
    scoreboard.slot(0).endRequest({
      bytes: 200,
      durationMs: 2,
      nowMs: 11_002,
      method: "GET",
      status: 200,
      protocol: "HTTP/1.1",
    });
    scoreboard.countThreadRestart();
    child.writeRegion(2, scoreboard.copyRegion(11_003));
    parent.countChild("childCrashes");
    parent.countChild("childrenRecycled");
    parent.countChild("childrenRecycled");
    parent.clearProcess(2);
    parent.clearProcess(1); // an empty region adds nothing
    const after = await readScoreboard(parent.path);
    assert.deepEqual(after.processes, []);
    assert.deepEqual(after.ledger, {
      childCrashes: 1,
      childrenRecycled: 2,
      retiredThreadRestarts: 1,
      retired: {
        accesses: 2,
        bytes: 500,
        durationMs: 42,
        durationBuckets: [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        // Both GET, both 2xx: the second counter of the first method.
        responseKinds: [0, 2, ...new Array(38).fill(0)],
        connectionCounters: [0, 0, 0, 0, 0, 0, 2, 0],
      },
    });
    parent.setGeneration(4, 3_000, "event");
    assert.deepEqual((await readScoreboard(parent.path)).ledger, after.ledger, "kept by a restart");
  });
});

Deno.test("startFlushing() flushes at once, periodically and on stop()", async () => {
  await withDir(async (dir) => {
    using parent = createIn(dir);
    using file = ScoreboardFile.open(parent.path);
    const scoreboard = ProcessScoreboard.create({
      pid: 8,
      generation: 2,
      threadLimit: 2,
      nowMs: 0,
    });
    const slot = scoreboard.slot(0);
    slot.setState("S");
    const errors: ScoreboardError[] = [];
    const flusher = startFlushing({
      scoreboard,
      file,
      index: 1,
      intervalMs: 10,
      onError: (error) => errors.push(error),
    });
    try {
      const first = await readScoreboard(parent.path);
      assert.equal(first.processes[0]?.slots[0]?.state, "S", "flushed at start");
      slot.setState("_");
      await pollScoreboard(parent.path, (d) => d.processes[0]?.slots[0]?.state === "_");
    } finally {
      slot.setState("G");
      flusher.stop();
    }
    const last = await readScoreboard(parent.path);
    assert.equal(last.processes[0]?.slots[0]?.state, "G", "flushed on stop");
    assert.deepEqual(errors, []);
  });
});

function spawnChild(path: string, index: number, name: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./_child.ts", import.meta.url).pathname,
      path,
      String(index),
      name,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
}

async function waitForLine(child: Deno.ChildProcess, line: string): Promise<void> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  try {
    while (!seen.split("\n").includes(line)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`Child ${child.pid} ended before printing ${line}: ${seen}`);
      seen += value;
    }
  } finally {
    reader.releaseLock();
  }
}

Deno.test("two child processes share the file; a SIGKILLed child stays until cleared", async () => {
  await withDir(async (dir) => {
    using parent = createIn(dir);
    const alpha = spawnChild(parent.path, 0, "alpha");
    const beta = spawnChild(parent.path, 2, "beta");
    try {
      await Promise.all([waitForLine(alpha, "flushed"), waitForLine(beta, "flushed")]);
      const detail = await readScoreboard(parent.path);
      assert.deepEqual(detail.processes.map((p) => [p.index, p.pid]), [[0, alpha.pid], [
        2,
        beta.pid,
      ]]);
      for (const [child, name] of [[alpha, "alpha"], [beta, "beta"]] as const) {
        const process = processWithPid(detail, child.pid)!;
        assert.deepEqual(
          [process.generation, process.connections, process.keepAlive, process.quiescing],
          [2, 1, 1, false],
        );
        assert.deepEqual(process.slots.map((slot) => slot.state), ["K", "_"]);
        const slot = process.slots[0]!;
        assert.deepEqual(
          [slot.request, slot.vhost, slot.client, slot.accessCount, slot.bytesServed],
          [`GET /${name} HTTP/1.1`, name, "127.0.0.1", 1, 100],
        );
      }

      // alpha exits normally: its exit flush shows slot 0 back at "_".
      await alpha.stdin.close();
      assert.equal((await alpha.status).code, 0);
      const afterExit = await readScoreboard(parent.path);
      assert.deepEqual(processWithPid(afterExit, alpha.pid)?.slots.map((s) => s.state), ["_", "_"]);

      // beta dies without a word: its last flush stays readable until the parent clears it.
      beta.kill("SIGKILL");
      assert.equal((await beta.status).signal, "SIGKILL");
      const afterKill = await readScoreboard(parent.path);
      assert.deepEqual(processWithPid(afterKill, beta.pid)?.slots.map((s) => s.state), ["K", "_"]);
      parent.clearProcess(2);
      const cleared = await readScoreboard(parent.path);
      assert.equal(processWithPid(cleared, beta.pid), undefined);
      assert.deepEqual(cleared.processes.map((p) => p.index), [0]);
    } finally {
      for (const child of [alpha, beta]) {
        try {
          child.kill("SIGKILL");
        } catch {
          // Already exited.
        }
        await child.status;
        await child.stdout.cancel().catch(() => {});
      }
    }
  });
});

Deno.test("a reshaped file keeps every region, and open files follow it at their next write", async () => {
  await withDir(async (dir) => {
    using parent = createIn(dir);
    using child = ScoreboardFile.open(parent.path);
    const region = (pid: number, threadLimit: number) => {
      const scoreboard = ProcessScoreboard.create({ pid, generation: 1, threadLimit, nowMs: 5 });
      scoreboard.slot(0).setState("_");
      scoreboard.slot(threadLimit - 1).setState("W");
      return scoreboard.copyRegion(9);
    };
    child.writeRegion(2, region(7, 2));
    parent.countChild("childCrashes");

    using wider = ScoreboardFile.reshape(parent.path, { serverLimit: 5, threadLimit: 4 });
    assert.deepEqual([wider.serverLimit, wider.threadLimit], [5, 4]);
    let detail = await readScoreboard(parent.path);
    assert.deepEqual([detail.serverLimit, detail.threadLimit, detail.ledger.childCrashes], [
      5,
      4,
      1,
    ]);
    assert.deepEqual(detail.processes.map((p) => [p.index, p.pid]), [[2, 7]]);
    assert.deepEqual(detail.processes[0]!.slots.map((slot) => slot.state), ["_", "W", ".", "."]);

    // A process of the new shape and one of the old write side by side.
    child.writeRegion(4, region(8, 4));
    assert.deepEqual([child.serverLimit, child.threadLimit], [5, 4], "the child followed");
    child.writeRegion(2, region(7, 2));
    detail = await readScoreboard(parent.path);
    assert.deepEqual(
      detail.processes.map((p) => [p.pid, p.slots.map((slot) => slot.state).join("")]),
      [[7, "_W.."], [8, "_..W"]],
    );

    assert.throws(
      () => ScoreboardFile.reshape(parent.path, { serverLimit: 3, threadLimit: 1 }),
      /process region 4 is in use and ServerLimit would be 3/,
    );
    wider.clearProcess(4);
    using narrower = ScoreboardFile.reshape(parent.path, { serverLimit: 3, threadLimit: 2 });
    detail = await readScoreboard(parent.path);
    assert.deepEqual(
      detail.processes.map((p) => [p.pid, p.slots.map((slot) => slot.state).join("")]),
      [[7, "_W"]],
    );
    assert.equal(narrower.serverLimit, 3);
  });
});
