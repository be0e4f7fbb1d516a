/**
 * The parent's listening sockets, shared by every slot: a connection goes to a slot that can
 * serve it, a port in use is refused as every server refuses it, and adopted connections keep
 * their real peer. The per-slot reuseport fallback (`MPMD_ACCEPT=reuseport`) is shown beside
 * it, with the imbalance it keeps.
 */

import assert from "node:assert/strict";
import { runMpmd } from "../../_server.ts";
import { RawClient } from "../../server/http/_raw_client.ts";
import { DeadlineError } from "../../server/http/_raw_client.ts";
import {
  getStatus,
  mpmConfig,
  scoreboardOf,
  scoreboardWhere,
  startMpmd,
  type TestServer,
} from "./_mpm.ts";

const TRIES = 50;
/**
 * How soon an idle slot answers. A connection left to a busy slot waits for KeepAliveTimeout
 * (30 s here), so a bound this far from both cannot mistake one for the other.
 */
const AT_ONCE_MS = 3_000;
const FALLBACK = { MPMD_ACCEPT: "reuseport" };

/** Two slots of each MPM that holds a connection per slot; keep-alive for 30 s. */
const TWO_SLOTS = [
  {
    mpm: "prefork",
    section: {
      StartServers: 2,
      MinSpareServers: 2,
      MaxSpareServers: 3,
      ServerLimit: 2,
      MaxRequestWorkers: 2,
    },
  },
  {
    mpm: "worker",
    section: {
      StartServers: 1,
      ServerLimit: 1,
      ThreadsPerChild: 2,
      MaxRequestWorkers: 2,
      MinSpareThreads: 1,
      MaxSpareThreads: 3,
    },
  },
  { mpm: "winnt", section: { ThreadsPerChild: 2 } },
] as const;

/** A client holding one slot with an idle keep-alive connection. */
async function holdOneSlot(server: TestServer): Promise<RawClient> {
  const held = await RawClient.connect(server.port);
  await held.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  assert.equal((await held.readResponse()).status, 200);
  await scoreboardWhere(
    server,
    (s) => s.processes.some((p) => p.slots.some((slot) => slot.state === "K")),
    "a slot held in keep-alive",
  );
  return held;
}

/** Whether a new connection is answered within {@link AT_ONCE_MS}. */
async function answeredAtOnce(port: number): Promise<boolean> {
  await using client = await RawClient.connect(port);
  await client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  try {
    assert.equal((await client.readResponse({ deadlineMs: AT_ONCE_MS })).status, 200);
    return true;
  } catch (error) {
    if (error instanceof DeadlineError) return false;
    throw error;
  }
}

for (const c of TWO_SLOTS) {
  Deno.test(`${c.mpm}: with one slot held by a keep-alive connection, ${TRIES} new connections are answered at once by the other`, async () => {
    await using server = await startMpmd(mpmConfig(c.mpm, c.section, "KeepAliveTimeout: 30"));
    await using _held = await holdOneSlot(server);
    for (let i = 0; i < TRIES; i++) {
      assert.ok(await answeredAtOnce(server.port), `connection ${i} answered at once`);
    }
  });

  Deno.test(`${c.mpm}: on per-slot reuseport listeners a new connection may wait for the held slot`, async () => {
    await using server = await startMpmd(
      mpmConfig(c.mpm, c.section, "KeepAliveTimeout: 30"),
      [],
      { env: FALLBACK },
    );
    await using _held = await holdOneSlot(server);
    // The kernel hashes each connection to a listener, the held slot's included: within 50
    // tries one lands there (the odds of missing it are 2^-50).
    let waited = false;
    for (let i = 0; i < TRIES && !waited; i++) waited = !await answeredAtOnce(server.port);
    assert.ok(waited, "a connection waited for the busy slot");
  });
}

