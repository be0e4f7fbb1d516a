import assert from "node:assert/strict";
import {
  type AccessFileResult,
  type ModulesInEffect,
  parseAccessFile,
} from "../../../../server/config/httpd_syntax/mod.ts";
import { parseAllowOverride } from "../../../../server/config/mod.ts";

const ALL = parseAllowOverride("All");
const EVENT_WITH_SSL: ModulesInEffect = { mpm: "event", loadable: ["ssl_module"] };

function read(text: string, allowOverride = ALL, modules = EVENT_WITH_SSL): AccessFileResult {
  return parseAccessFile(text, {
    file: "/srv/www/sub/.htaccess",
    directory: "/srv/www/sub",
    allowOverride,
    serverRoot: "/etc/mpmd",
    modules,
  });
}

/** What a file that must be read sets: the fields it does not leave `null` (or empty). */
function contentOf(text: string, allowOverride = ALL) {
  const result = read(text, allowOverride);
  if (!result.ok) throw new Error(`line ${result.line}: ${result.reason}`);
  const { kind, match, ...rest } = result.content.section;
  assert.deepEqual([kind, match], ["Directory", "/srv/www/sub"]);
  const { redirects, files } = result.content;
  return setFields({
    ...rest,
    redirects: redirects.length > 0 ? redirects : null,
    files: files.length > 0 ? files.map(setFields) : null,
  });
}

/** The fields of `object` that are not `null`. */
function setFields(object: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null));
}

Deno.test("parseAccessFile() reads an <IfModule> of a module the running server has", async (t) => {
  const PREFORK: ModulesInEffect = { mpm: "prefork", loadable: [] };
  const CASES: [condition: string, modules: ModulesInEffect, read: boolean][] = [
    ["mod_authz_core.c", PREFORK, true],
    ["mod_rewrite.c", EVENT_WITH_SSL, false],
    ["ssl_module", EVENT_WITH_SSL, true],
    ["mod_ssl.c", EVENT_WITH_SSL, true],
    ["ssl_module", PREFORK, false],
    ["!ssl_module", PREFORK, true],
    ["mpm_event_module", EVENT_WITH_SSL, true],
    ["event.c", EVENT_WITH_SSL, true],
    ["mpm_event_module", PREFORK, false],
    ["mpm_prefork_module", PREFORK, true],
    ["!mpm_prefork_module", PREFORK, false],
  ];
  for (const [condition, modules, want] of CASES) {
    await t.step(`<IfModule ${condition}> under ${modules.mpm} with [${modules.loadable}]`, () => {
      const result = read(`<IfModule ${condition}>\nRequire all denied\n</IfModule>`, ALL, modules);
      assert.ok(result.ok);
      assert.equal(result.content.section.require !== null, want);
    });
  }
});

Deno.test("parseAccessFile() takes what AllowOverride allows", async (t) => {
  const CASES: [name: string, text: string, want: Record<string, unknown>][] = [
    ["an empty file", "# nothing\n\n", {}],
    [
      "Basic authentication",
      'AuthType Basic\nAuthName "Members only"\nAuthUserFile users\nRequire valid-user',
      {
        authType: "Basic",
        authName: "Members only",
        authUserFile: "/etc/mpmd/users",
        require: { kind: "valid-user" },
      },
    ],
    [
      "two Require lines: either grants",
      "Require ip 10.0.0.0/8\nRequire user ann",
      {
        require: {
          kind: "any",
          rules: [
            { kind: "ip", ranges: ["10.0.0.0/8"], not: false },
            { kind: "user", names: ["ann"], not: false },
          ],
        },
      },
    ],
    [
      "a RequireAll container",
      "<RequireAll>\n  Require valid-user\n  Require not user bob\n</RequireAll>",
      {
        require: {
          kind: "all-of",
          rules: [{ kind: "valid-user" }, { kind: "user", names: ["bob"], not: true }],
        },
      },
    ],
    [
      "Options lines adjust one another",
      "Options Indexes\nOptions +FollowSymLinks -Indexes",
      { options: { indexes: false, followSymLinks: true } },
    ],
    [
      "DirectoryIndex lines add up",
      "DirectoryIndex a.html\nDirectoryIndex b.html",
      { directoryIndex: ["a.html", "b.html"] },
    ],
    ["DirectoryIndex disabled", "DirectoryIndex disabled", { directoryIndex: [] }],
    [
      "redirects in the order written",
      "RedirectMatch 410 \\.bak$\nRedirect permanent /old https://example.test/new",
      {
        redirects: [
          { kind: "regex", match: "\\.bak$", status: 410, target: null },
          { kind: "prefix", match: "/old", status: 301, target: "https://example.test/new" },
        ],
      },
    ],
    [
      "an IfModule of a module mpmd lacks is skipped",
      "<IfModule mod_rewrite.c>\nRewriteEngine On\n</IfModule>\nRequire all denied",
      { require: { kind: "all", granted: false } },
    ],
    [
      "an IfModule of a module mpmd has is read",
      "<IfModule mod_authz_core.c>\nRequire all denied\n</IfModule>",
      { require: { kind: "all", granted: false } },
    ],
    [
      "a continued line",
      "Require ip 10.0.0.1 \\\n  10.0.0.2",
      { require: { kind: "ip", ranges: ["10.0.0.1/32", "10.0.0.2/32"], not: false } },
    ],
    [
      "<Files> and <FilesMatch> sections, in the order written",
      '<FilesMatch "\\.(env|log)$">\n  Require all denied\n</FilesMatch>\n<Files ~ "^secret">\n  AuthType Basic\n  Require user ann\n</Files>\n<Files notes.txt>\n</Files>',
      {
        files: [
          {
            kind: "FilesMatch",
            match: "\\.(env|log)$",
            require: { kind: "all", granted: false },
          },
          {
            kind: "FilesMatch",
            match: "^secret",
            authType: "Basic",
            require: { kind: "user", names: ["ann"], not: false },
          },
          { kind: "Files", match: "notes.txt" },
        ],
      },
    ],
  ];
  for (const [name, text, want] of CASES) {
    await t.step(name, () => assert.deepEqual(contentOf(text), want));
  }
});

