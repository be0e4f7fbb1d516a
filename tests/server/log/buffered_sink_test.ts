import assert from "node:assert/strict";
import {
  createBufferedSink,
  createErrorLog,
  createFileSink,
  createMemorySink,
  type LogWriter,
} from "../../../server/log/mod.ts";
import { pollUntil } from "./_fixtures.ts";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_log_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("createFileSink() buffers lines until flush() and close()", async (t) => {
  await withTempDir(async (dir) => {
    const path = `${dir}/access_log`;
    const sink = createFileSink(path, { flushIntervalMs: 60_000 });
    try {
      await t.step("creates the file and writes nothing on write()", () => {
        sink.write("one");
        sink.write("two");
        assert.equal(Deno.readTextFileSync(path), "");
      });
      await t.step("flush() writes the buffered lines", async () => {
        await sink.flush();
        assert.equal(await Deno.readTextFile(path), "one\ntwo\n");
      });
      await t.step("close() writes the rest, later writes are dropped", async () => {
        sink.write("three");
        await sink.close();
        sink.write("four");
        assert.equal(await Deno.readTextFile(path), "one\ntwo\nthree\n");
      });
    } finally {
      await sink.close();
    }
  });
});

Deno.test("createFileSink() appends to an existing file", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/error_log`;
    await Deno.writeTextFile(path, "old\n");
    const sink = createFileSink(path);
    sink.write("new");
    await sink.close();
    assert.equal(await Deno.readTextFile(path), "old\nnew\n");
  });
});

Deno.test("createFileSink() writes within about a second without flush()", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/access_log`;
    const sink = createFileSink(path);
    try {
      sink.write("on the timer");
      assert.equal(Deno.readTextFileSync(path), "");
      const text = await pollUntil("the interval flush", async () => {
        const text = await Deno.readTextFile(path);
        return text === "" ? undefined : text;
      }, 3_000);
      assert.equal(text, "on the timer\n");
    } finally {
      await sink.close();
    }
  });
});

Deno.test("createFileSink() writes as soon as the buffer passes maxBufferBytes", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/access_log`;
    // The interval is far beyond the deadline, so only the threshold can explain the write.
    const sink = createFileSink(path, { flushIntervalMs: 600_000, maxBufferBytes: 64 });
    try {
      sink.write("short");
      const long = "x".repeat(80);
      sink.write(long);
      const text = await pollUntil("the threshold flush", async () => {
        const text = await Deno.readTextFile(path);
        return text === "" ? undefined : text;
      }, 3_000);
      assert.equal(text, `short\n${long}\n`);
    } finally {
      await sink.close();
    }
  });
});

Deno.test("createFileSink() names the file and the reason when it cannot be opened", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_log_" });
  try {
    const CASES = [
      {
        name: "a missing directory",
        path: `${dir}/missing/sub/access_log`,
        reason: `no such directory ${dir}/missing/sub`,
      },
      { name: "a directory", path: dir, reason: "it is a directory" },
    ];
    for (const c of CASES) {
      await t.step(c.name, () => {
        assert.throws(() => createFileSink(c.path), (error: unknown) => {
          assert.ok(error instanceof Error);
          assert.equal(error.message, `Cannot open log file ${c.path}: ${c.reason}`);
          assert.ok(error.cause instanceof Error);
          return true;
        });
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A writer whose behaviour the test switches: succeed, fail, or hang until released. */
function fakeWriter() {
  const written: string[] = [];
  let mode: "ok" | "fail" | "hang" = "ok";
  let release = (): void => {};
  const writer: LogWriter = {
    async write(p) {
      if (mode === "fail") throw new Deno.errors.BrokenPipe("disk on fire");
      if (mode === "hang") await new Promise<void>((resolve) => (release = resolve));
      written.push(new TextDecoder().decode(p));
      return p.length;
    },
    writeSync(p) {
      written.push(new TextDecoder().decode(p));
      return p.length;
    },
  };
  return {
    writer,
    written,
    setMode: (next: typeof mode) => (mode = next),
    release: () => release(),
  };
}

Deno.test("createBufferedSink() reports a failing write once until it recovers", async () => {
  const errors = createMemorySink();
  const errorLog = createErrorLog({ level: "warn", sink: errors });
  const fake = fakeWriter();
  const sink = createBufferedSink(
    { writer: fake.writer, description: "log file /x" },
    { errorLog, flushIntervalMs: 60_000 },
  );
  try {
    fake.setMode("fail");
    sink.write("lost 1");
    await sink.flush();
    sink.write("lost 2");
    await sink.flush();
    assert.equal(errors.lines.length, 1);
    assert.match(
      errors.lines[0] ?? "",
      /\[core:error\] .* Cannot write log file \/x: lines are dropped until a write succeeds: BrokenPipe: disk on fire/,
    );

    fake.setMode("ok");
    sink.write("kept");
    await sink.flush();
    assert.deepEqual(fake.written, ["kept\n"]);

    fake.setMode("fail");
    sink.write("lost 3");
    await sink.flush();
    assert.equal(errors.lines.length, 2);
  } finally {
    fake.setMode("ok");
    await sink.close();
  }
});

Deno.test("createBufferedSink() drops lines, reporting once, while a write is stuck", async () => {
  const errors = createMemorySink();
  const errorLog = createErrorLog({ level: "warn", sink: errors });
  const fake = fakeWriter();
  // Lines may pile up to 16 × maxBufferBytes = 160 characters while the first write hangs.
  const sink = createBufferedSink(
    { writer: fake.writer, description: "stdout" },
    { errorLog, flushIntervalMs: 60_000, maxBufferBytes: 10 },
  );
  try {
    fake.setMode("hang");
    const line = "0123456789abcdefghi"; // 20 characters with the newline
    for (let i = 0; i < 12; i++) sink.write(`${line.slice(0, -1)}${i % 10}`);
    assert.equal(errors.lines.length, 1);
    assert.match(errors.lines[0] ?? "", /Cannot buffer stdout: 160 characters are waiting/);
  } finally {
    fake.setMode("ok");
    fake.release();
    await sink.close();
  }
  const lines = fake.written.join("").split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 8);
  assert.deepEqual(lines.map((l) => l.at(-1)), ["0", "1", "2", "3", "4", "5", "6", "7"]);
});
