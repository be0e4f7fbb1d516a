import assert from "node:assert/strict";
import { eventually, within } from "../../_deadline.ts";
import { denoDirCopy, runMpmd } from "../../_server.ts";
import { type MpmCase, ONE_CHILD_TWO_THREADS, startMpmd } from "./_mpm.ts";
import { curl, httpsPort, issue, run, subject, tlsConfig as config, tlsSite } from "./_tls_site.ts";

/**
 * `Listen … https` end to end under each MPM that shares its parent's sockets: certificates by
 * SNI per virtual host, HTTP/1.1 through mpmd's engine, refused versions and non-TLS clients
 * closed without harm, and a graceful restart that puts a replaced certificate in force. The
 * certificates come from the openssl command, ECDSA P-256 (cheap to make and to handshake).
 */

const CASES: readonly MpmCase[] = [
  { mpm: "prefork", section: { StartServers: 2, MinSpareServers: 1, MaxSpareServers: 3 } },
  { mpm: "worker", section: ONE_CHILD_TWO_THREADS },
  { mpm: "event", section: ONE_CHILD_TWO_THREADS },
  { mpm: "winnt", section: { ThreadsPerChild: 2 } },
  { mpm: "mpmt_os2", section: { StartServers: 2, MinSpareThreads: 1, MaxSpareThreads: 3 } },
];

const decoder = new TextDecoder();
/** An access log on stderr with the TLS fields, which the tests wait for. */
const TLS_LOG =
  'CustomLog: ["stderr \\"tls %{SSL_PROTOCOL}x %{SSL_CIPHER}x %{SSL_TLS_SNI}x %v\\""]';

/** Sends `bytes` on a plain TCP connection and reads what comes back before it closes. */
async function plainExchange(port: number, bytes: Uint8Array): Promise<string> {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(bytes);
  const buffer = new Uint8Array(1024);
  let received = "";
  for (;;) {
    const n = await within(conn.read(buffer).catch(() => null), "the connection closing", 15_000);
    if (n === null) return received;
    received += decoder.decode(buffer.subarray(0, n));
  }
}

Deno.test("https listeners serve each virtual host's certificate and pages", async (t) => {
  await using site = await tlsSite();
  const { dir } = site;
  for (const c of CASES) {
    await t.step(c.mpm, async (t) => {
      await using server = await startMpmd(config(c, dir, [TLS_LOG]));
      const port = await httpsPort(server);

      await t.step("curl gets the page of the host it names", async () => {
        assert.equal(await curl(dir, "a.test", port), "site a.test\n");
        assert.equal(await curl(dir, "b.test", port), "site b.test\n");
        await server.waitForLog(/tls TLSv1\.[23] \S+ b\.test b\.test$/);
        // A client whose ALPN offers only http/1.0 is served too.
        const old = await run("curl", [
          ...["-sS", "--http1.0", "--cacert", `${dir}/ca.pem`],
          ...["--resolve", `a.test:${port}:127.0.0.1`, `https://a.test:${port}/`],
        ]);
        assert.equal(old, "site a.test\n");
      });
      await t.step("SNI chooses the certificate; none gets the first host's", async () => {
        assert.match(await subject(port, "-servername", "b.test"), /CN ?= ?b\.test/);
        assert.match(await subject(port, "-servername", "a.test"), /CN ?= ?a\.test/);
        assert.match(await subject(port, "-servername", "other.test"), /CN ?= ?a\.test/);
        assert.match(await subject(port, "-noservername"), /CN ?= ?a\.test/);
      });
      await t.step("TLS 1.1 is refused", async () => {
        const out = await run("openssl", [
          ...["s_client", "-connect", `127.0.0.1:${port}`, "-tls1_1"],
          ...["-cipher", "DEFAULT:@SECLEVEL=0"],
        ]);
        assert.doesNotMatch(out, /^New, TLSv1\.1/m);
        assert.match(out, /Cipher is \(NONE\)/);
      });
      await t.step("plain HTTP and garbage are closed, and the server serves on", async () => {
        const plain = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
        assert.equal(await plainExchange(port, plain), "");
        const garbage = new Uint8Array(300).map((_, i) => (i * 37 + 11) % 256);
        assert.equal(await plainExchange(port, garbage), "");
        await server.waitForLog(
          /\[[a-z0-9_]+:info\].*Cannot complete a TLS handshake with 127\.0\.0\.1/,
        );
        assert.equal(await curl(dir, "a.test", port), "site a.test\n");
      });
      await t.step("a stalled handshake is closed by the header read timeout", async () => {
        assert.equal(await plainExchange(port, new Uint8Array(0)), "");
        assert.equal(await curl(dir, "b.test", port), "site b.test\n");
      });
    });
  }
});

