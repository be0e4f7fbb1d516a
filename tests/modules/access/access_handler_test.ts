import assert from "node:assert/strict";
import {
  AccessSections,
  compileRequirement,
  createAccessHandler,
  decide,
} from "../../../modules/access/mod.ts";
import { AliasMap } from "../../../modules/alias/mod.ts";
import { DirectoryConfigs } from "../../../modules/per_directory/mod.ts";
import {
  type AccessSection,
  type HostConfig,
  parseRequireLine,
  type Requirement,
} from "../../../server/config/mod.ts";
import { HttpError, type ServerResponse } from "../../../server/http/mod.ts";
import { testLogger } from "../static/_fixture.ts";
import { headerOf, makeRequest } from "../static/_request.ts";

const line = parseRequireLine;
const any = (...rules: Requirement[]): Requirement => ({ kind: "any", rules });
const all = (...rules: Requirement[]): Requirement => ({ kind: "all-of", rules });
const none = (...rules: Requirement[]): Requirement => ({ kind: "none", rules });

Deno.test("decide() follows mod_authz_core's logic", async (t) => {
  const CASES: [
    name: string,
    rule: Requirement,
    address: string,
    user: string | null,
    want: string,
  ][] = [
    ["all granted", line("all granted"), "10.0.0.1", null, "granted"],
    ["all denied", line("all denied"), "127.0.0.1", null, "denied"],
    ["ip inside", line("ip 127.0.0.0/8"), "127.0.0.9", null, "granted"],
    ["ip outside", line("ip 127.0.0.0/8"), "10.0.0.1", null, "denied"],
    ["ip of a mapped IPv4", line("ip 127.0.0.0/8"), "::ffff:127.0.0.1", null, "granted"],
    ["local", line("local"), "::1", null, "granted"],
    ["not ip, outside", line("not ip 10.0.0.0/8"), "127.0.0.1", null, "neutral"],
    ["not ip, inside", line("not ip 10.0.0.0/8"), "10.1.1.1", null, "denied"],
    ["valid-user without one", line("valid-user"), "127.0.0.1", null, "needs-user"],
    ["valid-user", line("valid-user"), "127.0.0.1", "bob", "granted"],
    ["user named", line("user alice bob"), "127.0.0.1", "bob", "granted"],
    ["user not named", line("user alice"), "127.0.0.1", "bob", "denied"],
    [
      "any: ip or user",
      any(line("ip 10.0.0.0/8"), line("valid-user")),
      "127.0.0.1",
      null,
      "needs-user",
    ],
    [
      "any: ip grants",
      any(line("ip 127.0.0.0/8"), line("valid-user")),
      "127.0.0.1",
      null,
      "granted",
    ],
    [
      "all: user and ip",
      all(line("valid-user"), line("ip 127.0.0.0/8")),
      "127.0.0.1",
      "bob",
      "granted",
    ],
    ["all: ip fails", all(line("valid-user"), line("ip 10.0.0.0/8")), "127.0.0.1", "bob", "denied"],
    [
      "all: granted but not excluded",
      all(line("all granted"), line("not ip 10.0.0.0/8")),
      "127.0.0.1",
      null,
      "granted",
    ],
    [
      "all: excluded",
      all(line("all granted"), line("not ip 10.0.0.0/8")),
      "10.2.3.4",
      null,
      "denied",
    ],
    ["all: only negations", all(line("not ip 10.0.0.0/8")), "127.0.0.1", null, "neutral"],
    ["none: one grants", none(line("ip 127.0.0.0/8")), "127.0.0.1", null, "denied"],
    ["none: nothing grants", none(line("ip 10.0.0.0/8")), "127.0.0.1", null, "neutral"],
  ];
  for (const [name, rule, address, user, want] of CASES) {
    await t.step(
      name,
      () => assert.equal(decide(compileRequirement(rule), { address, user }), want),
    );
  }
});

function section(kind: AccessSection["kind"], match: string, require: string): AccessSection {
  return {
    kind,
    match,
    require: line(require),
    authType: null,
    authName: null,
    authUserFile: null,
    options: null,
    directoryIndex: null,
    allowOverride: null,
  };
}

/** The aliases and per-directory configuration of `host`, as the host's chain builds them. */
function optionsFor(
  host: Pick<
    HostConfig,
    | "aliases"
    | "sections"
    | "documentRoot"
    | "accessFileNames"
    | "indexes"
    | "followSymLinks"
    | "directoryIndex"
  >,
) {
  const aliases = new AliasMap(host.aliases);
  const roots = [host.documentRoot, ...host.aliases.map((_, i) => aliases.rootOf(i))];
  const directories = new DirectoryConfigs(host, {
    roots,
    serverRoot: "/",
    modules: { mpm: "event", loadable: [] },
    logger: testLogger(),
  });
  return { aliases, directories };
}

