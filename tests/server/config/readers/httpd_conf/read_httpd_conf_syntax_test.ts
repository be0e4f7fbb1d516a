import assert from "node:assert/strict";
import { assertRefusals, readConf } from "./_read_conf.ts";

Deno.test("readHttpdConf() reads httpd's line syntax", async (t) => {
  const CASES = [
    {
      name: "directive names in any case",
      text: "keepalive off\nTIMEOUT 30\nMaxKeepAliveRequests 7",
      check: { keepAlive: false, timeoutMs: 30_000, maxKeepAliveRequests: 7 },
    },
    {
      name: "a backslash at the end of a line continues it",
      text: "Timeout \\\n   45",
      check: { timeoutMs: 45_000 },
    },
    {
      name: "comment lines, blank lines and indentation",
      text: "# Timeout 1\n\n    # KeepAlive Off\n\tTimeout 12\n",
      check: { timeoutMs: 12_000, keepAlive: true },
    },
    {
      name: "a comment line does not continue with a backslash",
      text: "# comment \\\nTimeout 13",
      check: { timeoutMs: 13_000 },
    },
    {
      name: "CRLF line ends",
      text: "Timeout 14\r\nKeepAlive Off\r\n",
      check: { timeoutMs: 14_000, keepAlive: false },
    },
    {
      name: "quoted and unquoted arguments",
      text: "ServerName \"www.example.com\"\nServerTokens 'Prod'",
      check: { serverTokens: "Prod" },
    },
  ] as const;
  for (const c of CASES) {
    await t.step(c.name, () => {
      const { config } = readConf(c.text);
      for (const [key, value] of Object.entries(c.check)) {
        assert.deepEqual(config[key as keyof typeof config], value, key);
      }
    });
  }
});

Deno.test("readHttpdConf() gives quoted arguments with spaces to the directive", () => {
  const { config } = readConf(
    'LogFormat "%h \\"%r\\" %>s" mine\nCustomLog "logs/my access.log" mine',
  );
  assert.deepEqual(config.hosts[0].customLogs, [
    { path: "/srv/logs/my access.log", format: '%h "%r" %>s' },
  ]);
});

Deno.test("readHttpdConf() expands ${NAME} from Define first, then the environment, then a :-default", async (t) => {
  const CASES = [
    {
      name: "a Define",
      text: "Define T 21\nTimeout ${T}",
      vars: {},
      timeoutMs: 21_000,
    },
    {
      name: "the environment",
      text: "Timeout ${T}",
      vars: { T: "22" },
      timeoutMs: 22_000,
    },
    {
      name: "a Define before the environment",
      text: "Define T 23\nTimeout ${T}",
      vars: { T: "99" },
      timeoutMs: 23_000,
    },
    {
      name: "UnDefine lets the environment through again",
      text: "Define T 24\nUnDefine T\nTimeout ${T}",
      vars: { T: "25" },
      timeoutMs: 25_000,
    },
    {
      name: "several in one line, and in a directive name",
      text: "Define D Time\nDefine U out\n${D}${U} 26",
      vars: {},
      timeoutMs: 26_000,
    },
    {
      name: "a default when neither has a value",
      text: "Timeout ${T:-27}",
      vars: {},
      timeoutMs: 27_000,
    },
    {
      name: "a Define before the default",
      text: "Define T 28\nTimeout ${T:-99}",
      vars: {},
      timeoutMs: 28_000,
    },
    {
      name: "the environment before the default",
      text: "Timeout ${T:-99}",
      vars: { T: "29" },
      timeoutMs: 29_000,
    },
    {
      name: "a default for an empty Define, as the shell's :- does",
      text: 'Define T ""\nTimeout ${T:-30}',
      vars: {},
      timeoutMs: 30_000,
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.equal(readConf(c.text, { vars: c.vars }).config.timeoutMs, c.timeoutMs);
    });
  }
});

Deno.test("readHttpdConf() leaves an undefined ${NAME} as written, with a warning", () => {
  const { config, warnings } = readConf("ServerName ${NOPE}.example.com");
  assert.equal(config.hosts[0].serverName, "${NOPE}.example.com");
  assert.deepEqual(warnings, [
    "httpd.conf:1: Config variable ${NOPE} is not defined (left as written)",
  ]);
});

