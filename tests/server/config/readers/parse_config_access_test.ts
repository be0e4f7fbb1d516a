import assert from "node:assert/strict";
import { errorsOf, parseYaml } from "./_parse_yaml.ts";

Deno.test("YAML sections: Require trees and Basic authentication per path", () => {
  const { config } = parseYaml(
    [
      "Listen: 8080",
      "Directory:",
      "  /: { Require: all denied }",
      "  htdocs: { Require: all granted }",
      "Location:",
      "  /private:",
      "    AuthType: Basic",
      "    AuthName: Private area",
      "    AuthUserFile: users",
      "    Require:",
      "      - valid-user",
      "      - RequireAll: [ip 127.0.0.0/8, not ip 127.0.0.2]",
      "FilesMatch: { '\\.bak$': { Require: all denied } }",
    ].join("\n"),
  );
  assert.deepEqual(config.hosts[0].sections, [
    {
      kind: "Directory",
      match: "/",
      require: { kind: "all", granted: false },
      authType: null,
      authName: null,
      authUserFile: null,
      options: null,
      directoryIndex: null,
      allowOverride: null,
    },
    {
      kind: "Directory",
      match: "/srv/htdocs",
      require: { kind: "all", granted: true },
      authType: null,
      authName: null,
      authUserFile: null,
      options: null,
      directoryIndex: null,
      allowOverride: null,
    },
    {
      kind: "FilesMatch",
      match: "\\.bak$",
      require: { kind: "all", granted: false },
      authType: null,
      authName: null,
      authUserFile: null,
      options: null,
      directoryIndex: null,
      allowOverride: null,
    },
    {
      kind: "Location",
      match: "/private",
      require: {
        kind: "any",
        rules: [
          { kind: "valid-user" },
          {
            kind: "all-of",
            rules: [
              { kind: "ip", ranges: ["127.0.0.0/8"], not: false },
              { kind: "ip", ranges: ["127.0.0.2/32"], not: true },
            ],
          },
        ],
      },
      authType: "Basic",
      authName: "Private area",
      authUserFile: "/srv/users",
      options: null,
      directoryIndex: null,
      allowOverride: null,
    },
  ]);
});

Deno.test("YAML sections: Options, DirectoryIndex and AllowOverride per directory", () => {
  const { config } = parseYaml(
    [
      "Listen: 8080",
      "AccessFileName: [.htaccess, .acl]",
      "Directory:",
      "  /srv/www: { AllowOverride: [AuthConfig, Options=Indexes] }",
      "  /srv/www/sub: { Options: -Indexes, DirectoryIndex: start.html }",
      "DirectoryMatch: { '/old$': { DirectoryIndex: disabled } }",
    ].join("\n"),
  );
  assert.deepEqual(config.hosts[0].accessFileNames, [".htaccess", ".acl"]);
  assert.deepEqual(
    config.hosts[0].sections.map((s) => [s.match, s.options, s.directoryIndex, s.allowOverride]),
    [
      ["/srv/www", null, null, { classes: ["AuthConfig", "Options"], options: ["indexes"] }],
      ["/srv/www/sub", { indexes: false, followSymLinks: null }, ["start.html"], null],
      ["/old$", null, [], null],
    ],
  );
});

Deno.test("YAML sections: mistakes are refused with their line and a hint", async (t) => {
  const CASES: [name: string, yaml: string, error: string][] = [
    [
      "a misspelt provider",
      "Location: { /a: { Require: al granted } }",
      'mpmd.yaml:2: Cannot set Location: "Require al granted": "al" is not a Require provider (did you mean all?)',
    ],
    [
      "a provider mpmd lacks",
      "Location: { /a: { Require: group admins } }",
      'mpmd.yaml:2: Cannot set Location: "Require group admins": mpmd does not implement Require group (it has all, ip, local, valid-user, user, not)',
    ],
    [
      "a bad regular expression",
      "FilesMatch: { '(x': { Require: all denied } }",
      'mpmd.yaml:2: Cannot set FilesMatch: "(x" is not a valid regular expression: /(x/: Unterminated group',
    ],
    [
      "a directive a section cannot hold",
      "Location: { /a: { Requires: all denied } }",
      "mpmd.yaml:2: Cannot set Location: <Location /a>: mpmd implements Require, AuthType, AuthName, AuthUserFile, Options, DirectoryIndex, AllowOverride in a section, not Requires (did you mean Require?)",
    ],
    [
      "AllowOverride outside a Directory",
      "DirectoryMatch: { '^/srv/': { AllowOverride: All } }",
      "mpmd.yaml:2: Cannot set DirectoryMatch: <DirectoryMatch ^/srv/>: AllowOverride is allowed only in a <Directory> without a regular expression, as in httpd",
    ],
    [
      "AllowOverride at the top level",
      "AllowOverride: All",
      "mpmd.yaml:2: Cannot use AllowOverride here: it belongs inside a Directory section, as in httpd (Directory: { /srv/www: { AllowOverride: … } })",
    ],
    [
      "Require at the top level",
      "Require: all granted",
      "mpmd.yaml:2: Cannot use Require here: it belongs inside a Directory, Files or Location section, as in httpd (Directory: { /srv/www: { Require: … } })",
    ],
    [
      "a misspelt override class",
      "Directory: { /srv: { AllowOverride: AuthConfg } }",
      'mpmd.yaml:2: Cannot set Directory: "AuthConfg" is not an override class (AuthConfig, FileInfo, Indexes, Limit, Options, All, None) (did you mean AuthConfig?)',
    ],
    [
      "DirectoryIndex in a Location",
      "Location: { /a: { DirectoryIndex: start.html } }",
      "mpmd.yaml:2: Cannot set Location: <Location /a>: mpmd applies DirectoryIndex in a <Directory> or <DirectoryMatch> only",
    ],
    [
      "Digest authentication",
      "Location: { /a: { AuthType: Digest } }",
      "mpmd.yaml:2: Cannot set Location: <Location /a>: AuthType Digest is not Basic or None (mpmd implements Basic only)",
    ],
    [
      "a Location without its slash",
      "Location: { a: { Require: all denied } }",
      'mpmd.yaml:2: Cannot set Location: "a" is not a URL path starting with /',
    ],
    [
      "an empty RequireAll",
      "Location: { /a: { Require: [RequireAll: []] } }",
      "mpmd.yaml:2: Cannot set Location: RequireAll holds a list of Require lines",
    ],
  ];
  for (const [name, line, error] of CASES) {
    await t.step(name, () => assert.deepEqual(errorsOf(`Listen: 8080\n${line}`), [error]));
  }
});

