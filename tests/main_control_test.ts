import assert from "node:assert/strict";
import { join } from "node:path";
import { isProcessAlive, readPidFile } from "../platform/mod.ts";
import { eventually } from "./_deadline.ts";
import { runMpmd } from "./_server.ts";

const DEADLINE_MS = 15_000;

Deno.test("-k start, graceful, stop: a background server controlled through its PidFile", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_control_" });
  const pidFile = join(dir, "run", "mpmd.pid");
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

    const origin = await eventually(
      async () => /Listening on (http:\/\/\S+?)\/?$/m.exec(await log())?.[1],
      "a Listening line in the error log",
      DEADLINE_MS,
    );
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
    const server = pid;
    await eventually(() => !isProcessAlive(server), "the server's exit", DEADLINE_MS);
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
