import assert from "node:assert/strict";
import { eventually, within } from "../_deadline.ts";
import { join } from "node:path";
import {
  alreadyRunning,
  buildSelfCommand,
  CONTROL_SIGNALS,
  CONTROL_VERBS,
  type ControlPlan,
  type ControlVerb,
  isControlVerb,
  isProcessAlive,
  PidFileError,
  planControl,
  readPidFile,
  readSelfFacts,
  ServerStartError,
  signalServer,
  startDetached,
  writePidFile,
} from "../../platform/mod.ts";

const DEADLINE_MS = 4_000;

function tempDir(): { path: string } & Disposable {
  const path = Deno.makeTempDirSync({ prefix: "mpmd_control_test_" });
  return { path, [Symbol.dispose]: () => Deno.removeSync(path, { recursive: true }) };
}

/** This test process's own `deno run` command, pointed at a test fixture instead. */
function fixture(name: string, args: readonly string[]) {
  return buildSelfCommand(
    { ...readSelfFacts(), mainModule: new URL(name, import.meta.url).href },
    args,
  );
}

/** Polls `check` until it holds or the deadline passes. */

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", ""],
    stdin: "null",
    stdout: "null",
  }).spawn();
  await child.status;
  return child.pid;
}

Deno.test("CONTROL_SIGNALS maps each verb to httpd's signal, graceful to SIGUSR2", () => {
  assert.deepEqual(CONTROL_SIGNALS, {
    stop: "SIGTERM",
    restart: "SIGHUP",
    graceful: "SIGUSR2",
    "graceful-stop": "SIGWINCH",
  });
  assert.ok(!Object.values(CONTROL_SIGNALS).includes("SIGUSR1"));
});

Deno.test("isControlVerb()", async (t) => {
  for (const verb of CONTROL_VERBS) {
    await t.step(`accepts ${verb}`, () => assert.equal(isControlVerb(verb), true));
  }
  for (const value of ["", "Stop", "reload", "graceful_stop", "status"]) {
    await t.step(`refuses '${value}'`, () => assert.equal(isControlVerb(value), false));
  }
});

const NO_FILE = { pid: null, alive: false };
const STALE = { pid: 77, alive: false };
const RUNNING = { pid: 77, alive: true };
const start = (message: string): ControlPlan => ({ kind: "start", message });
const report = (message: string): ControlPlan => ({ kind: "report", message, exitCode: 0 });
const signal = (sig: Deno.Signal, failureExitCode: 0 | 1): ControlPlan => ({
  kind: "signal",
  pid: 77,
  signal: sig,
  failureExitCode,
});
const TRYING = "mpmd not running, trying to start";

const PLAN_CASES: {
  verb: ControlVerb;
  status: typeof RUNNING | typeof NO_FILE;
  plan: ControlPlan;
}[] = [
  { verb: "start", status: NO_FILE, plan: start("") },
  { verb: "start", status: STALE, plan: start("") },
  { verb: "start", status: RUNNING, plan: report("mpmd (pid 77) already running") },
  { verb: "stop", status: NO_FILE, plan: report("mpmd (no pid file) not running") },
  { verb: "stop", status: STALE, plan: report("mpmd (pid 77?) not running") },
  { verb: "stop", status: RUNNING, plan: signal("SIGTERM", 0) },
  { verb: "restart", status: NO_FILE, plan: start(TRYING) },
  { verb: "restart", status: STALE, plan: start(TRYING) },
  { verb: "restart", status: RUNNING, plan: signal("SIGHUP", 1) },
  { verb: "graceful", status: NO_FILE, plan: start(TRYING) },
  { verb: "graceful", status: STALE, plan: start(TRYING) },
  { verb: "graceful", status: RUNNING, plan: signal("SIGUSR2", 1) },
  { verb: "graceful-stop", status: NO_FILE, plan: report("mpmd (no pid file) not running") },
  { verb: "graceful-stop", status: STALE, plan: report("mpmd (pid 77?) not running") },
  { verb: "graceful-stop", status: RUNNING, plan: signal("SIGWINCH", 1) },
];

Deno.test("planControl()", async (t) => {
  for (const c of PLAN_CASES) {
    const state = c.status.pid === null ? "no PidFile" : c.status.alive ? "running" : "stale pid";
    await t.step(`${c.verb}, ${state}`, () => {
      assert.deepEqual(planControl(c.verb, c.status), c.plan);
    });
  }
});

