import assert from "node:assert/strict";
import { parseSslProtocol } from "../../../../server/config/mod.ts";
import { configToYaml } from "../../../../server/config/readers/mod.ts";
import { errorsOf, parseYaml } from "./_parse_yaml.ts";

const decoder = new TextDecoder();

async function openssl(...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(`openssl ${args.join(" ")}: ${decoder.decode(out.stderr)}`);
}

/** A self-signed ECDSA certificate for `name`, valid one day: its PEM and its key's PEM. */
async function selfSigned(dir: string, name: string): Promise<{ cert: string; key: string }> {
  await openssl(
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
    ...["-nodes", "-subj", `/CN=${name}`, "-days", "1"],
    ...["-keyout", `${dir}/${name}.key`, "-out", `${dir}/${name}.pem`],
  );
  return {
    cert: await Deno.readTextFile(`${dir}/${name}.pem`),
    key: await Deno.readTextFile(`${dir}/${name}.key`),
  };
}

Deno.test("parseSslProtocol() reads httpd's words into a range of TLS 1.2 and 1.3", async (t) => {
  const CASES = [
    { words: "all", min: "TLSv1.2", max: "TLSv1.3", unavailable: [] },
    { words: "all -SSLv3 -TLSv1 -TLSv1.1", min: "TLSv1.2", max: "TLSv1.3", unavailable: [] },
    { words: "-all +TLSv1.3", min: "TLSv1.3", max: "TLSv1.3", unavailable: [] },
    { words: "TLSv1.2", min: "TLSv1.2", max: "TLSv1.2", unavailable: [] },
    { words: "all -TLSv1.3", min: "TLSv1.2", max: "TLSv1.2", unavailable: [] },
    { words: "+TLSv1.1 +TLSv1.2", min: "TLSv1.2", max: "TLSv1.2", unavailable: ["TLSv1.1"] },
    { words: "tlsv1.2 +SSLv3", min: "TLSv1.2", max: "TLSv1.2", unavailable: ["SSLv3"] },
  ];
  for (const c of CASES) {
    await t.step(c.words, () => {
      const { min, max, unavailable } = parseSslProtocol(c.words);
      assert.deepEqual({ min, max, unavailable }, {
        min: c.min,
        max: c.max,
        unavailable: c.unavailable,
      });
    });
  }
  for (const words of ["TLSv1.1", "-all", "all -TLSv1.2 -TLSv1.3", "TLSv2"]) {
    await t.step(`refuses ${words}`, () => assert.throws(() => parseSslProtocol(words)));
  }
});

