/**
 * mpmd as a container runs it: PID 1 of its own PID namespace, a non-root user, the install
 * directory and Deno's cache read-only. `unshare` and bind mounts stand in for the container
 * runtime (they need root, as CI has; elsewhere the tests are skipped).
 *
 * @module
 */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { eventually, within } from "../_deadline.ts";
import { RawClient } from "../server/http/_raw_client.ts";

const REPO = new URL("../..", import.meta.url).pathname;
const NOBODY = 65534;
const DEADLINE_MS = 20_000;
/** GracefulShutdownTimeout of the graceful case, in seconds. */
const GRACE_S = 10;
/** How long the request in flight takes once its head is out. */
const TRICKLE_MS = 3_000;
const canUnshare = Deno.build.os === "linux" && Deno.uid() === 0;

/** mpmd running as PID 1 of a namespace, seen from outside. */
interface ContainedServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly port: number;
  /** Its pid outside the namespace (inside it is 1). */
  readonly pid: number;
  /** Every stderr line so far. */
  readonly stderr: string[];
  /** Its exit status (that of `unshare`, which passes it on). */
  readonly status: Promise<Deno.CommandStatus>;
}

/** Deno's cache, which the contained server reads (and must not write). */
async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

async function startContained(configYaml: string): Promise<ContainedServer> {
  const root = await Deno.makeTempDir({ prefix: "mpmd_pid1_" });
  await Deno.chmod(root, 0o755);
  for (const dir of ["deno", "denodir", "mpmd"]) await Deno.mkdir(join(root, dir));
  const config = join(root, "mpmd.yaml");
  await Deno.writeTextFile(config, configYaml.replaceAll("@MPMD@", join(root, "mpmd")));
  // The mounts live in the namespace's own mount table: they vanish with it.
  const script = [
    `mount --bind -o ro '${dirname(Deno.execPath())}' '${root}/deno'`,
    `mount --bind -o ro '${await denoDir()}' '${root}/denodir'`,
    `mount --bind -o ro '${REPO}' '${root}/mpmd'`,
    `exec setpriv --reuid ${NOBODY} --regid ${NOBODY} --clear-groups env -i ` +
    `DENO_DIR='${root}/denodir' HOME=/nonexistent NO_COLOR=1 ` +
    `'${root}/deno/${Deno.execPath().split("/").pop()}' run -A --cached-only ` +
    `'${root}/mpmd/main.ts' -f '${config}'`,
  ].join(" && ");
  const child = new Deno.Command("unshare", {
    args: ["--pid", "--fork", "--mount-proc", "--mount", "bash", "-c", script],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr: string[] = [];
  const listening = Promise.withResolvers<number>();
  void (async () => {
    let rest = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      for (const line of lines) {
        stderr.push(line);
        const port = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line)?.[1];
        if (port !== undefined) listening.resolve(Number(port));
      }
    }
    listening.reject(new Error(`exited before listening:\n${stderr.join("\n")}`));
  })();
  const port = await within(listening.promise, "Listening line", DEADLINE_MS);
  const pid = Number(
    Deno.readTextFileSync(`/proc/${child.pid}/task/${child.pid}/children`).trim().split(" ")[0],
  );
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    pid,
    stderr,
    status: child.status,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
      await child.status;
      await Deno.remove(root, { recursive: true });
    },
  };
}

function configYaml(graceful: boolean): string {
  return [
    "Listen: 127.0.0.1:0",
    "DocumentRoot: @MPMD@/examples/site",
    `GracefulSigterm: ${graceful ? "On" : "Off"}`,
    `GracefulShutdownTimeout: ${GRACE_S}`,
    "Health: /healthz",
    "App:",
    "  - Location: /trickle",
    "    Module: @MPMD@/tests/container/_trickle_app.ts",
    "event:",
    "  StartServers: 1",
    "  ThreadsPerChild: 2",
    "  MinSpareThreads: 1",
    "  MaxSpareThreads: 3",
  ].join("\n");
}

/** A request whose head has arrived and whose body is still coming. */
async function requestInFlight(origin: string): Promise<Response> {
  const response = await fetch(`${origin}/trickle?ms=${TRICKLE_MS}`);
  assert.equal(response.status, 200);
  return response;
}

Deno.test({
  name: "as PID 1, non-root, read-only: GracefulSigterm finishes a request in flight, exits 0",
  ignore: !canUnshare,
  async fn() {
    await using server = await startContained(configYaml(true));
    assert.ok(server.stderr.some((line) => line.includes("[pid 1:tid 0]")), "PID 1");
    const health = await fetch(`${server.origin}/healthz`);
    assert.deepEqual([health.status, await health.text()], [200, "OK\n"]);

    // A load balancer's kept-alive connection, probing.
    await using probe = await RawClient.connect(server.port);
    const ask = async () => {
      await probe.send("GET /healthz HTTP/1.1\r\nHost: pod\r\n\r\n");
      return await probe.readResponse();
    };
    assert.equal((await ask()).status, 200);

    const slow = await requestInFlight(server.origin);
    const signalled = Date.now();
    Deno.kill(server.pid, "SIGTERM");
    // Draining: the probe's next answer says so, and closes the connection.
    const draining = await eventually(
      async () => {
        const answer = await ask();
        return answer.status === 503 && answer;
      },
      "a 503 from the health endpoint",
      DEADLINE_MS,
    );
    assert.equal(draining.headers.get("connection"), "close");

    assert.equal(await slow.text(), "started\nfinished\n", "the request in flight finished");
    const status = await within(server.status, "the server's exit", DEADLINE_MS);
    assert.equal(status.code, 0, server.stderr.join("\n"));
    assert.ok(Date.now() - signalled < GRACE_S * 1000, "exited within GracefulShutdownTimeout");
    assert.ok(
      server.stderr.some((line) => line.includes("caught SIGTERM, shutting down gracefully")),
    );
  },
});

Deno.test({
  name: "as PID 1 without GracefulSigterm: SIGTERM stops at once, as httpd's does",
  ignore: !canUnshare,
  async fn() {
    await using server = await startContained(configYaml(false));
    const slow = await requestInFlight(server.origin);
    Deno.kill(server.pid, "SIGTERM");
    const body = await slow.text().catch(() => "aborted");
    assert.ok(!body.includes("finished"), `the request in flight was cut: ${body}`);
    const status = await within(server.status, "the server's exit", DEADLINE_MS);
    assert.equal(status.code, 0, server.stderr.join("\n"));
    assert.ok(server.stderr.some((line) => line.includes("caught SIGTERM, shutting down")));
  },
});
