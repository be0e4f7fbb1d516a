import assert from "node:assert/strict";
import { errorsOf, parseYaml } from "./_parse_yaml.ts";

Deno.test("YAML VirtualHost: each item is a host over the main server's values", () => {
  const { config } = parseYaml(
    [
      "Listen: 8080",
      "DocumentRoot: /srv/main",
      "Options: [Indexes]",
      "AddType: { text/x-a: .a }",
      "VirtualHost:",
      '  - Address: "*:8080 [::1]:8081"',
      "    ServerName: a.test",
      "    ServerAlias: [www.a.test, '*.a.test']",
      "    ServerAdmin: ops@a.test",
      "    AddType: { text/x-b: .b }",
      "  - Address: 127.0.0.1",
      "    DocumentRoot: /srv/b",
      "    Options: None",
    ].join("\n"),
  );
  const [main, a, b] = config.hosts;
  assert.equal(config.hosts.length, 3);
  assert.deepEqual(main.addresses, []);
  assert.deepEqual(a!.addresses, [{ hostname: null, port: 8080 }, { hostname: "::1", port: 8081 }]);
  assert.equal(a!.declaredAt, "mpmd.yaml:6");
  assert.deepEqual([a!.serverName, a!.serverAdmin, a!.documentRoot], [
    "a.test",
    "ops@a.test",
    "/srv/main",
  ]);
  assert.deepEqual(a!.addType, { a: "text/x-a", b: "text/x-b" });
  assert.equal(a!.indexes, true);
  assert.deepEqual(b!.addresses, [{ hostname: "127.0.0.1", port: null }]);
  assert.deepEqual([b!.serverName, b!.documentRoot, b!.indexes], ["localhost", "/srv/b", false]);
});

Deno.test("YAML VirtualHost: mistakes are refused with their line and a hint", async (t) => {
  const CASES: [name: string, yaml: string, error: string][] = [
    [
      "not a list",
      "Listen: 8080\nVirtualHost: a.test",
      'mpmd.yaml:2: Cannot use VirtualHost: "a.test" is not a list of hosts',
    ],
    [
      "an item that is not a map",
      "Listen: 8080\nVirtualHost:\n  - a.test",
      'mpmd.yaml:3: Cannot use VirtualHost: "a.test" is not a host (a map of Address and host directives)',
    ],
    [
      "no Address",
      "Listen: 8080\nVirtualHost:\n  - ServerName: a.test",
      'mpmd.yaml:3: Cannot use VirtualHost: a host needs its Address (for example Address: "*:8080")',
    ],
    [
      "a host name for an address",
      "Listen: 8080\nVirtualHost:\n  - Address: a.test:80",
      'mpmd.yaml:3: Cannot use VirtualHost: "a.test:80" does not start with an IP address (write the address the host is reached on, or *: mpmd does not look names up)',
    ],
    [
      "a port out of range",
      "Listen: 8080\nVirtualHost:\n  - Address: '*:70000'",
      'mpmd.yaml:3: Cannot use VirtualHost: "*:70000" has no valid port (0 to 65535, or *)',
    ],
    [
      "a server-wide directive",
      "Listen: 8080\nVirtualHost:\n  - Address: '*'\n    KeepAlive: false",
      "mpmd.yaml:4: Cannot use KeepAlive in a VirtualHost: it applies to the whole server (set it at the top level)",
    ],
    [
      "a misspelt directive",
      "Listen: 8080\nVirtualHost:\n  - Address: '*'\n    DocumentRot: /srv",
      "mpmd.yaml:4: Cannot use DocumentRot: unknown directive (did you mean DocumentRoot?)",
    ],
    [
      "a bad value",
      "Listen: 8080\nVirtualHost:\n  - Address: '*'\n    ServerName: 'a b'",
      'mpmd.yaml:4: Cannot set ServerName: "a b" is not a host name',
    ],
  ];
  for (const [name, yaml, error] of CASES) {
    await t.step(name, () => assert.deepEqual(errorsOf(yaml), [error]));
  }
});

Deno.test("a virtual host's missing DocumentRoot is reported at its own line, once", () => {
  const checkDirectory = (path: string) => path === "/srv/missing" ? "no such directory" : null;
  const yaml = [
    "Listen: 8080",
    "DocumentRoot: /srv/main",
    "VirtualHost:",
    "  - Address: '*'",
    "    DocumentRoot: /srv/missing",
    "  - Address: '*'",
    "    DocumentRoot: /srv/missing",
    "  - Address: '*'",
  ].join("\n");
  assert.deepEqual(errorsOf(yaml, { checkDirectory }), [
    "mpmd.yaml:5: Cannot use DocumentRoot /srv/missing: no such directory",
    "mpmd.yaml:7: Cannot use DocumentRoot /srv/missing: no such directory",
  ]);
});

