import assert from "node:assert/strict";

const MOD = new URL("../../../server/log/mod.ts", import.meta.url).href;

/** Runs `code` (with the log module imported as `log`) in a fresh Deno process. */
async function runScript(code: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `import * as log from ${JSON.stringify(MOD)};\n${code}`],
    stdin: "null",
    env: { NO_COLOR: "1" },
    // A sink whose timer keeps the process alive would otherwise hang the test run.
    signal: AbortSignal.timeout(15_000),
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

Deno.test("openLogSink() file and stdout sinks flush what is buffered at exit", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_log_" });
  try {
    await t.step("file, on Deno.exit()", async () => {
      const path = `${dir}/exit_log`;
      const result = await runScript(
        `const sink = log.openLogSink(${JSON.stringify(path)}, { flushIntervalMs: 600000 });
         sink.write("before exit");
         Deno.exit(3);`,
      );
      assert.equal(result.code, 3, result.stderr);
      assert.equal(await Deno.readTextFile(path), "before exit\n");
    });
    await t.step("file, when the event loop runs dry (the timer is unref'd)", async () => {
      const path = `${dir}/idle_log`;
      const result = await runScript(
        `const sink = log.openLogSink(${JSON.stringify(path)}, { flushIntervalMs: 600000 });
         sink.write("at the end");`,
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(await Deno.readTextFile(path), "at the end\n");
    });
    await t.step("stdout", async () => {
      const result = await runScript(
        `const sink = log.openLogSink("stdout");
         sink.write("to stdout");
         Deno.exit(0);`,
      );
      assert.equal(result.stdout, "to stdout\n");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openLogSink() stderr is written synchronously", async () => {
  const result = await runScript(
    `const errorLog = log.createErrorLog({ level: "warn", sink: log.openLogSink("stderr"), pid: 9 });
     errorLog.withModule("mpm_event").notice("resuming normal operations");
     errorLog.info("dropped");
     Deno.kill(Deno.pid, "SIGKILL");`,
  );
  assert.match(
    result.stderr,
    /^\[\w{3} \w{3} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4}\] \[mpm_event:notice\] \[pid 9:tid 0\] resuming normal operations\n$/,
  );
});