Deno.test("Header and RequestHeader: mod_headers' lines, mistakes refused at their line", async (t) => {
  const { config } = parseYaml(
    [
      "Listen: 8080",
      'Header: [always set Strict-Transport-Security "max-age=63072000", unset X-Powered-By]',
      "RequestHeader: append X-Via mpmd",
    ].join("\n"),
  );
  assert.deepEqual(config.hosts[0].headers, [
    { when: "always", action: "set", name: "Strict-Transport-Security", value: "max-age=63072000" },
    { when: "onsuccess", action: "unset", name: "X-Powered-By", value: null },
  ]);
  assert.deepEqual(config.hosts[0].requestHeaders, [
    { when: "onsuccess", action: "append", name: "X-Via", value: "mpmd" },
  ]);
  const CASES: [name: string, line: string, error: string][] = [
    ["no value", "Header: set X-A", "mpmd.yaml:2: Cannot set Header: set needs a value for X-A"],
    [
      "an action mpmd lacks",
      "Header: edit X-A a b",
      "mpmd.yaml:2: Cannot set Header: mpmd does not implement Header edit (it has set, append, add, merge, setifempty, unset)",
    ],
    [
      "a condition",
      "Header: set X-A b env=HTTPS",
      "mpmd.yaml:2: Cannot set Header: mpmd does not implement Header conditions (env=HTTPS): a line is when action name value",
    ],
    [
      "a misspelt action",
      "Header: sett X-A b",
      'mpmd.yaml:2: Cannot set Header: "sett" is not an action (set, append, add, merge, setifempty, unset)',
    ],
    [
      "always on a request",
      "RequestHeader: always set X-A b",
      'mpmd.yaml:2: Cannot set RequestHeader: "always" is not an action (set, append, add, merge, setifempty, unset)',
    ],
  ];
  for (const [name, line, error] of CASES) {
    await t.step(name, () => assert.deepEqual(errorsOf(`Listen: 8080\n${line}`), [error]));
  }
});

Deno.test("ErrorDocument: httpd's three forms and default, in lines or a map", async (t) => {
  const { config } = parseYaml(
    [
      "Listen: 8080",
      "ErrorDocument:",
      "  - 404 /errors/404.html",
      '  - 500 "Sorry, \\"we\\" broke it"',
      "  - 403 https://example.test/denied",
      "  - 503 default",
    ].join("\n"),
  );
  assert.deepEqual(config.hosts[0].errorDocuments, {
    404: { kind: "path", value: "/errors/404.html" },
    500: { kind: "text", value: 'Sorry, "we" broke it' },
    403: { kind: "url", value: "https://example.test/denied" },
    503: null,
  });
  const fromMap = parseYaml("Listen: 8080\nErrorDocument: { 404: /x.html, 410: Gone for good }");
  assert.deepEqual(fromMap.config.hosts[0].errorDocuments, {
    404: { kind: "path", value: "/x.html" },
    410: { kind: "text", value: "Gone for good" },
  });
  await t.step("a status that is no error", () => {
    assert.deepEqual(errorsOf("Listen: 8080\nErrorDocument: 200 /x.html"), [
      'mpmd.yaml:2: Cannot set ErrorDocument: "200" is not an error status (400 to 599)',
    ]);
  });
});

Deno.test("TypesConfig: read when the configuration is loaded; a missing file is refused", () => {
  const readFile = (path: string) =>
    path === "/srv/mime.types" ? "text/x-test tst\nimage/png png\n" : { problem: "no such file" };
  const { config } = parseYaml("Listen: 8080\nTypesConfig: mime.types", { readFile });
  assert.deepEqual(config.typesConfig, {
    path: "/srv/mime.types",
    types: { tst: "text/x-test", png: "image/png" },
  });
  assert.deepEqual(errorsOf("Listen: 8080\nTypesConfig: /nowhere/mime.types", { readFile }), [
    "mpmd.yaml:2: Cannot use TypesConfig /nowhere/mime.types: no such file",
  ]);
});