Deno.test("Redirect rules: httpd's forms in YAML and httpd.conf; a host tries its own first", () => {
  const { config } = parseYaml(
    [
      "Listen: 8080",
      "Redirect: [permanent /old https://example.test/new, gone /gone]",
      "RedirectMatch: '303 ^/d/(.*)$ /docs/$1'",
      "RedirectTemp: /tmp /temporary",
      "VirtualHost:",
      "  - Address: '*'",
      "    Redirect: /a http://a.test/",
    ].join("\n"),
  );
  const main = [
    { kind: "prefix", match: "/old", status: 301, target: "https://example.test/new" },
    { kind: "prefix", match: "/gone", status: 410, target: null },
    { kind: "prefix", match: "/tmp", status: 302, target: "/temporary" },
    { kind: "regex", match: "^/d/(.*)$", status: 303, target: "/docs/$1" },
  ];
  assert.deepEqual(config.hosts[0].redirects, main);
  assert.deepEqual(config.hosts[1]!.redirects, [
    { kind: "prefix", match: "/a", status: 302, target: "http://a.test/" },
    ...main,
  ]);
});

Deno.test("Redirect rules: mistakes are refused with their line", async (t) => {
  const CASES: [name: string, line: string, error: string][] = [
    [
      "a bad regular expression",
      "RedirectMatch: '^/(a /b/$1'",
      'mpmd.yaml:2: Cannot set RedirectMatch: "^/(a" is not a valid regular expression: /^/(a/: Unterminated group',
    ],
    [
      "no URL for a redirect",
      "Redirect: permanent /old",
      "mpmd.yaml:2: Cannot set Redirect: status 301 needs a URL to send the client to",
    ],
    [
      "a URL for gone",
      "Redirect: gone /old /new",
      'mpmd.yaml:2: Cannot set Redirect: status 410 sends no Location: give no URL after "/old"',
    ],
    [
      "a relative URL",
      "Redirect: /old new.html",
      'mpmd.yaml:2: Cannot set Redirect: "new.html" is not a URL (scheme://host/… or a path starting with /)',
    ],
    [
      "a status out of range",
      "Redirect: 200 /old /new",
      "mpmd.yaml:2: Cannot set Redirect: 200 is not a redirect or error status (300 to 599)",
    ],
    [
      "a path without its slash",
      "RedirectPermanent: old /new",
      'mpmd.yaml:2: Cannot set RedirectPermanent: "old" is not a URL path starting with /',
    ],
  ];
  for (const [name, line, error] of CASES) {
    await t.step(name, () => assert.deepEqual(errorsOf(`Listen: 8080\n${line}`), [error]));
  }
});

Deno.test("Alias, AliasMatch and ScriptAlias: paths resolved against ServerRoot, mistakes refused", async (t) => {
  const { config, warnings } = parseYaml(
    [
      "Listen: 8080",
      "Alias: ['/icons/ icons/', '/robots.txt /srv/robots.txt']",
      "AliasMatch: '^/manual/(.*)$ /usr/share/doc/$1'",
      "ScriptAlias: /cgi-bin/ /usr/lib/cgi-bin/",
    ].join("\n"),
  );
  assert.deepEqual(config.hosts[0].aliases, [
    { kind: "script", match: "/cgi-bin/", target: "/usr/lib/cgi-bin" },
    { kind: "prefix", match: "/icons/", target: "/srv/icons" },
    { kind: "prefix", match: "/robots.txt", target: "/srv/robots.txt" },
    { kind: "regex", match: "^/manual/(.*)$", target: "/usr/share/doc/$1" },
  ]);
  assert.deepEqual(warnings, [
    "mpmd.yaml:4: ScriptAlias /cgi-bin/: mpmd runs no CGI programs; requests under it are answered 403 Forbidden",
  ]);
  const CASES: [name: string, line: string, error: string][] = [
    [
      "a bad regular expression",
      "AliasMatch: '^/(a /srv/$1'",
      'mpmd.yaml:2: Cannot set AliasMatch: "^/(a" is not a valid regular expression: /^/(a/: Unterminated group',
    ],
    [
      "no path",
      "Alias: /icons/",
      'mpmd.yaml:2: Cannot set Alias: "/icons/" is not a URL path followed by a file system path',
    ],
    [
      "a URL path without its slash",
      "Alias: icons /srv/icons",
      'mpmd.yaml:2: Cannot set Alias: "icons" is not a URL path starting with /',
    ],
  ];
  for (const [name, line, error] of CASES) {
    await t.step(name, () => assert.deepEqual(errorsOf(`Listen: 8080\n${line}`), [error]));
  }
});
