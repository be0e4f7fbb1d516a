/**
 * Running https: a graceful restart that swaps a renewed certificate while clients keep
 * sending (kept-alive and new TLS connections: none loses a request) under prefork, worker and
 * event; hostile handshakes (a malformed ClientHello, a Certificate nobody asked for) that
 * close without harm and leave no slot stuck; and the handshake and protocol counters of the
 * status page and `/metrics` moving with what clients did.
 */

import assert from "node:assert/strict";
import { eventually, within } from "../../_deadline.ts";
import { assertNothingLost, startLoad } from "./_load_client.ts";
import { type MpmCase, ONE_CHILD_TWO_THREADS, scoreboardWhere, startMpmd } from "./_mpm.ts";
import { curl, httpsPort, issue, run, tlsConfig, tlsSite } from "./_tls_site.ts";

const DEADLINE_MS = 60_000;
/** Answers before the restart and after it: both generations meet requests in flight. */
const ANSWERS = 150;

const CASES: readonly MpmCase[] = [
  { mpm: "prefork", section: { StartServers: 6, MinSpareServers: 2, MaxSpareServers: 8 } },
  {
    mpm: "worker",
    section: { StartServers: 2, ThreadsPerChild: 4, MinSpareThreads: 2, MaxSpareThreads: 8 },
  },
  {
    mpm: "event",
    section: { StartServers: 2, ThreadsPerChild: 4, MinSpareThreads: 2, MaxSpareThreads: 8 },
  },
];

/** The serial number of the certificate a new handshake for a.test sees. */
async function servedSerial(port: number): Promise<string> {
  const shown = await run("openssl", [
    ...["s_client", "-connect", `127.0.0.1:${port}`, "-servername", "a.test"],
  ]);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(shown)?.[0];
  assert.ok(pem !== undefined, shown);
  return /serial=([0-9A-F]+)/.exec(await run("openssl", ["x509", "-noout", "-serial"], pem))![1]!;
}

for (const c of CASES) {
  Deno.test(`${c.mpm}: a graceful restart swaps the certificate under TLS load, losing nothing`, async () => {
    await using site = await tlsSite();
    const { dir } = site;
    await using server = await startMpmd(tlsConfig(c, dir, ["KeepAliveTimeout: 15"]));
    const port = await httpsPort(server);
    const before = await servedSerial(port);
    const tls = { caCerts: [await Deno.readTextFile(`${dir}/ca.pem`)], serverName: "a.test" };
    const loads = [
      startLoad(port, { clients: 3, keepAlive: true, pauseMs: 5, tls }),
      startLoad(port, { clients: 3, keepAlive: false, pauseMs: 5, tls }),
    ];
    const total = () => loads.reduce((sum, load) => sum + load.answered(), 0);
    const grow = async (by: number) => {
      const from = total();
      await eventually(() => total() >= from + by, `${by} more answers`, DEADLINE_MS);
    };
    try {
      await grow(ANSWERS);
      // The renewed certificate replaces the old one's files, as certbot's deploy does.
      await issue(dir, "a.test", "a.test");
      Deno.kill(server.pid, "SIGUSR2");
      await server.waitForLog(/generation 2 serving/, DEADLINE_MS);
      await scoreboardWhere(
        server,
        (s) => s.processes.length > 0 && s.processes.every((p) => p.generation === 2),
        "only generation 2 left",
        DEADLINE_MS,
      );
      await grow(ANSWERS);
    } finally {
      const reports = await Promise.all(loads.map((load) => load.stop()));
      await assertNothingLost(reports, server.stderr);
      for (const report of reports) assert.ok(report.answered > 0, JSON.stringify(report));
    }
    const after = await servedSerial(port);
    assert.notEqual(after, before, "new handshakes see the renewed certificate");
    assert.equal(await curl(dir, "a.test", port), "site a.test\n");
  });
}

/** Sends `bytes` on a TCP connection and waits until the server closes it. */
async function sendAndWaitForClose(port: number, bytes: Uint8Array): Promise<void> {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(bytes);
  const buffer = new Uint8Array(1024);
  for (;;) {
    const n = await within(conn.read(buffer).catch(() => null), "the server closing", 15_000);
    if (n === null) return;
  }
}

