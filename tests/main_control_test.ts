import assert from "node:assert/strict";
import { join } from "node:path";
import { isProcessAlive, readPidFile } from "../platform/mod.ts";
import { eventually } from "./_deadline.ts";
import { runMpmd } from "./_server.ts";

const DEADLINE_MS = 15_000;

Deno.test("-k start, graceful, stop: a background server controlled through its PidFile", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_control_" });
  const pidFile = join(dir, "run", "mpmd.pid");
  await Deno.mkdir(join(dir, "run"));
  const errorLog = join(dir, "error.log");
  const config = join(dir, "mpmd.yaml");
  await Deno.writeTextFile(
    config,
    [
      "Listen: 127.0.0.1:0",
      "MPM: prefork",
      "LogLevel: info",
      `PidFile: ${pidFile}`,
      `ErrorLog: ${errorLog}`,
      `DocumentRoot: ${new URL("../examples/site", import.meta.url).pathname}`,
      "prefork:",
      "  StartServers: 1",
    ].join("\n"),
  );
  const log = () => Deno.readTextFile(errorLog).catch(() => "");
  let pid: number | null = null;
  try {
    const started = await runMpmd(["-k", "start", "-f", config]);
    assert.equal(started.code, 0, started.stderr);
    pid = readPidFile(pidFile);
    assert.ok(pid !== null && isProcessAlive(pid), "the PidFile names a live server");

    // -k start returns once the server serves: its announcement is already in the log.
    const origin = /Listening on (http:\/\/\S+?)\/?$/m.exec(await log())?.[1];
    assert.ok(origin !== undefined, await log());
    const response = await fetch(`${origin}/`, { headers: { connection: "close" } });
    await response.arrayBuffer();
    assert.equal(response.status, 200);

    const again = await runMpmd(["-k", "start", "-f", config]);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, `mpmd (pid ${pid}) already running\n`);

    const graceful = await runMpmd(["-k", "graceful", "-f", config]);
    assert.equal(graceful.code, 0, graceful.stderr);
    await eventually(
      async () => /generation 2 serving/.test(await log()),
      "generation 2",
      DEADLINE_MS,
    );

    const stopped = await runMpmd(["-k", "stop", "-f", config]);
    assert.equal(stopped.code, 0, stopped.stderr);
    // -k stop returns once the server has exited, as a script's next line expects.
    assert.equal(isProcessAlive(pid), false, "the server is gone when -k stop returns");
    assert.equal(readPidFile(pidFile), null, "the PidFile is removed at exit");

    const none = await runMpmd(["-k", "stop", "-f", config]);
    assert.equal(none.stderr, "mpmd (no pid file) not running\n");
  } finally {
    if (pid !== null && isProcessAlive(pid)) Deno.kill(pid, "SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("-k rejects an unknown verb with the usage, exit 2", async () => {
  const result = await runMpmd(["-k", "reload"]);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /^mpmd: Cannot use -k reload: not one of start, stop, restart, graceful, graceful-stop\n/,
  );
});

Deno.test("-k start on a port in use says why and exits 1, with no stack trace", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const dir = await Deno.makeTempDir({ prefix: "mpmd_control_" });
  try {
    const config = join(dir, "mpmd.yaml");
    await Deno.writeTextFile(
      config,
      [
        `Listen: 127.0.0.1:${taken.addr.port}`,
        `PidFile: ${join(dir, "mpmd.pid")}`,
        `DocumentRoot: ${new URL("../examples/site", import.meta.url).pathname}`,
      ].join("\n"),
    );
    const result = await runMpmd(["-k", "start", "-f", config]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `^${config}:1: \\(98\\)Address already in use: make_sock: could not bind to address 127\\.0\\.0\\.1:${taken.addr.port}\\nno listening sockets available, shutting down\\nmpmd: Cannot start mpmd: process \\d+ exited with code 1 before writing PidFile .*\\n$`,
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("-k start with a log it cannot create names the path and exits 1; nothing is started", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_control_" });
  try {
    const config = join(dir, "mpmd.yaml");
    await Deno.writeTextFile(
      config,
      [
        "Listen: 127.0.0.1:0",
        `DocumentRoot: ${new URL("../examples/site", import.meta.url).pathname}`,
        `ErrorLog: ${dir}/missing/error.log`,
      ].join("\n"),
    );
    const result = await runMpmd(["-k", "start", "-f", config], { XDG_RUNTIME_DIR: dir });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `${config}:3: Cannot open log file ${dir}/missing/error.log: no such directory ${dir}/missing\n`,
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["mpmd.yaml"], "no PidFile");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("-k start relays what a server logging to a file said before it failed", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const dir = await Deno.makeTempDir({ prefix: "mpmd_control_" });
  try {
    const config = join(dir, "mpmd.yaml");
    await Deno.writeTextFile(
      config,
      [
        `Listen: 127.0.0.1:${taken.addr.port}`,
        `DocumentRoot: ${new URL("../examples/site", import.meta.url).pathname}`,
        `ErrorLog: ${dir}/error.log`,
      ].join("\n"),
    );
    const result = await runMpmd(["-k", "start", "-f", config], { XDG_RUNTIME_DIR: dir });
    assert.equal(result.code, 1);
    const lines = result.stderr.trimEnd().split("\n");
    assert.match(lines[0]!, /\[core:emerg\] .*\(98\)Address already in use: make_sock/);
    assert.match(lines[1]!, /\[core:emerg\] .*no listening sockets available, shutting down$/);
    assert.match(lines[2]!, /^mpmd: Cannot start mpmd: process \d+ exited with code 1/);
    assert.equal(lines.length, 3, result.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("-k without a PidFile: a per-user one in $XDG_RUNTIME_DIR, named after the config", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_control_" });
  const env = { XDG_RUNTIME_DIR: dir };
  let pid: number | null = null;
  try {
    const config = join(dir, "site.yaml");
    await Deno.writeTextFile(
      config,
      [
        "Listen: 127.0.0.1:0",
        "MPM: prefork",
        `DocumentRoot: ${new URL("../examples/site", import.meta.url).pathname}`,
        `ErrorLog: ${dir}/error.log`,
        "prefork:",
        "  StartServers: 1",
      ].join("\n"),
    );
    const started = await runMpmd(["-k", "start", "-f", config], env);
    assert.equal(started.code, 0, started.stderr);
    const [pidFile, ...others] = [...Deno.readDirSync(join(dir, "mpmd"))].map((e) => e.name);
    assert.match(pidFile ?? "", /^site-[0-9a-f]{8}\.pid$/);
    assert.deepEqual(others, []);
    assert.equal(Deno.statSync(join(dir, "mpmd")).mode! & 0o777, 0o700);
    pid = readPidFile(join(dir, "mpmd", pidFile!));
    assert.ok(pid !== null && isProcessAlive(pid));

    const stopped = await runMpmd(["-k", "stop", "-f", config], env);
    assert.equal(stopped.code, 0, stopped.stderr);
    const server = pid;
    await eventually(() => !isProcessAlive(server), "the server's exit", DEADLINE_MS);
    assert.deepEqual([...Deno.readDirSync(join(dir, "mpmd"))], [], "removed at exit");
  } finally {
    if (pid !== null && isProcessAlive(pid)) Deno.kill(pid, "SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});