Deno.test("AccessSections merges the sections holding a path in httpd's order", async (t) => {
  const host = {
    documentRoot: "/srv/www",
    accessFileNames: [".htaccess"],
    indexes: false,
    followSymLinks: false,
    directoryIndex: ["index.html"],
    // Written out of order: Directory sections apply shortest first, then the other kinds.
    sections: [
      section("Directory", "/srv/www/private", "valid-user"),
      section("Directory", "/", "all denied"),
      section("Directory", "/srv/www", "all granted"),
      section("Directory", "/srv/*/drafts", "ip 10.0.0.0/8"),
      section("FilesMatch", "\\.secret$", "all denied"),
      section("Files", "*.bak", "user admin"),
      section("Location", "/status", "local"),
      section("LocationMatch", "^/api/v[0-9]+/admin", "user root"),
    ],
    aliases: [{ kind: "prefix" as const, match: "/icons/", target: "/usr/share/icons" }],
  };
  const sections = new AccessSections(host, optionsFor(host));
  const CASES: [path: string, require: string][] = [
    ["/", "all granted"],
    ["/index.html", "all granted"],
    ["/private/", "valid-user"],
    ["/private/a.txt", "valid-user"],
    ["/privatex/a.txt", "all granted"],
    ["/drafts/x.html", "ip 10.0.0.0/8"],
    ["/notes.secret", "all denied"],
    // A path the static rules refuse (400/403/404) names no file: only Locations apply.
    ["/.htpasswd", "null"],
    ["/private/old.bak", "user admin"],
    // An alias's files are outside /srv/www: only <Directory /> holds them.
    ["/icons/a.png", "all denied"],
    ["/status", "local"],
    ["/statusx", "local"],
    ["/api/v2/admin/users", "user root"],
    ["/%70rivate/a.txt", "valid-user"],
  ];
  for (const [path, require] of CASES) {
    await t.step(`${path} → Require ${require}`, () => {
      const want = require === "null" ? null : line(require);
      assert.deepEqual(sections.effective(path, 0).access.require, want);
    });
  }
});

Deno.test("createAccessHandler() challenges, checks bcrypt, apr1 and SHA-1 users, and refuses", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    // htpasswd -nbB alice wonder; htpasswd -nbm bob builder; htpasswd -nbs carol sha
    await Deno.writeTextFile(
      `${dir}/users`,
      [
        "alice:$2y$05$E9OmVROQo1IC4atCvIjjROrWYIo6z8ZCBqhMQPqWCG0Ekbl9XxvXK",
        "bob:$apr1$ui1GaVHq$DrRN4wK9RRx/V31ThFEtu1",
        "carol:{SHA}2PRZAyDhNDqRW2OUFwZQqPNdaSY=",
      ].join("\n"),
    );
    const host = {
      documentRoot: dir,
      accessFileNames: [".htaccess"],
      aliases: [],
      sections: [
        {
          ...section("Location", "/private", "valid-user"),
          authType: "Basic" as const,
          authName: 'The "inner" room',
          authUserFile: `${dir}/users`,
        },
        section("Location", "/admins", "user carol"),
        section("Location", "/lan", "ip 10.0.0.0/8"),
      ],
    } as unknown as HostConfig;
    const handler = createAccessHandler(host, { logger: testLogger(), ...optionsFor(host) })!;
    const status = async (path: string, credentials?: string) => {
      const headers = credentials === undefined
        ? {}
        : { authorization: `Basic ${btoa(credentials)}` };
      try {
        const response = await handler(makeRequest(path, { headers })) as ServerResponse | null;
        if (response === null) return "next";
        return `${response.status} ${headerOf(response, "WWW-Authenticate")}`;
      } catch (error) {
        if (error instanceof HttpError) return String(error.status);
        throw error;
      }
    };
    const CASES: [path: string, credentials: string | undefined, want: string][] = [
      ["/public", undefined, "next"],
      ["/private/x", undefined, '401 Basic realm="The \\"inner\\" room"'],
      ["/private/x", "alice:wonder", "next"],
      ["/private/x", "bob:builder", "next"],
      ["/private/x", "carol:sha", "next"],
      ["/private/x", "alice:builder", '401 Basic realm="The \\"inner\\" room"'],
      ["/private/x", "nobody:x", '401 Basic realm="The \\"inner\\" room"'],
      // A user requirement where no Basic authentication applies is the server's fault.
      ["/admins", undefined, "500"],
      ["/lan", undefined, "403"],
    ];
    for (const [path, credentials, want] of CASES) {
      await t.step(`${path} ${credentials ?? "(no credentials)"} → ${want}`, async () => {
        assert.equal(await status(path, credentials), want);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
