import assert from "node:assert/strict";
import {
  BenchError,
  type ExpectedFile,
  type LaunchSpec,
  startServer,
  waitUntilServing,
} from "../../bench/mod.ts";

const BODY = "x".repeat(1023) + "\n";
const EXPECTED: ExpectedFile = {
  path: "/1k.txt",
  body: new TextEncoder().encode(BODY),
  mediaType: "text/plain",
};

function freePort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return listener.addr.port;
}

/** A LaunchSpec running `code` in a fresh Deno process; `PORT` in the code is replaced. */
function denoServer(dir: string, port: number, code: string): LaunchSpec {
  return {
    command: [Deno.execPath(), "eval", code.replaceAll("PORT", String(port))],
    configPath: `${dir}/unused.conf`,
    configText: "",
    dirs: [],
    errorLog: `${dir}/error.log`,
  };
}

const serve = (body: string) =>
  `Deno.serve({ hostname: "127.0.0.1", port: PORT, onListen() {} }, () =>
     new Response(${JSON.stringify(body)}, { headers: { "content-type": "text/plain" } }));`;

/** Whether `pid` runs; a zombie waiting for its reaper counts as gone. */
async function running(pid: number): Promise<boolean> {
  const out = await new Deno.Command("ps", {
    args: ["-o", "stat=", "-p", String(pid)],
    stdout: "piped",
    stderr: "null",
  }).output();
  const stat = new TextDecoder().decode(out.stdout).trim();
  return stat !== "" && !stat.startsWith("Z");
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_bench_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const READY = { deadlineMs: 10_000, signal: new AbortController().signal };

Deno.test("startServer() and waitUntilServing() start, verify and stop a server", () =>
  withDir(async (dir) => {
    const port = freePort();
    await using server = await startServer("ok", denoServer(dir, port, serve(BODY)));
    await waitUntilServing(server, port, EXPECTED, READY);
    assert.deepEqual(await server.stop(), { kind: "clean", killed: [] });
    assert.notEqual(server.exitStatus, null);
  }));

Deno.test("startServer() makes the server lead its own session and process group", () =>
  withDir(async (dir) => {
    // Apache prefork signals its process group on shutdown: it must not be ours.
    const port = freePort();
    await using server = await startServer("ok", denoServer(dir, port, serve(BODY)));
    await waitUntilServing(server, port, EXPECTED, READY);
    const out = await new Deno.Command("ps", {
      args: ["-o", "pgid=,sid=", "-p", String(server.pid)],
      stdout: "piped",
    }).output();
    const [pgid, sid] = new TextDecoder().decode(out.stdout).trim().split(/\s+/).map(Number);
    assert.deepEqual([pgid, sid], [server.pid, server.pid]);
  }));

Deno.test("waitUntilServing() rejects a server that serves another body", () =>
  withDir(async (dir) => {
    const port = freePort();
    await using server = await startServer("wrong", denoServer(dir, port, serve("y".repeat(1024))));
    await assert.rejects(
      waitUntilServing(server, port, EXPECTED, READY),
      (e) => e instanceof BenchError && /gave body of 1024 bytes differs/.test(e.message),
    );
  }));

Deno.test("waitUntilServing() reports a server that exits before serving", () =>
  withDir(async (dir) => {
    const port = freePort();
    const code = `console.error("no config"); Deno.exit(3);`;
    await using server = await startServer("dies", denoServer(dir, port, code));
    await assert.rejects(
      waitUntilServing(server, port, EXPECTED, READY),
      (e) => e instanceof BenchError && /exited with code 3 .*: no config$/.test(e.message),
    );
  }));

Deno.test("ServerProcess.stop() kills a server that ignores SIGTERM", () =>
  withDir(async (dir) => {
    const port = freePort();
    const code = `Deno.addSignalListener("SIGTERM", () => {}); ${serve(BODY)}`;
    await using server = await startServer("stubborn", denoServer(dir, port, code), 300);
    await waitUntilServing(server, port, EXPECTED, READY);
    assert.deepEqual(await server.stop(), { kind: "forced", killed: [server.pid] });
    assert.equal(server.exitStatus?.signal, "SIGKILL");
  }));

Deno.test("ServerProcess.stop() kills children left behind by the server", () =>
  withDir(async (dir) => {
    const port = freePort();
    // Like an nginx worker whose master died: the child outlives the parent.
    const code = `const c = new Deno.Command("sleep", { args: ["30"] }).spawn();
      Deno.writeTextFileSync(${JSON.stringify(`${dir}/child.pid`)}, String(c.pid));
      ${serve(BODY)}`;
    await using server = await startServer("leaky", denoServer(dir, port, code));
    await waitUntilServing(server, port, EXPECTED, READY);
    const child = Number(await Deno.readTextFile(`${dir}/child.pid`));
    assert.ok(await running(child));
    assert.deepEqual(await server.stop(), { kind: "forced", killed: [child] });
    // SIGKILL is asynchronous: poll with a deadline.
    const deadline = Date.now() + 5_000;
    while (await running(child) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(!await running(child), `pid ${child} still running`);
  }));