Deno.test("parseAccessFile() refuses at the first mistake, with its line and httpd's words", async (t) => {
  const CASES: [name: string, text: string, allow: string, line: number, reason: RegExp][] = [
    [
      "a class AllowOverride leaves out",
      "Require all granted\nOptions Indexes",
      "AuthConfig",
      2,
      /^Options not allowed here \(AllowOverride lets access files here hold AuthConfig, not Options\)$/,
    ],
    [
      "an option Options= leaves out",
      "Options +FollowSymLinks",
      "Options=Indexes",
      1,
      /^Option FollowSymLinks not allowed here$/,
    ],
    [
      "a container without AuthConfig",
      "<RequireAny>\nRequire all granted\n</RequireAny>",
      "Options",
      1,
      /^<RequireAny> not allowed here/,
    ],
    [
      "a misspelt directive",
      "\nRequre all granted",
      "All",
      2,
      /^Invalid command 'Requre', perhaps misspelled .*\(did you mean Require\?\)$/,
    ],
    [
      "mod_access_compat",
      "Order deny,allow",
      "All",
      1,
      /^Order is mod_access_compat's, which mpmd does not support: write Require lines/,
    ],
    [
      "an httpd directive mpmd does not take here",
      "RewriteEngine On",
      "All",
      1,
      /^mpmd does not support RewriteEngine in an access file/,
    ],
    [
      "a server directive",
      "Listen 8080",
      "All",
      1,
      /^mpmd does not support Listen in an access file/,
    ],
    [
      "a wrong value",
      "Require ip 300.0.0.1",
      "All",
      1,
      /^Require ip 300.0.0.1: .*"300.0.0.1" is not local, all, an IP address or a CIDR range/,
    ],
    [
      "Digest",
      "AuthType Digest",
      "All",
      1,
      /^AuthType Digest: AuthType Digest is not Basic or None/,
    ],
    [
      "a section mpmd does not take",
      "<Limit GET>\nRequire all denied\n</Limit>",
      "All",
      1,
      /^<Limit> is not supported in an access file by mpmd/,
    ],
    [
      "Options inside <Files>",
      "<Files x>\nOptions None\n</Files>",
      "All",
      2,
      /^Options cannot be inside <Files>: mpmd applies only AuthConfig there$/,
    ],
    [
      "<Files> inside <FilesMatch>",
      "<FilesMatch x>\n<Files y>\n</Files>\n</FilesMatch>",
      "All",
      2,
      /^<Files> cannot be inside <FilesMatch>$/,
    ],
    [
      "a bad <FilesMatch>",
      "<FilesMatch (x>\n</FilesMatch>",
      "All",
      1,
      /^<FilesMatch> \(x: .*not a valid regular expression/,
    ],
    [
      "a <Files> without a name",
      "<Files>\n</Files>",
      "All",
      1,
      /^<Files> takes one file name or pattern$/,
    ],
    [
      "an unclosed section",
      "<RequireAll>\nRequire valid-user",
      "All",
      1,
      /^<RequireAll> is not closed$/,
    ],
    [
      "a stray closing tag",
      "</RequireAll>",
      "All",
      1,
      /^<\/RequireAll> closes no open <RequireAll>$/,
    ],
    [
      "an empty container",
      "<RequireNone>\n</RequireNone>",
      "All",
      1,
      /^<RequireNone> holds no Require line$/,
    ],
    [
      "Options inside a container",
      "<RequireAll>\nOptions None\n</RequireAll>",
      "All",
      2,
      /^Options cannot be inside <RequireAll>/,
    ],
    ["a bad redirect", "Redirect /old", "FileInfo", 1, /^Redirect \/old: status 302 needs a URL/],
  ];
  for (const [name, text, allow, line, reason] of CASES) {
    await t.step(name, () => {
      const result = read(text, parseAllowOverride(allow));
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.line, line);
      assert.match(result.reason, reason);
    });
  }
});
