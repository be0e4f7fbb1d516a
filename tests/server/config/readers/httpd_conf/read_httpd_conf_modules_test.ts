import assert from "node:assert/strict";
import { MPM_NAMES } from "../../../../../server/config/mod.ts";
import { MPM_MODULES } from "../../../../../server/config/httpd_syntax/mod.ts";
import { assertRefusals, confErrors, readConf } from "./_read_conf.ts";

Deno.test("readHttpdConf() loads the MPM that LoadModule names", async (t) => {
  for (const mpm of MPM_NAMES) {
    await t.step(mpm, () => {
      const { config, warnings } = readConf(`LoadModule ${MPM_MODULES[mpm].id} modules/x.so`);
      assert.equal(config.mpm, mpm);
      assert.equal(config.mpmChosenBy, "MPM directive");
      assert.deepEqual(warnings, []);
    });
  }
});

Deno.test("readHttpdConf() uses the platform default MPM when no LoadModule names one", () => {
  const { config } = readConf("Timeout 5", { platformDefaultMpm: "worker" });
  assert.equal(config.mpm, "worker");
  assert.equal(config.mpmChosenBy, "platform default");
});

Deno.test("readHttpdConf() lets --mpm beat LoadModule, and <IfModule> follow --mpm", () => {
  const { config } = readConf(
    "LoadModule mpm_event_module m.so\n<IfModule mpm_prefork_module>\nStartServers 7\n</IfModule>",
    { mpmOverride: "prefork" },
  );
  assert.equal(config.mpm, "prefork");
  assert.equal(config.mpmChosenBy, "--mpm");
  assert.equal(config.mpmDirectives.StartServers, 7);
});

Deno.test("readHttpdConf() refuses a second MPM, as httpd does", () => {
  assert.deepEqual(
    confErrors("LoadModule mpm_event_module a.so\nLoadModule mpm_worker_module b.so"),
    [
      "httpd.conf:2: Cannot load mpm_worker_module: More than one MPM loaded (mpm_event_module at httpd.conf:1)",
    ],
  );
});

Deno.test("readHttpdConf() reports every LoadModule problem with its line", async (t) => {
  const CASES = [
    {
      name: "an MPM mpmd does not have",
      text: "LoadModule mpm_itk_module m.so",
      errors: [
        "httpd.conf:1: Cannot load mpm_itk_module: mpmd has no such MPM (it has mpm_prefork_module, mpm_worker_module, mpm_event_module, mpm_winnt_module, mpm_netware_module, mpm_mpmt_os2_module)",
      ],
    },
    {
      name: "a LoadModule without a file",
      text: "LoadModule mpm_event_module",
      errors: [
        "httpd.conf:1: Cannot use LoadModule: it takes a module identifier and a file (LoadModule mpm_event_module modules/mod_mpm_event.so)",
      ],
    },
    {
      name: "an MPM loaded after an <IfModule> took the default",
      text: "<IfModule mpm_event_module>\n</IfModule>\nLoadModule mpm_worker_module m.so",
      errors: [
        "httpd.conf:3: Cannot load mpm_worker_module: the <IfModule> at httpd.conf:1 already took mpm_event_module (the default) as loaded; load the MPM before any <IfModule> that tests one",
      ],
    },
    {
      name: "a LoadModule inside a VirtualHost",
      text: "<VirtualHost *:80>\nLoadModule mime_module m.so\n</VirtualHost>",
      errors: [
        "httpd.conf:2: Cannot use LoadModule inside <VirtualHost>: httpd allows it only in the main server",
      ],
    },
  ];
  await assertRefusals(t, CASES);
});

Deno.test("readHttpdConf() warns about a module it does not implement, once per line", () => {
  const { warnings } = readConf(
    "LoadModule rewrite_module modules/mod_rewrite.so\nLoadModule mpm_event_module a.so\nLoadModule mpm_event_module a.so\nLoadModule mime_module modules/mod_mime.so\nLoadModule ssl_module modules/mod_ssl.so",
  );
  assert.deepEqual(warnings, [
    "httpd.conf:1: Ignoring LoadModule rewrite_module: mpmd does not implement it, so its <IfModule> sections are skipped",
    "httpd.conf:3: Ignoring LoadModule mpm_event_module: it is already loaded",
  ]);
});

Deno.test("<IfModule> holds for the modules mpmd has, by identifier or file name", async (t) => {
  const CASES = [
    { test: "mime_module", holds: true },
    { test: "mod_mime.c", holds: true },
    { test: "!mod_mime.c", holds: false },
    { test: "status_module", holds: true },
    { test: "mod_status.c", holds: true },
    { test: "log_config_module", holds: true },
    { test: "dir_module", holds: true },
    { test: "mod_autoindex.c", holds: true },
    { test: "reqtimeout_module", holds: true },
    { test: "mpm_event_module", holds: true },
    { test: "event.c", holds: true },
    { test: "mod_mpm_event.c", holds: true },
    { test: "mpm_prefork_module", holds: false },
    { test: "!mpm_prefork_module", holds: true },
    { test: "prefork.c", holds: false },
    { test: "ssl_module", holds: true },
    { test: "mod_ssl.c", holds: true },
    { test: "!ssl_module", holds: false },
    { test: "rewrite_module", holds: false },
    { test: "!rewrite_module", holds: true },
    { test: "mod_rewrite.c", holds: false },
  ];
  for (const c of CASES) {
    await t.step(`${c.test} → ${c.holds}`, () => {
      const { config } = readConf(
        `LoadModule mpm_event_module a.so\nLoadModule rewrite_module b.so\nLoadModule ssl_module c.so\n<IfModule ${c.test}>\nTimeout 9\n</IfModule>`,
      );
      assert.equal(config.timeoutMs === 9_000, c.holds);
    });
  }
});

