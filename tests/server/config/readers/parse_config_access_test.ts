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
    },
    {
      kind: "Directory",
      match: "/srv/htdocs",
      require: { kind: "all", granted: true },
      authType: null,
      authName: null,
      authUserFile: null,
      options: null,
    },
    {
      kind: "FilesMatch",
      match: "\\.bak$",
      require: { kind: "all", granted: false },
      authType: null,
      authName: null,
      authUserFile: null,
      options: null,
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
    },
  ]);
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
      "mpmd.yaml:2: Cannot set Location: <Location /a>: mpmd implements Require, AuthType, AuthName, AuthUserFile, Options in a section, not Requires (did you mean Require?)",
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
