import assert from "node:assert/strict";
import { join } from "node:path";
import { DirectoryConfigs } from "../../../modules/per_directory/mod.ts";
import { HttpError } from "../../../server/http/mod.ts";
import { parseYaml } from "../../server/config/readers/_parse_yaml.ts";
import { testLogger } from "../static/_fixture.ts";

/** The per-directory configuration of the main host of a YAML config (ServerRoot /srv). */
function configsOf(yaml: string, roots = ["/srv/www"], logger = testLogger()) {
  const host = parseYaml(`Listen: 8080\n${yaml}`).config.hosts[0];
  const modules = { mpm: "event", loadable: [] } as const;
  return new DirectoryConfigs(host, {
    roots,
    serverRoot: "/srv",
    modules,
    logger,
    revalidateMs: 1000,
  });
}

Deno.test("DirectoryConfigs merges Directory sections shortest first, then DirectoryMatch", async (t) => {
  const configs = configsOf(
    [
      "Options: [Indexes]",
      "DirectoryIndex: [index.html]",
      "Directory:",
      "  /srv/www/sub: { Options: -Indexes, DirectoryIndex: start.html }",
      "  /srv/www: { Options: +FollowSymLinks }",
      "  /srv/www/sub/deeper: { Options: +Indexes }",
      "  /srv/*/wild: { DirectoryIndex: wild.html }",
      "DirectoryMatch:",
      "  '/old$': { Options: None, DirectoryIndex: disabled }",
    ].join("\n"),
  );
  const CASES: [dir: string, indexes: boolean, followSymLinks: boolean, index: string[]][] = [
    ["/srv/www", true, true, ["index.html"]],
    ["/srv/www/other", true, true, ["index.html"]],
    ["/srv/www/sub", false, true, ["start.html"]],
    ["/srv/www/sub/x", false, true, ["start.html"]],
    ["/srv/www/sub/deeper", true, true, ["start.html"]],
    ["/srv/www/sub/old", false, false, []],
    ["/srv/www/wild", true, true, ["wild.html"]],
    ["/elsewhere", true, false, ["index.html"]],
  ];
  for (const [dir, indexes, followSymLinks, index] of CASES) {
    await t.step(dir, () => {
      const got = configs.get(dir, 0);
      assert.deepEqual(
        [got.indexes, got.followSymLinks, got.directoryIndex, got.problem],
        [indexes, followSymLinks, index, null],
      );
    });
  }
});

Deno.test("DirectoryConfigs reads access files where AllowOverride allows, and sees changes", async () => {
  const root = await Deno.makeTempDir({ prefix: "mpmd_htaccess_" });
  try {
    await Deno.mkdir(join(root, "a/b/c"), { recursive: true });
    await Deno.mkdir(join(root, "closed/x"), { recursive: true });
    const write = (path: string, text: string) => Deno.writeTextFile(join(root, path), text);
    await write(".htaccess", "Require all denied\nDirectoryIndex top.html");
    await write("a/.htaccess", "Require all granted");
    await write("a/b/.htaccess", "Options +Indexes\nRedirect /gone https://example.test/");
    await write("closed/.htaccess", "Require all granted");
    const logger = testLogger();
    const configs = configsOf(
      [
        "Directory:",
        `  ${root}: { AllowOverride: [AuthConfig, Indexes, Options, FileInfo] }`,
        `  ${root}/closed: { AllowOverride: None }`,
      ].join("\n"),
      [root],
      logger,
    );
    const requireOf = (dir: string, now = 0) => configs.get(join(root, dir), now).access.require;
    assert.deepEqual(requireOf(""), { kind: "all", granted: false });
    assert.deepEqual(configs.get(root, 0).directoryIndex, ["top.html"]);
    assert.deepEqual(requireOf("a/b/c"), { kind: "all", granted: true });
    assert.equal(configs.get(join(root, "a/b/c"), 0).indexes, true);
    assert.notEqual(configs.get(join(root, "a/b"), 0).redirect, null);
    assert.equal(configs.get(join(root, "a"), 0).redirect, null);
    // AllowOverride None there: its own access file is not read, the parent's still applies.
    assert.deepEqual(requireOf("closed/x"), { kind: "all", granted: false });

    const before = configs.get(join(root, "a/b/c"), 0);
    await write("a/.htaccess", "Require ip 10.0.0.0/8");
    // Within the revalidation window the remembered result stands; after it the change shows.
    assert.equal(configs.get(join(root, "a/b/c"), 500), before);
    assert.deepEqual(requireOf("a/b/c", 1500), { kind: "ip", ranges: ["10.0.0.0/8"], not: false });
    const after = configs.get(join(root, "a/b/c"), 1500);
    assert.equal(configs.get(join(root, "a/b/c"), 2600), after, "unchanged files: same result");

    await write("a/b/.htaccess", "Options +Indexes\nAddType text/plain .x");
    const broken = configs.get(join(root, "a/b/c"), 3700);
    assert.equal(
      broken.problem?.reason,
      `${root}/a/b/.htaccess:2: mpmd does not support AddType in an access file (it takes AuthType, AuthName, AuthUserFile, Require, Options, DirectoryIndex, Redirect, RedirectMatch, RedirectPermanent, RedirectTemp)`,
    );
    assert.throws(
      () => configs.forRequest(join(root, "a/b/c"), 3700),
      (e) => e instanceof HttpError && e.status === 500,
    );
    assert.equal(broken.problem?.status, 500);
    assert.deepEqual(logger.entries.map((e) => [e.level, e.message]), [
      ["error", broken.problem?.reason],
    ]);
    // A directory above the mistake is not affected.
    assert.equal(configs.get(join(root, "a"), 3700).problem, null);

    await Deno.remove(join(root, "a/b/.htaccess"));
    assert.equal(configs.get(join(root, "a/b/c"), 4800).problem, null);

    // A missing access file is remembered as missing until the window passes.
    assert.deepEqual(requireOf("a/b/c", 4800), { kind: "ip", ranges: ["10.0.0.0/8"], not: false });
    await write("a/b/c/.htaccess", "Require all denied");
    assert.deepEqual(requireOf("a/b/c", 5000), { kind: "ip", ranges: ["10.0.0.0/8"], not: false });
    assert.deepEqual(requireOf("a/b/c", 5900), { kind: "all", granted: false });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
