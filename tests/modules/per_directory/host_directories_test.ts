/**
 * A host's chain over real directories: Options and DirectoryIndex per `<Directory>`, and
 * `.htaccess` files read where AllowOverride allows them.
 */

import assert from "node:assert/strict";
import { NO_BALANCERS, NO_STATUS } from "../_no_status.ts";
import { join } from "node:path";
import { BackendPool, createHostHandler } from "../../../modules/mod.ts";
import { parseConfigText } from "../../../server/config/readers/mod.ts";
import type { Handler } from "../../../server/http/mod.ts";
import type { LogEntry } from "../../server/http/_test_engine.ts";
import { collectingLogger } from "../../server/http/_test_engine.ts";
import { bodyText, headerOf, serve } from "../static/_request.ts";

/** `htpasswd -nbB alice wonder` */
const ALICE = "alice:$2y$05$E9OmVROQo1IC4atCvIjjROrWYIo6z8ZCBqhMQPqWCG0Ekbl9XxvXK";

/** Writes `files` (path → text) under a new temp directory. */
async function tree(files: Readonly<Record<string, string>>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "mpmd_dirs_" });
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(root, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(root, path), text);
  }
  return root;
}

/** The main host's chain of a YAML config whose ServerRoot is `root`. */
async function hostOf(root: string, yaml: string[], log: LogEntry[] = []): Promise<Handler> {
  const { config } = parseConfigText(["Listen: 8080", ...yaml].join("\n"), {
    file: join(root, "mpmd.yaml"),
    platformDefaultMpm: "event",
  });
  return await createHostHandler(config.hosts[0], {
    logger: collectingLogger(log),
    requestTimeoutMs: 60_000,
    status: NO_STATUS,
    listening: new Promise(() => {}),
    types: {},
    banner: "mpmd",
    balancers: NO_BALANCERS,
    serverRoot: config.serverRoot,
    timeoutMs: 60_000,
    proxyPool: new BackendPool(),
    modules: { mpm: config.mpm, loadable: config.loadedModules },
  });
}

/** `status body` of the answer to GET `target` (with Basic `credentials`) at time `now`. */
async function answer(
  handler: Handler,
  target: string,
  { credentials, now = 0 }: { credentials?: string | undefined; now?: number } = {},
): Promise<string> {
  const headers = credentials === undefined ? {} : { authorization: `Basic ${btoa(credentials)}` };
  const response = await serve(handler, target, { headers, receivedAt: now });
  const location = headerOf(response, "Location");
  const text = response.status === 200 ? (await bodyText(response)).split("\n")[0] : "";
  return [response.status, location ?? text].join(" ").trim();
}

