import assert from "node:assert/strict";
import {
  allContenders,
  findProgram,
  httpdConfig,
  mpmdConfig,
  mpmdSlotSections,
  nginxConfig,
  type SiteLayout,
  SLOT_MATCHES,
  type TlsListener,
} from "../../bench/mod.ts";
import { runMpmd } from "../_server.ts";

const SITE: SiteLayout = {
  dir: "/tmp/b",
  stem: "s",
  docRoot: "/tmp/b/htdocs",
  port: 8080,
  keepAliveRequests: 100,
  runAsUser: "www-data",
};

Deno.test("config builders apply the same keep-alive limit to every server", async (t) => {
  const CASES = [
    { name: "100 requests", keepAliveRequests: 100, nginx: 100, httpd: 100, mpmd: 100 },
    // nginx has no "unlimited": 0 there would turn keep-alive off.
    { name: "unlimited", keepAliveRequests: 0, nginx: 1_000_000_000, httpd: 0, mpmd: 0 },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const site = { ...SITE, keepAliveRequests: c.keepAliveRequests };
      assert.match(nginxConfig(site), new RegExp(`^  keepalive_requests ${c.nginx};$`, "m"));
      assert.match(
        httpdConfig(site, "event"),
        new RegExp(`^MaxKeepAliveRequests ${c.httpd}$`, "m"),
      );
      assert.match(mpmdConfig(site), new RegExp(`^MaxKeepAliveRequests: ${c.mpmd}$`, "m"));
    });
  }
});

Deno.test("mpmdConfig() writes YAML with httpd directive names", () => {
  assert.equal(
    mpmdConfig(SITE),
    [
      'Listen: ["127.0.0.1:8080"]',
      'DocumentRoot: "/tmp/b/htdocs"',
      "LogLevel: warn",
      'PidFile: "/tmp/b/s.pid"',
      'ErrorLog: "/tmp/b/s_error.log"',
      "MaxKeepAliveRequests: 100",
      "event:",
      "  StartServers: 2",
      "  ThreadsPerChild: 1",
      "  MinSpareThreads: 1",
      "  MaxSpareThreads: 2",
      "  ServerLimit: 2",
      "  MaxRequestWorkers: 2",
      "IfDefine:",
      "  VHOSTS:",
      "    VirtualHost:",
      '      - Address: "*"',
      "        ServerName: a.bench.test",
      '        DocumentRoot: "/tmp/b/htdocs"',
      '      - Address: "*"',
      "        ServerName: b.bench.test",
      '        DocumentRoot: "/tmp/b/htdocs"',
      '      - Address: "*"',
      "        ServerName: c.bench.test",
      '        DocumentRoot: "/tmp/b/htdocs"',
      "    Directory:",
      '      "/": { Require: all denied }',
      '      "/tmp/b/htdocs": { Require: all granted, Options: [FollowSymLinks] }',
      '      "/tmp/b/htdocs/assets": { Require: all granted }',
      '      "/tmp/b/htdocs/private": { Require: all denied }',
      '      "/tmp/b/htdocs/*/drafts": { Require: ip 10.0.0.0/8 }',
      "",
    ].join("\n"),
  );
});

