import assert from "node:assert/strict";
import { assertRefusals, confErrors, readConf } from "./_read_conf.ts";
import type { HostConfig } from "../../../../../server/config/mod.ts";

Deno.test("each <VirtualHost> is a host, its unset directives the main server's", () => {
  const { config, warnings } = readConf(
    [
      "DocumentRoot main",
      "CustomLog logs/main.log common",
      "Options Indexes",
      "AddType text/x-a .a",
      "<VirtualHost *:8080>",
      "  ServerName www.example.com",
      "  ServerAlias example.com",
      "  DocumentRoot site",
      "  CustomLog logs/site.log combined",
      "  Options +FollowSymLinks",
      "  AddType text/x-b .b",
      "  ErrorLog logs/site-error.log",
      "</VirtualHost>",
      "<VirtualHost 127.0.0.1:8081 [::1]>",
      "  DocumentRoot other",
      "</VirtualHost>",
    ].join("\n"),
  );
  assert.equal(config.hosts.length, 3);
  const [main, host, other] = config.hosts as unknown as [HostConfig, HostConfig, HostConfig];
  assert.deepEqual([main.addresses, main.documentRoot], [[], "/srv/main"]);
  assert.deepEqual(host.addresses, [{ hostname: null, port: 8080 }]);
  assert.equal(host.declaredAt, "httpd.conf:5");
  assert.equal(host.serverName, "www.example.com");
  assert.deepEqual(host.serverAliases, ["example.com"]);
  assert.equal(host.documentRoot, "/srv/site");
  // A VirtualHost's CustomLog replaces the main server's, as in httpd; Options and AddType merge.
  assert.deepEqual(host.customLogs.map((l) => l.path), ["/srv/logs/site.log"]);
  assert.equal(host.indexes, true);
  assert.equal(host.followSymLinks, true);
  assert.deepEqual(host.addType, { a: "text/x-a", b: "text/x-b" });
  // ErrorLog is per host: the main server keeps its own.
  assert.equal(config.errorLog, "stderr");
  assert.equal(host.errorLog, "/srv/logs/site-error.log");
  assert.equal(other.errorLog, "stderr");
  // What the second host leaves unset is the main server's, not the first host's.
  assert.deepEqual(other.addresses, [
    { hostname: "127.0.0.1", port: 8081 },
    { hostname: "::1", port: null },
  ]);
  assert.deepEqual(
    [other.documentRoot, other.serverName, other.customLogs.map((l) => l.path)],
    ["/srv/other", "localhost", ["/srv/logs/main.log"]],
  );
  assert.deepEqual(
    [other.indexes, other.followSymLinks, other.addType],
    [true, false, { a: "text/x-a" }],
  );
  assert.deepEqual(warnings, []);
});

Deno.test("readHttpdConf() refuses server-only directives and nesting where httpd does", async (t) => {
  const CASES = [
    {
      name: "Listen in a VirtualHost",
      text: "Listen 8080\n<VirtualHost *:80>\nListen 8081\n</VirtualHost>",
      errors: [
        "httpd.conf:3: Cannot use Listen inside <VirtualHost>: httpd allows it only in the main server",
      ],
    },
    {
      name: "an MPM directive in a Directory",
      text: "<Directory /srv/htdocs>\nStartServers 3\n</Directory>",
      errors: [
        "httpd.conf:2: Cannot use StartServers inside <Directory /srv/htdocs>: httpd allows it only in the main server",
      ],
    },
    {
      name: "a VirtualHost in a VirtualHost",
      text: "<VirtualHost *:80>\n<VirtualHost *:81>\n</VirtualHost>\n</VirtualHost>",
      errors: [
        "httpd.conf:2: Cannot use <VirtualHost> inside <VirtualHost>: httpd does not allow it there",
      ],
    },
    {
      name: "a Directory in a Location",
      text: "<Location /x>\n<Directory /y>\n</Directory>\n</Location>",
      errors: [
        "httpd.conf:2: Cannot use <Directory> inside <Location /x>: httpd does not allow it there",
      ],
    },
    {
      name: "AllowOverride in the main server",
      text: "AllowOverride All",
      errors: [
        "httpd.conf:1: AllowOverride not allowed here: httpd takes it only inside a <Directory> section without a regular expression, not in the main server",
      ],
    },
    {
      name: "AllowOverride in a DirectoryMatch",
      text: "<Directory ~ ^/srv>\nAllowOverride All\n</Directory>",
      errors: [
        "httpd.conf:2: AllowOverride not allowed here: httpd takes it only inside a <Directory> section without a regular expression, not in <DirectoryMatch ~ ^/srv>",
      ],
    },
    {
      name: "AllowOverride with a class httpd does not have",
      text: "<Directory /srv>\nAllowOverride AuthConfig Everything\n</Directory>",
      errors: [
        'httpd.conf:2: Cannot set AllowOverride: "Everything" is not an override class (AuthConfig, FileInfo, Indexes, Limit, Options, All, None)',
      ],
    },
    {
      name: "a Directory without a path",
      text: "<Directory>\n</Directory>",
      errors: ["httpd.conf:1: Cannot use <Directory>: it takes one path or pattern"],
    },
  ];
  await assertRefusals(t, CASES);
});