/** Starts the signal fixture and waits until its listeners are installed. */
async function startSignalChild(): Promise<{ child: Deno.ChildProcess; output: Promise<string> }> {
  const command = fixture("./_signal_child.ts", []);
  const child = new Deno.Command(command.command, {
    args: [...command.args],
    stdin: "null",
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const read = await within(reader.read(), "'ready' from the signal child", DEADLINE_MS);
    if (read.done) break;
    text += read.value;
  }
  assert.equal(text, "ready\n");
  const output = (async () => {
    let rest = "";
    for (let read = await reader.read(); !read.done; read = await reader.read()) rest += read.value;
    return rest;
  })();
  return { child, output };
}

Deno.test("signalServer() sends each verb's signal to the server in the PidFile", async (t) => {
  using dir = tempDir();
  const pidFile = join(dir.path, "mpmd.pid");
  for (const [verb, sig] of Object.entries(CONTROL_SIGNALS) as [ControlVerb, Deno.Signal][]) {
    await t.step(`${verb} sends ${sig}`, async () => {
      const { child, output } = await startSignalChild();
      try {
        writePidFile(pidFile, child.pid);
        assert.deepEqual(signalServer(verb, pidFile), {
          ok: true,
          startInstead: false,
          message: "",
          exitCode: 0,
          signalled: child.pid,
        });
        assert.equal(await within(output, `${sig} from the signal child`, DEADLINE_MS), `${sig}\n`);
        assert.equal((await child.status).code, 0);
      } finally {
        if (isProcessAlive(child.pid)) child.kill("SIGKILL");
        await child.status;
        await output;
      }
    });
  }
});

Deno.test("signalServer() without a running server", async (t) => {
  using dir = tempDir();
  const stale = await deadPid();
  const CASES = [
    {
      name: "stop, no PidFile: says so, exit 0",
      verb: "stop",
      pid: null,
      result: { ok: false, startInstead: false, message: "mpmd (no pid file) not running" },
    },
    {
      name: "stop, stale PidFile: says so, exit 0",
      verb: "stop",
      pid: stale,
      result: { ok: false, startInstead: false, message: `mpmd (pid ${stale}?) not running` },
    },
    {
      name: "graceful-stop, stale PidFile: says so, exit 0",
      verb: "graceful-stop",
      pid: stale,
      result: { ok: false, startInstead: false, message: `mpmd (pid ${stale}?) not running` },
    },
    {
      name: "restart, stale PidFile: start instead",
      verb: "restart",
      pid: stale,
      result: { ok: true, startInstead: true, message: "mpmd not running, trying to start" },
    },
    {
      name: "graceful, no PidFile: start instead",
      verb: "graceful",
      pid: null,
      result: { ok: true, startInstead: true, message: "mpmd not running, trying to start" },
    },
    {
      name: "start, stale PidFile: start, silently",
      verb: "start",
      pid: stale,
      result: { ok: true, startInstead: true, message: "" },
    },
  ] as const;
  for (const [index, c] of CASES.entries()) {
    await t.step(c.name, () => {
      const pidFile = join(dir.path, `${index}.pid`);
      if (c.pid !== null) writePidFile(pidFile, c.pid);
      assert.deepEqual(signalServer(c.verb, pidFile), {
        ...c.result,
        exitCode: 0,
        signalled: null,
      });
      if (c.pid !== null) assert.equal(readPidFile(pidFile), c.pid, "the PidFile is left alone");
    });
  }
});

Deno.test("signalServer() refuses a PidFile with garbage, whatever the verb", async (t) => {
  using dir = tempDir();
  const pidFile = join(dir.path, "mpmd.pid");
  Deno.writeTextFileSync(pidFile, "not a pid\n");
  for (const verb of CONTROL_VERBS) {
    await t.step(verb, () => {
      assert.throws(
        () => signalServer(verb, pidFile),
        (error: unknown) =>
          error instanceof PidFileError &&
          error.message === `Cannot read PidFile ${pidFile}: 'not a pid' is not a process id`,
      );
    });
  }
});

Deno.test("signalServer() start with a live server says it is already running, exit 0", () => {
  using dir = tempDir();
  const pidFile = join(dir.path, "mpmd.pid");
  // Deno.pid is alive and "start" sends nothing, so the test runner is never signalled.
  writePidFile(pidFile, Deno.pid);
  assert.deepEqual(signalServer("start", pidFile), {
    ok: false,
    startInstead: false,
    message: `mpmd (pid ${Deno.pid}) already running`,
    exitCode: 0,
    signalled: null,
  });
});

Deno.test("alreadyRunning()", async (t) => {
  using dir = tempDir();
  const pidFile = join(dir.path, "mpmd.pid");
  await t.step("is null without a PidFile", () => {
    assert.equal(alreadyRunning(pidFile), null);
  });
  await t.step("is null for a stale PidFile", async () => {
    writePidFile(pidFile, await deadPid());
    assert.equal(alreadyRunning(pidFile), null);
  });
  await t.step("is the pid of a live server", () => {
    writePidFile(pidFile, Deno.pid);
    assert.equal(alreadyRunning(pidFile), Deno.pid);
  });
  await t.step("throws PidFileError for garbage", () => {
    Deno.writeTextFileSync(pidFile, "-1\n");
    assert.throws(() => alreadyRunning(pidFile), PidFileError);
  });
});

Deno.test("startDetached() resolves once the server wrote its PidFile; -k stop stops it", async () => {
  using dir = tempDir();
  const pidFile = join(dir.path, "mpmd.pid");
  const server = await startDetached(fixture("./_pid_file_server.ts", ["serve", pidFile]), {
    pidFile,
    readyTimeoutMs: DEADLINE_MS,
  });
  try {
    assert.equal(readPidFile(pidFile), server.pid);
    assert.equal(isProcessAlive(server.pid), true);
    assert.equal(alreadyRunning(pidFile), server.pid);
    if (Deno.build.os === "linux") {
      const stat = Deno.readTextFileSync(`/proc/${server.pid}/stat`).split(") ")[1]!.split(" ");
      assert.equal(stat[3], String(server.pid), "it leads its own session, away from our terminal");
    }
    assert.equal(signalServer("stop", pidFile).ok, true);
    await eventually(() => !isProcessAlive(server.pid), `exit of pid ${server.pid}`, DEADLINE_MS);
    assert.equal(readPidFile(pidFile), null, "the server removed its PidFile");
  } finally {
    if (isProcessAlive(server.pid)) Deno.kill(server.pid, "SIGKILL");
  }
});

Deno.test("startDetached() rejects with the exit code of a server that exits first", async () => {
  using dir = tempDir();
  const pidFile = join(dir.path, "mpmd.pid");
  await assert.rejects(
    startDetached(fixture("./_pid_file_server.ts", ["exit", "3"]), {
      pidFile,
      readyTimeoutMs: DEADLINE_MS,
      stderr: "null",
    }),
    (error: unknown) => {
      assert.ok(error instanceof ServerStartError);
      assert.equal(error.name, "ServerStartError");
      assert.equal(error.status?.code, 3);
      assert.equal(
        error.message,
        `Cannot start mpmd: process ${error.pid} exited with code 3 before writing PidFile ${pidFile}`,
      );
      return true;
    },
  );
});

Deno.test("startDetached() stops a server that writes no PidFile by the deadline", async () => {
  using dir = tempDir();
  const pidFile = join(dir.path, "mpmd.pid");
  // A leftover PidFile of garbage must not count as ready, nor end the wait early.
  Deno.writeTextFileSync(pidFile, "junk\n");
  let pid = 0;
  await assert.rejects(
    startDetached(fixture("./_pid_file_server.ts", ["silent"]), { pidFile, readyTimeoutMs: 300 }),
    (error: unknown) => {
      assert.ok(error instanceof ServerStartError);
      assert.equal(error.status, null);
      assert.match(error.message, /wrote no PidFile .* within 300 ms, so it was sent SIGTERM$/);
      pid = error.pid;
      return true;
    },
  );
  try {
    await eventually(() => !isProcessAlive(pid), `exit of pid ${pid}`, DEADLINE_MS);
  } finally {
    if (isProcessAlive(pid)) Deno.kill(pid, "SIGKILL");
  }
});

Deno.test("startDetached() rejects with NotFound for a missing program", async () => {
  using dir = tempDir();
  await assert.rejects(
    startDetached({ command: join(dir.path, "no-such-program"), args: [] }, {
      pidFile: join(dir.path, "mpmd.pid"),
    }),
    Deno.errors.NotFound,
  );
});
