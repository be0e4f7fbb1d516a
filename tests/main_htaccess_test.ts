/**
 * `.htaccess` through a real server process read from httpd.conf: AllowOverride per
 * `<Directory>`, Basic authentication from an access file, `<IfModule>` of the running server's
 * modules, a mistake answered 500 and logged with its file and line, an edit taking effect
 * without a restart.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runMpmd, SMALL_POOL_CONF, startMpmd, type TestServer } from "./_server.ts";
import { eventually } from "./_deadline.ts";

/** `htpasswd -nbB alice wonder` */
const ALICE = "alice:$2y$05$E9OmVROQo1IC4atCvIjjROrWYIo6z8ZCBqhMQPqWCG0Ekbl9XxvXK";

async function site(): Promise<{ readonly dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd-htaccess-" });
  const files: Record<string, string> = {
    "users": ALICE,
    "www/index.html": "home\n",
    "www/members/.htaccess":
      `AuthType Basic\nAuthName "Members"\nAuthUserFile ${dir}/users\nRequire valid-user\n`,
    "www/members/index.html": "members\n",
    "www/bad/.htaccess": "# comment\nOptions +Indexes\n",
    "www/bad/index.html": "bad\n",
    "www/plain/index.html": "plain\n",
    // The running server has event but no mod_ssl (no LoadModule names it).
    "www/modules/.htaccess":
      "<IfModule ssl_module>\nRequire all denied\n</IfModule>\n<IfModule mpm_event_module>\nAuthType Basic\nAuthName x\nAuthUserFile /nowhere\nRequire valid-user\n</IfModule>\n",
    "www/modules/index.html": "modules\n",
  };
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), text);
  }
  await Deno.writeTextFile(
    join(dir, "httpd.conf"),
    `${SMALL_POOL_CONF}Listen 127.0.0.1:0
DocumentRoot ${dir}/www
AccessFileName .htaccess .acl
<Directory />
  AllowOverride None
</Directory>
<Directory ${dir}/www>
  AllowOverride AuthConfig Indexes
</Directory>
`,
  );
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

/** The status code of a GET, with Basic credentials if given. */
async function statusOf(server: TestServer, path: string, credentials?: string): Promise<number> {
  const headers = credentials === undefined ? {} : { authorization: `Basic ${btoa(credentials)}` };
  const response = await fetch(`${server.origin}${path}`, { headers });
  await response.body?.cancel();
  return response.status;
}

Deno.test("mpmd serves .htaccess files where AllowOverride allows them, and sees them change", async () => {
  await using s = await site();
  await using server = await startMpmd(null, ["-f", join(s.dir, "httpd.conf")]);
  assert.equal(await statusOf(server, "/"), 200);
  assert.equal(await statusOf(server, "/members/"), 401);
  assert.equal(await statusOf(server, "/members/", "alice:wonder"), 200);
  assert.equal(await statusOf(server, "/members/.htaccess", "alice:wonder"), 403);
  // <IfModule> asks the running server: its MPM's section is read, mod_ssl's skipped.
  assert.equal(await statusOf(server, "/modules/"), 401);
  // Options is not among AllowOverride's classes there: 500, and the reason in the error log.
  assert.equal(await statusOf(server, "/bad/"), 500);
  await server.waitForLog(
    new RegExp(`${s.dir}/www/bad/\\.htaccess:2: Options not allowed here`),
  );
  // An access file written while the server runs is read within the revalidation interval.
  assert.equal(await statusOf(server, "/plain/"), 200);
  await Deno.writeTextFile(join(s.dir, "www/plain/.htaccess"), "Require all denied\n");
  await eventually(
    async () => await statusOf(server, "/plain/") === 403,
    "403 after the .htaccess was written",
    10_000,
    100,
  );
});

Deno.test("mpmd --convert writes AllowOverride and AccessFileName; -t refuses AllowOverride outside <Directory>", async () => {
  await using s = await site();
  const converted = await runMpmd(["--convert", join(s.dir, "httpd.conf")]);
  assert.equal(converted.code, 0, converted.stderr);
  assert.match(converted.stdout, /AccessFileName:\n\s+- \.htaccess\n\s+- \.acl/);
  assert.match(converted.stdout, /AllowOverride: None/);
  assert.match(converted.stdout, /AllowOverride:\n\s+- AuthConfig\n\s+- Indexes/);
  const bad = join(s.dir, "bad.conf");
  await Deno.writeTextFile(
    bad,
    `Listen 127.0.0.1:0\nDocumentRoot ${s.dir}/www\nAllowOverride All\n`,
  );
  const checked = await runMpmd(["-t", "-f", bad]);
  assert.notEqual(checked.code, 0);
  assert.match(checked.stderr, /bad\.conf:3: AllowOverride not allowed here/);
});