Deno.test("parseConfigText() checks TLS hosts and their files", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd-tls-config-" });
  try {
    const a = await selfSigned(dir, "a.test");
    const b = await selfSigned(dir, "b.test");
    const files: Record<string, string> = {
      "/srv/a.pem": a.cert,
      "/srv/a.key": a.key,
      "/srv/b.key": b.key,
      "/srv/text.pem": "not a certificate\n",
    };
    const options = {
      readFile: (path: string) => files[path] ?? { problem: "no such file" },
      fileMode: (path: string) => path === "/srv/b.key" ? 0o644 : 0o600,
    };
    const host = (key: string) =>
      `SSLEngine: on\nSSLCertificateFile: /srv/a.pem\nSSLCertificateKeyFile: ${key}\n`;

    await t.step("an https Listen with a matching key loads, port 443 included", () => {
      const { config, warnings } = parseYaml(
        `Listen: [8443 https, 443]\n${host("a.key")}`,
        options,
      );
      assert.deepEqual(config.listen.map((l) => l.protocol), ["https", "https"]);
      assert.deepEqual(config.hosts[0].tls.certificateFile, "/srv/a.pem");
      assert.deepEqual(warnings, []);
    });
    await t.step("an https Listen needs a host with SSLEngine on", () => {
      assert.deepEqual(errorsOf("Listen: 8443 https\n"), [
        "mpmd.yaml:1: Cannot listen on 0.0.0.0:8443 https: no host on that address has " +
        "SSLEngine on (set SSLEngine on, SSLCertificateFile and SSLCertificateKeyFile in its " +
        "<VirtualHost> or the main server)",
      ]);
    });
    await t.step("SSLEngine on needs SSLCertificateFile", () => {
      assert.deepEqual(errorsOf("Listen: 8443 https\nSSLEngine: on\n", options), [
        "mpmd.yaml:2: Cannot use SSLEngine on in the main server: no SSLCertificateFile is set for it",
      ]);
    });
    await t.step("a key of another certificate is refused where it is set", () => {
      const [error] = errorsOf(`Listen: 8443 https\n${host("b.key")}`, options);
      assert.match(
        error!,
        /^mpmd\.yaml:4: Cannot use SSLCertificateKeyFile \/srv\/b\.key: the key does not belong to the certificate/,
      );
    });
    await t.step("a file that is not PEM, or missing, is refused", () => {
      assert.deepEqual(
        errorsOf(
          "Listen: 8443 https\nSSLEngine: on\nSSLCertificateFile: /srv/text.pem\n",
          options,
        ),
        ["mpmd.yaml:3: Cannot use SSLCertificateFile /srv/text.pem: not a PEM file (no -----BEGIN line)"],
      );
      assert.deepEqual(errorsOf(`Listen: 8443 https\n${host("none.key")}`, options), [
        "mpmd.yaml:4: Cannot use SSLCertificateKeyFile /srv/none.key: no such file",
      ]);
    });
    await t.step("an expired certificate and a key everyone may read are warnings", () => {
      files["/srv/b.pem"] = b.cert;
      const yaml = "Listen: 8443 https\nSSLEngine: on\nSSLCertificateFile: /srv/b.pem\n" +
        "SSLCertificateKeyFile: /srv/b.key\n";
      const later = new Date(Date.now() + 3 * 86_400_000);
      const { warnings } = parseYaml(yaml, { ...options, now: later });
      assert.equal(warnings.length, 2, warnings.join("\n"));
      assert.match(
        warnings[0]!,
        /^mpmd\.yaml:3: SSLCertificateFile \/srv\/b\.pem: the certificate expired on /,
      );
      assert.equal(
        warnings[1],
        "mpmd.yaml:4: SSLCertificateKeyFile /srv/b.key: every user may read this private key (chmod o-r /srv/b.key)",
      );
    });
    await t.step("cipher settings and old versions are read with a warning", () => {
      const yaml = `Listen: 8443 https\n${host("a.key")}SSLCipherSuite: HIGH:!aNULL\n` +
        "SSLHonorCipherOrder: on\nSSLProtocol: +TLSv1.1 +TLSv1.2\n";
      const { warnings } = parseYaml(yaml, options);
      assert.equal(warnings.length, 3, warnings.join("\n"));
      assert.match(warnings[0]!, /^mpmd\.yaml:5: SSLCipherSuite: the TLS library \(rustls\)/);
      assert.match(warnings[1]!, /^mpmd\.yaml:6: SSLHonorCipherOrder: /);
      assert.equal(
        warnings[2],
        "mpmd.yaml:7: SSLProtocol TLSv1.1: never offered, the TLS library has TLSv1.2 and TLSv1.3 only",
      );
    });
    await t.step("SSLEngine on without an https address is a warning", () => {
      const { warnings } = parseYaml(`Listen: 8080\n${host("a.key")}`, options);
      assert.deepEqual(warnings, [
        'mpmd.yaml:2: SSLEngine on: the main server is on no https Listen address, so it answers plain HTTP (write "Listen PORT https")',
      ]);
    });
    await t.step("HttpEngine native is refused with an https Listen", () => {
      const [error] = errorsOf(`Listen: 8443 https\nHttpEngine: native\n${host("a.key")}`, options);
      assert.match(
        error!,
        /^mpmd\.yaml:2: Cannot use HttpEngine native with Listen 0\.0\.0\.0:8443 https/,
      );
    });
    await t.step("SSLCertificateChainFile is appended to the certificate, with a warning", () => {
      files["/srv/chain.pem"] = b.cert;
      const yaml = `Listen: 8443 https\n${host("a.key")}SSLCertificateChainFile: /srv/chain.pem\n`;
      const { config, warnings } = parseYaml(yaml, options);
      assert.equal(config.hosts[0].tls.credentials?.certificate, `${a.cert}${b.cert}`);
      assert.deepEqual(warnings, [
        "mpmd.yaml:5: SSLCertificateChainFile: deprecated since httpd 2.4.8: append the chain " +
        "to the SSLCertificateFile instead (mpmd appends it for now)",
      ]);
      assert.deepEqual(
        errorsOf(
          `Listen: 8443 https\n${host("a.key")}SSLCertificateChainFile: /srv/none\n`,
          options,
        ),
        ["mpmd.yaml:5: Cannot use SSLCertificateChainFile /srv/none: no such file"],
      );
    });
    await t.step(
      "an encrypted key is refused where it is named: no pass phrase is asked",
      async () => {
        await openssl(
          ...["pkey", "-in", `${dir}/a.test.key`, "-aes256", "-passout", "pass:secret"],
          ...["-out", `${dir}/a.enc.key`],
        );
        files["/srv/a.enc.key"] = await Deno.readTextFile(`${dir}/a.enc.key`);
        const [error] = errorsOf(`Listen: 8443 https\n${host("a.enc.key")}`, options);
        assert.match(
          error!,
          /^mpmd\.yaml:4: Cannot use SSLCertificateKeyFile \/srv\/a\.enc\.key: the private key is encrypted, and mpmd asks for no pass phrase \(SSLPassPhraseDialog is not supported\)/,
        );
      },
    );
    await t.step("--convert keeps the protocol and the host's TLS settings", () => {
      const yaml = `Listen: [8443 https, 443 http]\n${host("a.key")}SSLProtocol: -all +TLSv1.3\n`;
      const { config } = parseYaml(yaml, options);
      const converted = configToYaml(config);
      assert.match(converted, /- 0\.0\.0\.0:8443 https\n/);
      assert.match(converted, /- 0\.0\.0\.0:443 http\n/);
      const again = parseYaml(converted, options).config;
      assert.deepEqual(again.listen.map((l) => l.protocol), ["https", "http"]);
      assert.deepEqual(again.hosts[0].tls, config.hosts[0].tls);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseConfigText() reads mod_ssl's stock directives in YAML as in httpd.conf", () => {
  const { warnings } = parseYaml(
    [
      "Listen: 8080",
      "SSLRandomSeed: startup builtin",
      "SSLPassPhraseDialog: builtin",
      "SSLUseStapling: false",
      "SSLSessionCache: shmcb:/run/ssl_scache(512000)",
      "SSLCompression: on",
      "IfDefine:",
      "  UNSET:",
      "    SSLSessionTickets: on",
    ].join("\n"),
  );
  assert.deepEqual(warnings, [
    "mpmd.yaml:5: SSLSessionCache shmcb:/run/ssl_scache(512000): each serving process resumes " +
    "sessions from the TLS library's own memory cache (not shared between processes)",
    "mpmd.yaml:6: SSLCompression on: TLS compression is never offered (the TLS library has none)",
  ]);
});