/** A TLS record of one handshake message of `type` whose body is 36 bytes of noise. */
function handshakeRecord(type: number, recordVersion: number): Uint8Array {
  const body = new Uint8Array(40).map((_, i) => (i * 53 + 7) % 256);
  body.set([type, 0, 0, 36]);
  return new Uint8Array([22, 3, recordVersion, 0, body.length, ...body]);
}

/** The `?auto` fields of the status page, on the plain listener. */
async function autoFields(origin: string): Promise<Map<string, string>> {
  const text = await (await fetch(`${origin}/server-status?auto`)).text();
  return new Map(
    text.split("\n").slice(1).filter((line) => line.includes(": ")).map((line) => {
      const colon = line.indexOf(": ");
      return [line.slice(0, colon), line.slice(colon + 2)];
    }),
  );
}

Deno.test("hostile handshakes are closed and counted by reason; requests by protocol", async () => {
  await using site = await tlsSite();
  const { dir } = site;
  const c: MpmCase = { mpm: "event", section: ONE_CHILD_TWO_THREADS };
  await using server = await startMpmd(tlsConfig(c, dir, ["Status: /server-status"]));
  const port = await httpsPort(server);

  assert.equal(await curl(dir, "a.test", port), "site a.test\n");
  assert.equal(await curl(dir, "b.test", port), "site b.test\n");
  const old = await run("curl", [
    ...["-sS", "--http1.0", "--cacert", `${dir}/ca.pem`],
    ...["--resolve", `a.test:${port}:127.0.0.1`, `https://a.test:${port}/`],
  ]);
  assert.equal(old, "site a.test\n");
  // A malformed ClientHello, and a client Certificate the server never asked for.
  await sendAndWaitForClose(port, handshakeRecord(1, 1));
  await sendAndWaitForClose(port, handshakeRecord(11, 3));
  await server.waitForLog(
    /:info\].*Cannot complete a TLS handshake with 127\.0\.0\.1 \(not_tls\): .*corrupt message/,
  );
  await sendAndWaitForClose(port, new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  await run("openssl", [
    ...["s_client", "-connect", `127.0.0.1:${port}`, "-tls1_1"],
    ...["-cipher", "DEFAULT:@SECLEVEL=0"],
  ]);
  await server.waitForLog(/:info\].*Cannot complete a TLS handshake with 127\.0\.0\.1 \(version\)/);
  // A client that sends nothing: the header read timeout ends it.
  await sendAndWaitForClose(port, new Uint8Array(0));
  await server.waitForLog(/:info\].*Cannot complete a TLS handshake with 127\.0\.0\.1 \(timeout\)/);
  assert.equal(await curl(dir, "b.test", port), "site b.test\n");

  const expected = {
    TLSHandshakes: "4",
    TLSHandshakeFailures: "5",
    TLSHandshakeFailuresVersion: "1",
    TLSHandshakeFailuresNotTLS: "3",
    TLSHandshakeFailuresTimeout: "1",
    TLSHandshakeFailuresOther: "0",
    RequestsHTTP10: "1",
    RequestsHTTP2: "0",
  };
  const fields = await eventually(
    async () => {
      const f = await autoFields(server.origin);
      return f.get("TLSHandshakes") === expected.TLSHandshakes &&
        f.get("TLSHandshakeFailures") === expected.TLSHandshakeFailures && f;
    },
    "the handshakes counted",
    DEADLINE_MS,
  );
  for (const [name, value] of Object.entries(expected)) assert.equal(fields.get(name), value, name);
  // Three HTTP/1.1 requests over TLS, and the status requests on the plain listener.
  assert.ok(Number(fields.get("RequestsHTTP11")) >= 3);
  const metrics = await (await fetch(`${server.origin}/metrics`)).text();
  assert.match(metrics, /^mpmd_tls_handshakes_total 4$/m);
  assert.match(metrics, /^mpmd_tls_handshake_failures_total\{reason="not_tls"\} 3$/m);
  assert.match(metrics, /^mpmd_requests_by_protocol_total\{protocol="HTTP\/1\.0"\} 1$/m);

  // No slot stays stuck on what the hostile clients sent.
  await scoreboardWhere(
    server,
    (s) => s.processes.every((p) => p.slots.every((slot) => "_.".includes(slot.state))),
    "every slot idle again",
    DEADLINE_MS,
  );
});