Deno.test("<Directory> sections that hold the DocumentRoot set its Options, most specific last", async (t) => {
  const CASES = [
    {
      name: "httpd.conf's stock shape",
      text:
        '<Directory />\nOptions FollowSymLinks\nAllowOverride none\nRequire all denied\n</Directory>\nDocumentRoot "/srv/htdocs"\n<Directory "/srv/htdocs">\nOptions Indexes\nAllowOverride None\nRequire all granted\n</Directory>',
      indexes: true,
      followSymLinks: false,
      warnings: [],
    },
    {
      name: "a relative +/- adjusts the less specific one",
      text:
        "DocumentRoot /srv/www/html\n<Directory /srv/www/>\nOptions +Indexes\n</Directory>\n<Directory />\nOptions FollowSymLinks\n</Directory>",
      indexes: true,
      followSymLinks: true,
      warnings: [],
    },
    {
      name: "a relative directory resolves against ServerRoot",
      text: "<Directory htdocs>\nOptions All\n</Directory>",
      indexes: true,
      followSymLinks: true,
      warnings: [],
    },
    {
      name: "a directory outside the DocumentRoot keeps its Options to itself",
      text:
        '<Directory "/srv/cgi-bin">\nOptions All\nAddType text/x-perl .pl\nScriptInterpreterSource Registry\n</Directory>',
      indexes: false,
      followSymLinks: false,
      warnings: [
        'httpd.conf:1: Ignoring AddType in <Directory "/srv/cgi-bin">: it holds no DocumentRoot (/srv/htdocs), the only directories mpmd applies them to',
        "httpd.conf:4: Ignoring ScriptInterpreterSource: mpmd does not implement it",
      ],
    },
    {
      name: "a wildcard directory keeps its Options to what it matches",
      text: '<Directory "/srv/*/htdocs">\nOptions All\nAddDefaultCharset utf-8\n</Directory>',
      indexes: false,
      followSymLinks: false,
      warnings: [
        'httpd.conf:1: Ignoring AddDefaultCharset in <Directory "/srv/*/htdocs">: mpmd applies them only from a <Directory> holding a DocumentRoot',
      ],
    },
    {
      name: "directives it does not implement are warned about, others set per host",
      text:
        "<Directory /srv/htdocs>\nOptions Indexes\nAllowOverride All\nDirectoryIndex start.html\nKeepAlive Off\n</Directory>",
      indexes: true,
      followSymLinks: false,
      warnings: [
        "httpd.conf:5: Ignoring KeepAlive inside <Directory /srv/htdocs>: mpmd sets it per host, not per directory",
      ],
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const { config, warnings } = readConf(c.text);
      assert.equal(config.hosts[0].indexes, c.indexes, "indexes");
      assert.equal(config.hosts[0].followSymLinks, c.followSymLinks, "followSymLinks");
      assert.deepEqual(warnings, c.warnings);
    });
  }
});

Deno.test("<Directory> sections carry Options, DirectoryIndex and AllowOverride to what they hold", () => {
  const { config } = readConf(
    [
      "AccessFileName .htaccess .acl",
      "<Directory /srv/htdocs>",
      "AllowOverride AuthConfig Options=Indexes,ExecCGI",
      "</Directory>",
      "<Directory /srv/htdocs/sub>",
      "Options -Indexes",
      "DirectoryIndex start.html",
      "DirectoryIndex index.txt",
      "</Directory>",
    ].join("\n"),
  );
  const host = config.hosts[0];
  assert.deepEqual(host.accessFileNames, [".htaccess", ".acl"]);
  assert.deepEqual(host.directoryIndex, ["index.html"]);
  assert.deepEqual(
    host.sections.map((s) => [s.match, s.options, s.directoryIndex, s.allowOverride]),
    [
      ["/srv/htdocs", null, null, { classes: ["AuthConfig", "Options"], options: ["indexes"] }],
      [
        "/srv/htdocs/sub",
        { indexes: false, followSymLinks: null },
        ["start.html", "index.txt"],
        null,
      ],
    ],
  );
});