Deno.test("mpmd -S -D VHOSTS: the bench's three virtual hosts load", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_bench_test_" });
  try {
    const config = `${dir}/mpmd.yaml`;
    await Deno.writeTextFile(config, mpmdConfig({ ...SITE, dir, docRoot: dir }));
    const { code, stdout, stderr } = await runMpmd(["-S", "-f", config, "-D", "VHOSTS"]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^\*:\* +is a NameVirtualHost$/m);
    assert.equal(stdout.match(/namevhost [abc]\.bench\.test/g)?.length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("httpdConfig() loads only the chosen MPM and its Debian directives", async (t) => {
  const CASES = [
    { mpm: "event", has: ["mod_mpm_event.so", "ThreadsPerChild 25"], lacks: ["MinSpareServers"] },
    {
      mpm: "prefork",
      has: ["mod_mpm_prefork.so", "MaxSpareServers 10"],
      lacks: ["ThreadsPerChild"],
    },
  ] as const;
  for (const c of CASES) {
    await t.step(c.mpm, () => {
      const text = httpdConfig(SITE, c.mpm);
      assert.equal(text.match(/mod_mpm_/g)?.length, 1);
      for (const s of c.has) assert.ok(text.includes(s), s);
      for (const s of c.lacks) assert.ok(!text.includes(s), s);
    });
  }
});

Deno.test("--slots: Apache's pools of 4 slots, prefork as children, worker as threads", async (t) => {
  const slots = { ...SITE, slots: 4 };
  const CASES = [
    {
      mpm: "prefork",
      has: ["StartServers 4", "MaxSpareServers 5", "ServerLimit 4", "MaxRequestWorkers 4"],
    },
    {
      mpm: "worker",
      has: ["StartServers 1", "ServerLimit 1", "ThreadsPerChild 4", "MaxRequestWorkers 4"],
    },
  ] as const;
  for (const c of CASES) {
    await t.step(c.mpm, () => {
      const text = httpdConfig(slots, c.mpm);
      for (const line of c.has) assert.ok(text.split("\n").includes(line), line);
    });
  }
  await t.step("mpmd has a section for each MPM of --slots", () => {
    assert.deepEqual(Object.keys(mpmdSlotSections(4)).sort(), Object.keys(SLOT_MATCHES).sort());
  });
});

for (const mpm of Object.keys(SLOT_MATCHES)) {
  Deno.test(`--slots: mpmd -t --mpm ${mpm} takes its pool of 4 slots as written`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "mpmd_bench_test_" });
    try {
      const config = `${dir}/mpmd.yaml`;
      await Deno.writeTextFile(config, mpmdConfig({ ...SITE, dir, docRoot: dir, slots: 4 }));
      const { code, stderr } = await runMpmd(["-t", "-f", config, "--mpm", mpm]);
      assert.equal(code, 0, stderr);
      // No clamping warning: the pool is the one asked for.
      assert.equal(stderr.trim(), "Syntax OK");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

/** A self-signed ECDSA certificate in `dir` for an https listener on `port`. */
async function testCertificate(dir: string, port: number): Promise<TlsListener> {
  const certificateFile = `${dir}/test.pem`;
  const keyFile = `${dir}/test.key`;
  const out = await new Deno.Command("openssl", {
    args: [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-subj", "/CN=localhost", "-days", "1", "-keyout", keyFile, "-out", certificateFile],
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return { port, certificateFile, keyFile };
}

// The configs are only useful if the real servers accept them: ask each binary to check.
const CHECKS = [
  {
    name: "nginx",
    program: "nginx",
    check: (conf: string, dir: string) => ["-t", "-p", dir, "-c", conf, "-e", `${dir}/check.log`],
  },
  ...["apache-event", "apache-worker", "apache-prefork"].map((name) => ({
    name,
    program: "apache2",
    check: (conf: string) => ["-t", "-f", conf],
  })),
];

for (const [c, gzipLevel] of CHECKS.flatMap((c) => [[c, undefined], [c, 6]] as const)) {
  const missing = !await findProgram(c.program);
  Deno.test({
    name: `${c.name} accepts its generated config${
      gzipLevel ? " with gzip" : ""
    } (${c.program} -t)`,
    // Skipped where Debian's package is not installed: apt-get install -y nginx apache2.
    ignore: missing,
    fn: async () => {
      const dir = await Deno.makeTempDir({ prefix: "mpmd_bench_test_" });
      try {
        const contender = allContenders({ mpmdEntry: "", mpmdVariants: [] }).find((x) =>
          x.name === c.name
        )!;
        // A contender of the https cases is checked with its https listener.
        const tls = contender.https ? await testCertificate(dir, SITE.port + 1) : undefined;
        const spec = contender.launch({
          ...SITE,
          dir,
          docRoot: dir,
          stem: contender.stem,
          runAsUser: Deno.uid() === 0 ? "www-data" : null,
          ...(tls === undefined ? {} : { tls }),
          ...(gzipLevel === undefined ? {} : { gzipLevel }),
        });
        for (const d of spec.dirs) await Deno.mkdir(d, { recursive: true });
        await Deno.writeTextFile(spec.configPath, spec.configText);
        const out = await new Deno.Command(c.program, {
          args: c.check(spec.configPath, dir),
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
        assert.ok(out.success, text);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