Deno.test("a second server on a port in use fails with httpd's words, shared or not", async (t) => {
  await using first = await startMpmd(mpmConfig("prefork", { StartServers: 1 }));
  for (const env of [{}, FALLBACK]) {
    await t.step(JSON.stringify(env), async () => {
      const config = await Deno.makeTempFile({ suffix: ".yaml" });
      try {
        await Deno.writeTextFile(
          config,
          mpmConfig("worker", { StartServers: 1 }).replace(
            "Listen: 127.0.0.1:0",
            `Listen: 127.0.0.1:${first.port}`,
          ),
        );
        const { code, stderr } = await runMpmd(["-f", config], env);
        assert.equal(code, 1, stderr);
        assert.ok(
          stderr.includes(
            `${config}:1: (98)Address already in use: make_sock: could not bind to address 127.0.0.1:${first.port}\n` +
              "no listening sockets available, shutting down",
          ),
          stderr,
        );
      } finally {
        await Deno.remove(config);
      }
    });
  }
  assert.equal(await getStatus(first.origin), 200, "the first server serves on");
});

Deno.test("a restart that adds a Listen address in use is refused; the generation keeps serving", async () => {
  await using server = await startMpmd(mpmConfig("worker", { StartServers: 1 }));
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const config = await Deno.readTextFile(server.configFile!);
  await Deno.writeTextFile(
    server.configFile!,
    config.replace(
      "Listen: 127.0.0.1:0",
      `Listen: [127.0.0.1:${server.port}, 127.0.0.1:${taken.addr.port}]`,
    ),
  );
  Deno.kill(server.pid, "SIGUSR2");
  const refused = await server.waitForLog(/Cannot restart: /);
  assert.match(
    refused,
    new RegExp(
      `\\(98\\)Address already in use: make_sock: could not bind to address 127\\.0\\.0\\.1:${taken.addr.port}; generation 1 keeps serving`,
    ),
  );
  assert.equal((await scoreboardOf(server)).generation, 1);
  assert.equal(await getStatus(server.origin), 200);
});

Deno.test("adopted connections show the real peer: %a and %{remote}p, the status page, an app's remoteAddr", async () => {
  const dir = await Deno.makeTempDir();
  const app = `${dir}/peer.ts`;
  await Deno.writeTextFile(
    app,
    "export default { fetch: (_request: Request, info: { remoteAddr: Deno.NetAddr }) =>\n" +
      "  new Response(`${info.remoteAddr.hostname} ${info.remoteAddr.port}`) };\n",
  );
  try {
    await using server = await startMpmd(
      mpmConfig(
        "prefork",
        { StartServers: 1 },
        [
          `CustomLog: ["${dir}/access.log \\"%a %{remote}p %A %p %r\\""]`,
          "Status: /server-status",
          "App:",
          "  - Location: /peer",
          `    Module: ${app}`,
        ].join("\n"),
      ),
    );
    await using client = await RawClient.connect(server.port);
    const { hostname, port } = client.conn.localAddr;
    await client.send("GET /peer HTTP/1.1\r\nHost: t\r\n\r\n");
    assert.equal((await client.readResponse()).text, `${hostname} ${port}`);
    await client.send("GET /server-status?json HTTP/1.1\r\nHost: t\r\n\r\n");
    const status = JSON.parse((await client.readResponse()).text);
    const slot = status.slots.find((s: { request: string }) => s.request.startsWith("GET /server"));
    assert.equal(slot?.client, "127.0.0.1");
    client.close();
    await server.stop();
    const lines = (await Deno.readTextFile(`${dir}/access.log`)).trim().split("\n");
    assert.equal(lines[0], `127.0.0.1 ${port} 127.0.0.1 ${server.port} GET /peer HTTP/1.1`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the fallback says so once at startup, naming why", async () => {
  await using server = await startMpmd(mpmConfig("prefork", { StartServers: 1 }), [], {
    env: FALLBACK,
  });
  const notices = server.stderr.filter((line) => /Cannot share the listening sockets/.test(line));
  assert.equal(notices.length, 1);
  assert.match(notices[0]!, /\[mpm_prefork:notice\].*\(MPMD_ACCEPT=reuseport is set\)/);
  assert.equal(await getStatus(server.origin), 200);
});