Deno.test("<Location> with SetHandler server-status becomes Status", async (t) => {
  const status = (lines: string) =>
    `<Location /server-status>\nSetHandler server-status\n${lines}\n</Location>`;
  const CASES = [
    { name: "Require local", text: status("Require local"), allow: ["127.0.0.0/8", "::1/128"] },
    {
      name: "Require ip, several addresses and lines",
      text: status("Require ip 10.0.0.0/8 ::1\nRequire ip 192.0.2.7"),
      allow: ["10.0.0.0/8", "::1/128", "192.0.2.7/32"],
    },
    {
      name: "Require all granted",
      text: status("Require all granted"),
      allow: ["0.0.0.0/0", "::/0"],
    },
    { name: "no Require: everyone, as httpd", text: status(""), allow: ["0.0.0.0/0", "::/0"] },
    {
      name: "names in any case",
      text: "<location /st>\nsethandler Server-Status\nrequire LOCAL\n</location>",
      allow: ["127.0.0.0/8", "::1/128"],
      location: "/st",
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const { config, warnings } = readConf(c.text);
      assert.deepEqual(config.hosts[0].status, {
        location: c.location ?? "/server-status",
        metricsLocation: "/metrics",
        allow: c.allow,
      });
      assert.deepEqual(warnings, []);
    });
  }
});

Deno.test("<Location> warns about what it cannot map", async (t) => {
  const CASES = [
    {
      name: "another handler",
      text: "<Location /server-info>\nSetHandler server-info\n</Location>",
      warnings: [
        "httpd.conf:1: Ignoring SetHandler server-info in <Location /server-info>: mpmd implements SetHandler server-status in a <Location> only",
      ],
      status: false,
    },
    {
      name: "Require all denied alone",
      text: "<Location /s>\nSetHandler server-status\nRequire all denied\n</Location>",
      warnings: [
        "httpd.conf:1: Ignoring <Location /s>: its Require lines let no client read the status page",
      ],
      status: false,
    },
    {
      name: "Require local, and other directives",
      text: "<Location /s>\nSetHandler server-status\nRequire local\nHeader set X-A b\n</Location>",
      warnings: [
        "httpd.conf:4: Ignoring Header inside <Location /s>: mpmd sets it per host, not per directory",
      ],
      status: true,
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const { config, warnings } = readConf(c.text);
      assert.equal(config.hosts[0].status !== null, c.status);
      assert.deepEqual(warnings, c.warnings);
    });
  }
});

Deno.test("ExtendedStatus maps onto the server-wide setting", () => {
  assert.equal(readConf("ExtendedStatus Off").config.extendedStatus, false);
  assert.equal(readConf("Timeout 5").config.extendedStatus, true);
});

Deno.test("a bad Require line is refused at its own line, with a hint", async (t) => {
  const CASES = [
    [
      "Require ip 300.1.1.1",
      'httpd.conf:4: Cannot use Require: "Require ip 300.1.1.1": "300.1.1.1" is not local, all, an IP address or a CIDR range',
    ],
    [
      "Require host .example.com",
      'httpd.conf:4: Cannot use Require: "Require host .example.com": mpmd does not implement Require host (it has all, ip, local, valid-user, user, not)',
    ],
    [
      "Require al granted",
      'httpd.conf:4: Cannot use Require: "Require al granted": "al" is not a Require provider (did you mean all?)',
    ],
    [
      "Require valid-user now",
      'httpd.conf:4: Cannot use Require: "Require valid-user now": valid-user takes no arguments',
    ],
  ];
  for (const [line, error] of CASES) {
    await t.step(line!, () => {
      const text = `Timeout 5\n<Location /s>\nSetHandler server-status\n${line}\n</Location>`;
      assert.deepEqual(confErrors(text), [error]);
    });
  }
});