Deno.test("readHttpdConf() reports what it cannot read, with file and line", async (t) => {
  const CASES = [
    {
      name: "an unclosed section",
      text: "Timeout 5\n<IfModule mod_mime.c>\nTimeout 6",
      errors: [
        "httpd.conf:2: Cannot read <IfModule>: the section is not closed (no </IfModule> before the end of the file)",
      ],
    },
    {
      name: "an unclosed skipped section",
      text: "Listen 8080\n<IfModule nope_module>\nTimeout 6",
      errors: [
        "httpd.conf:2: Cannot read <IfModule>: the section is not closed (no </IfModule> before the end of the file)",
      ],
    },
    {
      name: "a closing tag without its section",
      text: "Timeout 5\n</IfDefine>",
      errors: ["httpd.conf:2: Cannot close </IfDefine>: no <IfDefine> section is open"],
    },
    {
      name: "a closing tag of another section",
      text: "<IfDefine X>\n</IfModule>",
      errors: [
        "httpd.conf:2: Cannot close </IfModule>: <IfDefine> (httpd.conf:1) is open; close it first",
      ],
    },
    {
      name: "a section without its >",
      text: "<IfModule mod_mime.c\n</IfModule>",
      errors: [
        'httpd.conf:1: Cannot read <IfModule: the section has no closing ">"',
        "httpd.conf:2: Cannot close </IfModule>: no <IfModule> section is open",
      ],
    },
    {
      name: "a malformed closing tag",
      text: "</IfModule x>",
      errors: ["httpd.conf:1: Cannot read </IfModule x>: a closing tag is </Name>"],
    },
    {
      name: "an IfModule without a module",
      text: "<IfModule>\n</IfModule>",
      errors: ['httpd.conf:1: Cannot use <IfModule>: it takes a module name, optionally after "!"'],
    },
    {
      name: "an IfDefine with two names",
      text: "<IfDefine A B>\n</IfDefine>",
      errors: ['httpd.conf:1: Cannot use <IfDefine>: it takes a define name, optionally after "!"'],
    },
    {
      name: "a Define without a name",
      text: "Define",
      errors: ["httpd.conf:1: Cannot use Define: it takes a name and an optional value"],
    },
    {
      name: "a Define with a colon",
      text: "Define a:b 1",
      errors: ['httpd.conf:1: Cannot use Define a:b: a variable name cannot hold ":"'],
    },
    {
      name: "an UnDefine with a value",
      text: "UnDefine A 1",
      errors: ["httpd.conf:1: Cannot use UnDefine: it takes a name"],
    },
    {
      name: "mpmd's YAML-only MPM directive",
      text: "MPM prefork",
      errors: [
        "httpd.conf:1: Cannot use MPM in httpd.conf: load the MPM instead (LoadModule mpm_event_module modules/mod_mpm_event.so)",
      ],
    },
    {
      name: "a bad value of an implemented directive",
      text: "Timeout\tsoon",
      errors: [
        'httpd.conf:1: Cannot set Timeout: "soon" is not a duration (seconds, or a number with ms/s)',
      ],
    },
    {
      name: "an unterminated quote",
      text: 'ServerName "www',
      errors: [`httpd.conf:1: Cannot set ServerName: "\\"www" has an unterminated " quote`],
    },
    {
      name: "a Listen with a host name",
      text: "Listen localhost:80",
      errors: [
        'httpd.conf:1: Cannot set Listen: "localhost:80" does not start with an IP address (mpmd binds numeric addresses, not host names)',
      ],
    },
    {
      name: "a TransferLog with two files",
      text: "TransferLog a b",
      errors: ["httpd.conf:1: Cannot set TransferLog: it takes one file"],
    },
  ];
  await assertRefusals(t, CASES);
});

Deno.test("readHttpdConf() warns once per directive it does not implement", () => {
  const { warnings } = readConf(
    "ContentDigest On\nTimeout 5\ncontentdigest Off\nMaxRanges 10",
  );
  assert.deepEqual(warnings, [
    "httpd.conf:1: Ignoring ContentDigest: mpmd does not implement it (written 2 times; the first is shown)",
    "httpd.conf:4: Ignoring MaxRanges: mpmd does not implement it",
  ]);
});

Deno.test("readHttpdConf() refuses a name httpd does not know, in httpd's words", async (t) => {
  const INVALID =
    "perhaps misspelled or defined by a module not included in the server configuration";
  await assertRefusals(t, [
    {
      name: "a typo of an implemented directive, with a hint",
      text: "KeepAliveTimout 5",
      errors: [
        `httpd.conf:1: Invalid command 'KeepAliveTimout', ${INVALID} (did you mean KeepAliveTimeout?)`,
      ],
    },
    {
      name: "a typo of one httpd has and mpmd does not, with a hint",
      text: "ServerSignatur Off",
      errors: [
        `httpd.conf:1: Invalid command 'ServerSignatur', ${INVALID} (did you mean ServerSignature?)`,
      ],
    },
    {
      name: "inside sections too",
      text:
        "<Directory /srv/htdocs>\nOptionz Indexes\n</Directory>\n<Location /x>\nFooBar 1\n</Location>",
      errors: [
        `httpd.conf:2: Invalid command 'Optionz', ${INVALID} (did you mean Options?)`,
        `httpd.conf:5: Invalid command 'FooBar', ${INVALID}`,
      ],
    },
    {
      name: "before the module that might define it is loaded",
      text: "WSGIScriptAlias / /srv/app.wsgi\nLoadModule wsgi_module modules/mod_wsgi.so",
      errors: [`httpd.conf:1: Invalid command 'WSGIScriptAlias', ${INVALID}`],
    },
  ]);
  await t.step(
    "after a module that is not httpd's own, only a warning: it may be one of its",
    () => {
      const { warnings } = readConf(
        "LoadModule wsgi_module modules/mod_wsgi.so\nWSGIScriptAlias / /srv/app.wsgi\nListen 80",
      );
      assert.deepEqual(warnings, [
        "httpd.conf:1: Ignoring LoadModule wsgi_module: mpmd does not implement it, so its <IfModule> sections are skipped",
        "httpd.conf:2: Ignoring WSGIScriptAlias: mpmd does not implement it",
      ]);
    },
  );
  await t.step("httpd's own modules do not make names unknown to httpd acceptable", () => {
    assert.throws(() =>
      readConf("LoadModule rewrite_module modules/mod_rewrite.so\nRewriteRulez x")
    );
  });
});