Deno.test("a graceful restart puts a replaced certificate in force for new connections", async () => {
  await using site = await tlsSite();
  const { dir } = site;
  const c = CASES.find((x) => x.mpm === "event")!;
  await using server = await startMpmd(config(c, dir, [TLS_LOG]));
  const port = await httpsPort(server);
  const serial = async () =>
    /serial=([0-9A-F]+)/.exec(
      await run("openssl", ["x509", "-noout", "-serial"], await fetchCertificate(port)),
    )?.[1];
  const before = await serial();
  assert.ok(before !== undefined);
  await issue(dir, "a.test", "a.test");
  Deno.kill(server.pid, "SIGUSR2");
  await server.waitForLog(/generation 2 serving/);
  const after = await eventually(
    async () => {
      const now = await serial();
      return now !== before && now;
    },
    "the new certificate",
    15_000,
    100,
  );
  assert.notEqual(after, before);
  assert.equal(await curl(dir, "a.test", port), "site a.test\n");
});

/** The server's certificate in PEM, as `openssl s_client` shows it for a.test. */
async function fetchCertificate(port: number): Promise<string> {
  const out = await run("openssl", [
    ...["s_client", "-connect", `127.0.0.1:${port}`, "-servername", "a.test"],
  ]);
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(out)?.[0] ?? "";
}

Deno.test("mpmd -t refuses a key that does not match its certificate, and a missing file", async (t) => {
  await using site = await tlsSite();
  const { dir } = site;
  const cases = [
    {
      name: "mismatched key",
      cert: `${dir}/a.test.pem`,
      key: `${dir}/b.test.key`,
      error: new RegExp(
        `:7: Cannot use SSLCertificateKeyFile ${dir}/b.test.key: the key does not belong to the certificate`,
      ),
    },
    {
      name: "missing certificate",
      cert: `${dir}/none.pem`,
      key: `${dir}/a.test.key`,
      error: new RegExp(`:6: Cannot use SSLCertificateFile ${dir}/none.pem: no such file`),
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const file = `${dir}/${c.name.replace(/ /g, "_")}.conf`;
      await Deno.writeTextFile(
        file,
        [
          "Listen 127.0.0.1:8443 https",
          "LoadModule mpm_event_module modules/mod_mpm_event.so",
          `DocumentRoot ${dir}/a.test`,
          "ServerName a.test",
          "SSLEngine on",
          `SSLCertificateFile ${c.cert}`,
          `SSLCertificateKeyFile ${c.key}`,
          "",
        ].join("\n"),
      );
      const { code, stderr } = await runMpmd(["-t", "-f", file]);
      assert.notEqual(code, 0, stderr);
      assert.match(stderr, c.error);
    });
  }
});

Deno.test({
  name: "slots serving as User use the keys root read: a key only root may read serves TLS",
  ignore: Deno.uid() !== 0,
  async fn() {
    await using site = await tlsSite();
    const { dir } = site;
    // The pages for everyone; the keys stay 0600, root's.
    await Deno.chmod(dir, 0o755);
    await using denoDir = await denoDirCopy();
    const c = CASES.find((x) => x.mpm === "worker")!;
    await using server = await startMpmd(
      `${config(c, dir, [TLS_LOG])}\nUser: www-data\nGroup: www-data\n`,
      [],
      {
        env: { DENO_DIR: denoDir.path },
      },
    );
    const port = await httpsPort(server);
    assert.equal((await Deno.stat(`${dir}/b.test.key`)).mode! & 0o077, 0);
    assert.equal(await curl(dir, "b.test", port), "site b.test\n");
    assert.match(await subject(port, "-servername", "b.test"), /CN ?= ?b\.test/);
  },
});
