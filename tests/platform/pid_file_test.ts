import assert from "node:assert/strict";
import { join } from "node:path";
import {
  defaultPidFilePath,
  isProcessAlive,
  PidFileError,
  readPidFile,
  removePidFile,
  waitForExit,
  writePidFile,
} from "../../platform/mod.ts";

const DEADLINE_MS = 4_000;

function tempDir(): { path: string } & Disposable {
  const path = Deno.makeTempDirSync({ prefix: "mpmd_pid_file_test_" });
  return { path, [Symbol.dispose]: () => Deno.removeSync(path, { recursive: true }) };
}

function namesIn(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

/** Polls `check` until it holds or the deadline passes. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`No ${what} within ${DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("writePidFile() writes '<pid>\\n' and leaves no other file", () => {
  using dir = tempDir();
  const path = join(dir.path, "mpmd.pid");
  writePidFile(path, 4242);
  assert.equal(Deno.readTextFileSync(path), "4242\n");
  assert.deepEqual(namesIn(dir.path), ["mpmd.pid"]);
  if (Deno.build.os !== "windows") {
    assert.equal(Deno.statSync(path).mode! & 0o600, 0o600);
    assert.equal(Deno.statSync(path).mode! & 0o022, 0, "not writable by others");
  }
});

Deno.test("writePidFile() replaces an existing PidFile", () => {
  using dir = tempDir();
  const path = join(dir.path, "mpmd.pid");
  Deno.writeTextFileSync(path, "garbage that is longer than a pid\n");
  writePidFile(path, 7);
  assert.equal(Deno.readTextFileSync(path), "7\n");
  assert.deepEqual(namesIn(dir.path), ["mpmd.pid"]);
});

Deno.test("writePidFile() throws PidFileError into a missing folder and creates nothing", () => {
  using dir = tempDir();
  const path = join(dir.path, "missing", "mpmd.pid");
  assert.throws(() => writePidFile(path, 1), (error: unknown) => {
    assert.ok(error instanceof PidFileError);
    assert.equal(error.name, "PidFileError");
    assert.equal(error.path, path);
    assert.match(error.message, /^Cannot write PidFile .*missing\/mpmd\.pid: \S/);
    assert.ok(error.cause instanceof Deno.errors.NotFound);
    return true;
  });
  assert.deepEqual(namesIn(dir.path), []);
});

Deno.test("writePidFile() over a directory throws PidFileError and removes its temporary file", () => {
  using dir = tempDir();
  const path = join(dir.path, "taken");
  Deno.mkdirSync(join(path, "inside"), { recursive: true });
  assert.throws(() => writePidFile(path, 1), PidFileError);
  assert.deepEqual(namesIn(dir.path), ["taken"]);
});

Deno.test("readPidFile() returns null when there is no PidFile", () => {
  using dir = tempDir();
  assert.equal(readPidFile(join(dir.path, "mpmd.pid")), null);
});

const READ_CASES = [
  { name: "reads what writePidFile() writes", content: "4242\n", pid: 4242 },
  { name: "reads a pid without a newline", content: "17", pid: 17 },
  { name: "reads a pid with surrounding whitespace", content: "  99 \r\n", pid: 99 },
  { name: "reads the largest pid", content: "2147483647\n", pid: 2147483647 },
  { name: "refuses an empty file", content: "", pid: "''" },
  { name: "refuses words", content: "mpmd\n", pid: "'mpmd'" },
  { name: "refuses 0, which kill() takes as the process group", content: "0\n", pid: "'0'" },
  { name: "refuses -1, which kill() takes as every process", content: "-1\n", pid: "'-1'" },
  { name: "refuses a leading zero", content: "012\n", pid: "'012'" },
  { name: "refuses trailing garbage", content: "12abc\n", pid: "'12abc'" },
  { name: "refuses two pids", content: "12\n13\n", pid: "'12\n13'" },
  { name: "refuses a fraction", content: "1.5\n", pid: "'1.5'" },
  { name: "refuses a pid above 2^31 - 1", content: "2147483648\n", pid: "'2147483648'" },
  {
    name: "quotes at most 40 characters",
    content: "x".repeat(100),
    pid: `'${"x".repeat(40)}…'`,
  },
];

Deno.test("readPidFile()", async (t) => {
  using dir = tempDir();
  const path = join(dir.path, "mpmd.pid");
  for (const c of READ_CASES) {
    await t.step(c.name, () => {
      Deno.writeTextFileSync(path, c.content);
      if (typeof c.pid === "number") {
        assert.equal(readPidFile(path), c.pid);
        return;
      }
      assert.throws(() => readPidFile(path), (error: unknown) => {
        assert.ok(error instanceof PidFileError);
        assert.equal(error.message, `Cannot read PidFile ${path}: ${c.pid} is not a process id`);
        return true;
      });
    });
  }
});

Deno.test("readPidFile() of a directory throws PidFileError", () => {
  using dir = tempDir();
  assert.throws(() => readPidFile(dir.path), /^PidFileError: Cannot read PidFile /);
});

const REMOVE_CASES = [
  { name: "removes a PidFile that holds this pid", content: "300\n", left: [] },
  { name: "keeps a PidFile a newer server wrote", content: "301\n", left: ["mpmd.pid"] },
  { name: "keeps a PidFile that holds garbage", content: "junk\n", left: ["mpmd.pid"] },
  { name: "does nothing when there is no PidFile", content: null, left: [] },
];

Deno.test("removePidFile()", async (t) => {
  for (const c of REMOVE_CASES) {
    await t.step(c.name, () => {
      using dir = tempDir();
      const path = join(dir.path, "mpmd.pid");
      if (c.content !== null) Deno.writeTextFileSync(path, c.content);
      removePidFile(path, 300);
      assert.deepEqual(namesIn(dir.path), c.left);
      if (c.content !== null && c.left.length > 0) {
        assert.equal(Deno.readTextFileSync(path), c.content);
      }
    });
  }
});

Deno.test("isProcessAlive() is true for this process", () => {
  assert.equal(isProcessAlive(Deno.pid), true);
});

Deno.test("isProcessAlive() is true for a running child and false once it is reaped", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "setInterval(() => {}, 60_000)"],
    stdin: "null",
    stdout: "null",
  }).spawn();
  try {
    assert.equal(isProcessAlive(child.pid), true);
  } finally {
    child.kill("SIGKILL");
  }
  await child.status;
  assert.equal(isProcessAlive(child.pid), false);
});

Deno.test({
  name: "isProcessAlive() is false for a zombie nobody has reaped",
  ignore: Deno.build.os !== "linux",
  async fn() {
    // The background subshell exits only once its parent shell has become `sleep`, which
    // never waits for children: it stays a zombie until `sleep` dies. (Exiting earlier, the
    // shell itself might reap it.) In a subshell `$$` is still the parent shell's pid.
    const script = `(while [ "$(cat /proc/$$/comm)" != sleep ]; do sleep 0.01; done) & echo $!
exec sleep 30`;
    const parent = new Deno.Command("sh", {
      args: ["-c", script],
      stdin: "null",
      stdout: "piped",
    }).spawn();
    try {
      const reader = parent.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let line = "";
      while (!line.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("sh ended before printing the pid");
        line += value;
      }
      reader.releaseLock();
      const zombie = Number(line.trim());
      const state = () => Deno.readTextFileSync(`/proc/${zombie}/stat`).split(") ")[1]?.[0];
      await eventually(() => state() === "Z", `zombie state for pid ${zombie}`);
      assert.equal(isProcessAlive(zombie), false);
    } finally {
      parent.kill("SIGKILL");
      await parent.status;
      await parent.stdout.cancel().catch(() => {});
    }
  },
});

const DEAD_PID_CASES = [
  { name: "a pid above the kernel's pid_max", pid: 2 ** 22 + 1 },
  { name: "0", pid: 0 },
  { name: "-1", pid: -1 },
  { name: "a fraction", pid: 1.5 },
  { name: "NaN", pid: NaN },
];

Deno.test("isProcessAlive() is false for", async (t) => {
  for (const c of DEAD_PID_CASES) {
    await t.step(c.name, () => {
      assert.equal(isProcessAlive(c.pid), false);
    });
  }
});

Deno.test("defaultPidFilePath() is per user, per config file, never in the install directory", async (t) => {
  const base = { runtimeDir: "/run/user/1000", tempDir: "/tmp", uid: 1000 };
  const cases = [
    {
      name: "the embedded default, in $XDG_RUNTIME_DIR",
      facts: { ...base, configFile: null },
      want: "/run/user/1000/mpmd/mpmd.pid",
    },
    {
      name: "no runtime directory: a per-user folder of the temporary directory",
      facts: { ...base, runtimeDir: undefined, configFile: null },
      want: "/tmp/mpmd-1000/mpmd.pid",
    },
    {
      name: "an empty $XDG_RUNTIME_DIR counts as none",
      facts: { ...base, runtimeDir: "", configFile: null },
      want: "/tmp/mpmd-1000/mpmd.pid",
    },
    {
      name: "no user id (Windows)",
      facts: { ...base, runtimeDir: undefined, uid: null, configFile: null },
      want: "/tmp/mpmd/mpmd.pid",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.equal(defaultPidFilePath(c.facts), c.want));
  }
  await t.step("a config file: its base name and a hash of its path", () => {
    const one = defaultPidFilePath({ ...base, configFile: "/srv/a/site.yaml" });
    const other = defaultPidFilePath({ ...base, configFile: "/srv/b/site.yaml" });
    assert.match(one, /^\/run\/user\/1000\/mpmd\/site-[0-9a-f]{8}\.pid$/);
    assert.match(other, /^\/run\/user\/1000\/mpmd\/site-[0-9a-f]{8}\.pid$/);
    assert.notEqual(one, other);
    assert.equal(defaultPidFilePath({ ...base, configFile: "/srv/a/site.yaml" }), one, "stable");
  });
});

Deno.test("waitForExit() resolves once a process has exited, or says it still runs", async () => {
  const child = new Deno.Command("sleep", { args: ["30"], stdout: "null", stderr: "null" }).spawn();
  try {
    assert.equal(await waitForExit(child.pid, 50), false);
    child.kill("SIGTERM");
    // A child not yet reaped is a zombie: dead for waitForExit, as for isProcessAlive.
    assert.equal(await waitForExit(child.pid, DEADLINE_MS), true);
  } finally {
    await child.status;
  }
});