Deno.test("readHttpdConf() ignores httpd's ErrorLogFormat strings, with a warning", () => {
  const { config, warnings } = readConf(
    'ErrorLogFormat "[%t] [%l] %M"\nErrorLogFormat connection "[%t] %a"',
  );
  assert.equal(config.errorLogFormat, "default");
  assert.deepEqual(warnings, [
    `httpd.conf:1: Ignoring ErrorLogFormat "[%t] [%l] %M": mpmd writes httpd's default layout (or json)`,
    `httpd.conf:2: Ignoring ErrorLogFormat connection "[%t] %a": mpmd writes httpd's default layout (or json)`,
  ]);
});

Deno.test("readHttpdConf() reads values that already describe mpmd without a warning", () => {
  const { warnings } = readConf("HostnameLookups Off");
  assert.deepEqual(warnings, []);
});

Deno.test("readHttpdConf() maps httpd spellings onto mpmd's directives", async (t) => {
  const CASES = [
    {
      name: "ErrorLogFormat json, in any case",
      text: "ErrorLogFormat JSON",
      check: (c: ReturnType<typeof readConf>) => assert.equal(c.config.errorLogFormat, "json"),
      warnings: [],
    },
    {
      name: "Listen with the http protocol",
      text: "Listen 127.0.0.1:8081 http",
      check: (c: ReturnType<typeof readConf>) =>
        assert.deepEqual(c.config.listen.map((l) => [l.hostname, l.port]), [["127.0.0.1", 8081]]),
      warnings: [],
    },
    {
      name: "Listen on IPv6",
      text: "Listen [::1]:8082",
      check: (c: ReturnType<typeof readConf>) =>
        assert.deepEqual(c.config.listen.map((l) => [l.hostname, l.port]), [["::1", 8082]]),
      warnings: [],
    },
    {
      name: "Listen keeps its protocol; port 443 is https unless written otherwise",
      text: "Listen 8083 http\nListen 8443 https\nListen 443\nListen 127.0.0.1:444 HTTPS\n" +
        "SSLEngine on\nSSLCertificateFile /etc/ssl/site.pem",
      check: (c: ReturnType<typeof readConf>) =>
        assert.deepEqual(c.config.listen.map((l) => [l.port, l.protocol]), [
          [8083, "http"],
          [8443, "https"],
          [443, "https"],
          [444, "https"],
        ]),
      warnings: [],
    },
    {
      name: "TransferLog uses the common format",
      text: "TransferLog logs/transfer.log",
      check: (c: ReturnType<typeof readConf>) =>
        assert.deepEqual(c.config.hosts[0].customLogs, [
          { path: "/srv/logs/transfer.log", format: '%h %l %u %t "%r" %>s %b' },
        ]),
      warnings: [],
    },
    {
      name: "TransferLog uses the last LogFormat without a nickname",
      text: 'LogFormat "%h %>s"\nTransferLog logs/transfer.log',
      check: (c: ReturnType<typeof readConf>) =>
        assert.deepEqual(c.config.hosts[0].customLogs, [
          { path: "/srv/logs/transfer.log", format: "%h %>s" },
        ]),
      warnings: [],
    },
    {
      name: "CustomLog's condition is dropped",
      text: "CustomLog logs/a.log common env=!dontlog",
      check: (c: ReturnType<typeof readConf>) =>
        assert.equal(c.config.hosts[0].customLogs[0]?.path, "/srv/logs/a.log"),
      warnings: [
        "httpd.conf:1: Ignoring the condition env=!dontlog of CustomLog logs/a.log: mpmd logs every request",
      ],
    },
    {
      name: "MaxClients is MaxRequestWorkers",
      text: "LoadModule mpm_prefork_module m.so\nMaxClients 77\nMaxRequestsPerChild 9",
      check: (c: ReturnType<typeof readConf>) => {
        assert.equal(c.config.mpmDirectives.MaxRequestWorkers, 77);
        assert.equal(c.config.mpmDirectives.MaxConnectionsPerChild, 9);
      },
      warnings: [],
    },
    {
      name: "a relative path resolves against ServerRoot",
      text: "ServerRoot /opt/www\nPidFile run/httpd.pid\nDocumentRoot site",
      check: (c: ReturnType<typeof readConf>) => {
        assert.equal(c.config.pidFile, "/opt/www/run/httpd.pid");
        assert.equal(c.config.hosts[0].documentRoot, "/opt/www/site");
      },
      warnings: [],
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const loaded = readConf(c.text);
      c.check(loaded);
      assert.deepEqual(loaded.warnings, c.warnings);
    });
  }
});