Deno.test("Options and DirectoryIndex of a <Directory> apply below it only", async (t) => {
  const root = await tree({
    "www/index.html": "top index",
    "www/sub/start.html": "sub start",
    "www/sub/index.html": "sub index",
    "www/sub/bare/a.txt": "a",
    "www/listed/a.txt": "a",
    "www/old/index.html": "old index",
  });
  try {
    const handler = await hostOf(root, [
      "DocumentRoot: www",
      "Directory:",
      "  www/sub: { DirectoryIndex: start.html }",
      "  www/sub/bare: { Options: +Indexes }",
      "  www/listed: { Options: Indexes, DirectoryIndex: disabled }",
      "DirectoryMatch: { '/old$': { DirectoryIndex: missing.html } }",
    ]);
    const CASES: [target: string, want: string | RegExp][] = [
      ["/", "200 top index"],
      ["/sub/", "200 sub start"],
      ["/sub/bare/", /^200 <!DOCTYPE/i],
      ["/listed/", /^200 <!DOCTYPE/i],
      ["/old/", "403"],
      ["/sub", "301 /sub/"],
    ];
    for (const [target, want] of CASES) {
      await t.step(`${target} → ${want}`, async () => {
        const got = await answer(handler, target);
        if (typeof want === "string") assert.equal(got, want);
        else assert.match(got, want);
      });
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test(".htaccess files: AuthConfig, Options, Indexes, FileInfo where AllowOverride allows", async (t) => {
  const root = await tree({
    "users": ALICE,
    "www/index.html": "top index",
    "www/members/.htaccess":
      'AuthType Basic\nAuthName "Members"\nAuthUserFile users\nRequire valid-user\n',
    "www/members/page.txt": "members page",
    "www/members/open/.htaccess": "Require all granted\nDirectoryIndex welcome.txt",
    "www/members/open/welcome.txt": "welcome",
    "www/closed/.htaccess": "Require all denied",
    "www/closed/page.txt": "closed page",
    "www/moved/.htaccess": "Redirect 301 /moved/old https://example.test/new",
    "www/moved/page.txt": "moved page",
    "www/ignored/.htaccess": "Require all denied",
    "www/ignored/page.txt": "ignored page",
    "www/broken/.htaccess": "Require all granted\n\nOrder allow,deny",
    "www/broken/page.txt": "broken page",
    // An access file that cannot be read (root reads any mode: a directory stands in).
    "www/unreadable/.htaccess/x": "",
    "www/unreadable/page.txt": "unreadable page",
    "www/docs/.htaccess": '<FilesMatch "\\.bak$">\n  Require all denied\n</FilesMatch>',
    "www/docs/a.txt": "doc a",
    "www/docs/a.bak": "old a",
    "www/docs/sub/b.bak": "old b",
  });
  const log: LogEntry[] = [];
  try {
    const handler = await hostOf(root, [
      "DocumentRoot: www",
      "Directory:",
      "  www: { AllowOverride: All }",
      "  www/ignored: { AllowOverride: None }",
    ], log);
    const CASES: [target: string, credentials: string | undefined, want: string][] = [
      ["/", undefined, "200 top index"],
      ["/members/page.txt", undefined, "401"],
      ["/members/page.txt", "alice:wonder", "200 members page"],
      ["/members/page.txt", "alice:wrong", "401"],
      ["/members/open/", undefined, "200 welcome"],
      ["/closed/page.txt", undefined, "403"],
      ["/moved/old/x", undefined, "301 https://example.test/new/x"],
      ["/moved/page.txt", undefined, "200 moved page"],
      ["/ignored/page.txt", undefined, "200 ignored page"],
      ["/broken/page.txt", undefined, "500"],
      ["/unreadable/page.txt", undefined, "403"],
      ["/members/.htaccess", "alice:wonder", "403"],
      ["/docs/a.txt", undefined, "200 doc a"],
      ["/docs/a.bak", undefined, "403"],
      ["/docs/sub/b.bak", undefined, "403"],
      ["/a.bak", undefined, "404"],
    ];
    for (const [target, credentials, want] of CASES) {
      await t.step(`${target} ${credentials ?? ""} → ${want}`, async () => {
        assert.equal(await answer(handler, target, { credentials }), want);
      });
    }
    await t.step("the mistake is logged with its file and line", () => {
      const errors = log.filter((e) => e.level === "error").map((e) => e.message);
      assert.equal(errors.length, 2, errors.join("\n"));
      assert.equal(
        errors[0],
        `${root}/www/broken/.htaccess:3: Order is mod_access_compat's, which mpmd does not support: write Require lines (AllowOverride AuthConfig)`,
      );
      assert.ok(
        errors[1]!.startsWith(`${root}/www/unreadable/.htaccess: Cannot read the access file: `),
        errors[1],
      );
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test(".htaccess: a change is seen after the revalidation interval, without a restart", async () => {
  const root = await tree({ "www/page.txt": "page", "www/.htaccess": "Require all granted" });
  try {
    const handler = await hostOf(root, [
      "DocumentRoot: www",
      "Directory: { www: { AllowOverride: AuthConfig Indexes } }",
    ]);
    assert.equal(await answer(handler, "/page.txt", { now: 0 }), "200 page");
    await Deno.writeTextFile(join(root, "www/.htaccess"), "Require all denied");
    assert.equal(await answer(handler, "/page.txt", { now: 10 }), "200 page");
    assert.equal(await answer(handler, "/page.txt", { now: 1100 }), "403");
    await Deno.writeTextFile(join(root, "www/.htaccess"), "Options +Indexes");
    assert.equal(await answer(handler, "/page.txt", { now: 2200 }), "500");
    await Deno.remove(join(root, "www/.htaccess"));
    assert.equal(await answer(handler, "/page.txt", { now: 3300 }), "200 page");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test(".htaccess under an Alias target, and an AccessFileName that is never served", async () => {
  const root = await tree({
    "www/index.html": "top",
    "shared/acl.txt": "Require all denied",
    "shared/doc.txt": "doc",
    "shared/pub/acl.txt": "Require all granted",
    "shared/pub/doc.txt": "public doc",
  });
  try {
    const handler = await hostOf(root, [
      "DocumentRoot: www",
      "AccessFileName: acl.txt",
      "Alias: [/shared shared]",
      "Directory: { shared: { AllowOverride: AuthConfig } }",
    ]);
    assert.equal(await answer(handler, "/shared/doc.txt"), "403");
    assert.equal(await answer(handler, "/shared/pub/doc.txt"), "200 public doc");
    assert.equal(await answer(handler, "/shared/pub/acl.txt"), "403");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