Deno.test("<IfModule> sees only the modules loaded above it", () => {
  const { config } = readConf(
    "<IfModule !mpm_event_module>\nTimeout 8\n</IfModule>\nLoadModule mpm_event_module a.so",
  );
  assert.equal(config.timeoutMs, 60_000);
  // mod_ssl is mpmd's, but holds only once loaded (Debian's ports.conf opens 443 under it).
  const ssl = "<IfModule mod_ssl.c>\nTimeout 7\n</IfModule>";
  assert.equal(readConf(ssl).config.timeoutMs, 60_000);
  assert.equal(readConf(`LoadModule ssl_module m.so\n${ssl}`).config.timeoutMs, 7_000);
});

Deno.test("<IfDefine> holds for -D names and Define, with ! for the opposite", async (t) => {
  const CASES = [
    {
      name: "a -D name",
      text: "<IfDefine X>\nTimeout 9\n</IfDefine>",
      defines: ["X"],
      holds: true,
    },
    {
      name: "no such name",
      text: "<IfDefine X>\nTimeout 9\n</IfDefine>",
      defines: [],
      holds: false,
    },
    {
      name: "a Define above",
      text: "Define X\n<IfDefine X>\nTimeout 9\n</IfDefine>",
      defines: [],
      holds: true,
    },
    {
      name: "an UnDefine above",
      text: "UnDefine X\n<IfDefine X>\nTimeout 9\n</IfDefine>",
      defines: ["X"],
      holds: false,
    },
    { name: "!", text: "<IfDefine !X>\nTimeout 9\n</IfDefine>", defines: [], holds: true },
    {
      name: "nested",
      text:
        "<IfDefine A>\n<IfModule mod_mime.c>\n<IfDefine !B>\nTimeout 9\n</IfDefine>\n</IfModule>\n</IfDefine>",
      defines: ["A"],
      holds: true,
    },
    {
      name: "lines inside a skipped section are not read",
      text:
        "<IfDefine X>\nDefine Y\n<IfModule mod_mime.c>\nTimeout 8\n</IfModule>\n</IfDefine>\n<IfDefine !Y>\nTimeout 9\n</IfDefine>",
      defines: [],
      holds: true,
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.equal(readConf(c.text, { defines: c.defines }).config.timeoutMs === 9_000, c.holds);
    });
  }
});

Deno.test("readHttpdConf() skips sections it does not implement, with a warning; <Files> holds access", () => {
  const { config, warnings } = readConf(
    '<Files ".ht*">\nRequire all denied\nTimeout 9\n</Files>\n<IfVersion >= 2.4>\nTimeout 8\n</IfVersion>',
  );
  assert.equal(config.timeoutMs, 60_000);
  // <Files> is read for its access lines; what it cannot hold is ignored.
  assert.deepEqual(config.hosts[0].sections.map((s) => [s.kind, s.match, s.require]), [
    ["Files", ".ht*", { kind: "all", granted: false }],
  ]);
  assert.deepEqual(warnings, [
    "httpd.conf:5: Ignoring <IfVersion >= 2.4>: mpmd does not implement <IfVersion>",
    'httpd.conf:3: Ignoring Timeout inside <Files ".ht*">: mpmd sets it per host, not per directory',
  ]);
});

Deno.test("<IfModule> tests the MPM that -c chooses, and -C's when no LoadModule does", async (t) => {
  const text = "<IfModule mpm_worker_module>\nTimeout 9\n</IfModule>";
  const CASES = [
    { name: "-c MPM worker", options: { directivesAfter: ["MPM worker"] }, mpm: "worker" },
    { name: "-C MPM worker", options: { directivesBefore: ["MPM worker"] }, mpm: "worker" },
    { name: "neither", options: {}, mpm: "event" },
  ] as const;
  for (const c of CASES) {
    await t.step(c.name, () => {
      const { config } = readConf(text, c.options);
      assert.equal(config.mpm, c.mpm);
      assert.equal(config.timeoutMs === 9_000, c.mpm === "worker");
    });
  }
});

Deno.test("readHttpdConf() reads mod_ssl's stock directives: silently where the value says what happens", () => {
  const { warnings } = readConf(
    [
      "SSLRandomSeed startup builtin",
      "SSLRandomSeed connect file:/dev/urandom 512",
      "SSLPassPhraseDialog exec:/usr/share/apache2/ask-for-passphrase",
      "SSLCompression off",
      "SSLUseStapling off",
      "SSLSessionCache shmcb:/run/ssl_scache(512000)",
      "SSLSessionCacheTimeout 300",
      "SSLSessionTickets off",
      "SSLUseStapling on",
      "SSLStaplingCache shmcb:/run/ocsp(128000)",
      "SSLCompression on",
    ].join("\n"),
  );
  assert.deepEqual(warnings.map((w) => w.replace(/: .*$/, "")), [
    "httpd.conf:6",
    "httpd.conf:7",
    "httpd.conf:8",
    "httpd.conf:9",
    "httpd.conf:10",
    "httpd.conf:11",
  ]);
  assert.match(warnings[3]!, /^httpd\.conf:9: SSLUseStapling on: OCSP stapling is not offered/);
  assert.match(
    warnings[5]!,
    /^httpd\.conf:11: SSLCompression on: TLS compression is never offered/,
  );
});
