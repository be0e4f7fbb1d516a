import assert from "node:assert/strict";
import { join } from "node:path";
import { runMpmd, SMALL_POOL_CONF, startMpmd, type TestServer } from "./_server.ts";
import { parseConfigText } from "../server/config/readers/mod.ts";

/** Three sites and a main server, each a directory whose index names it. */
async function sites(): Promise<{ readonly dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd-vhosts-" });
  for (const site of ["main", "default", "a", "b"]) {
    await Deno.mkdir(join(dir, site));
    await Deno.writeTextFile(join(dir, site, "index.html"), `site ${site}\n`);
  }
  await Deno.mkdir(join(dir, "logs"));
  await Deno.mkdir(join(dir, "icons"));
  await Deno.writeTextFile(join(dir, "icons", "a.txt"), "icon a\n");
  await Deno.mkdir(join(dir, "errors"));
  await Deno.writeTextFile(join(dir, "errors", "404.html"), "not here\n");
  for (const area of ["private", "local", "lan"]) {
    await Deno.mkdir(join(dir, "b", area));
    await Deno.writeTextFile(join(dir, "b", area, "index.html"), `${area}\n`);
  }
  // htpasswd -nbB alice wonder; htpasswd -nbm bob builder
  await Deno.writeTextFile(
    join(dir, "users"),
    "alice:$2y$05$E9OmVROQo1IC4atCvIjjROrWYIo6z8ZCBqhMQPqWCG0Ekbl9XxvXK\n" +
      "bob:$apr1$ui1GaVHq$DrRN4wK9RRx/V31ThFEtu1\n",
  );
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

function yamlConfig(dir: string): string {
  return `
Listen: [127.0.0.1:0]
ServerName: main.test
DocumentRoot: ${dir}/main
Status: /server-status
LogFormat: { hosts: "%v %V %>s %U" }
CustomLog: ["${dir}/logs/main.log hosts"]
Redirect: ["permanent /old https://example.test/new"]
Alias: ["/icons/ ${dir}/icons/", "/errors/ ${dir}/errors/"]
ErrorDocument: ["404 /errors/404.html"]
Header: ["always set X-Frame-Options DENY"]
VirtualHost:
  - Address: "*"
    ServerName: default.test
    DocumentRoot: ${dir}/default
  - Address: "*"
    ServerName: www.a.test
    ServerAlias: [a.test, "*.a.test"]
    DocumentRoot: ${dir}/a
    CustomLog: ["${dir}/logs/a.log hosts"]
    ScriptAlias: ["/cgi-bin/ ${dir}/a/"]
  - Address: "*"
    ServerName: b.test
    DocumentRoot: ${dir}/b
    RedirectMatch: ["^/docs/(.*)$ /manual/$1"]
    Header: ['set Cache-Control "max-age=60"']
    Location:
      /private:
        AuthType: Basic
        AuthName: Staff only
        AuthUserFile: ${dir}/users
        Require: valid-user
      /local: { Require: ip 127.0.0.0/8 }
      /lan: { Require: ip 10.0.0.0/8 }
`;
}

function httpdConfig(dir: string): string {
  return `${SMALL_POOL_CONF}Listen 127.0.0.1:0
ServerName main.test
DocumentRoot ${dir}/main
<Location /server-status>
  SetHandler server-status
</Location>
LogFormat "%v %V %>s %U" hosts
CustomLog ${dir}/logs/main.log hosts
Redirect permanent /old https://example.test/new
Alias /icons/ ${dir}/icons/
Alias /errors/ ${dir}/errors/
ErrorDocument 404 /errors/404.html
Header always set X-Frame-Options DENY
<VirtualHost *>
  ServerName default.test
  DocumentRoot ${dir}/default
</VirtualHost>
<VirtualHost *>
  ServerName www.a.test
  ServerAlias a.test *.a.test
  DocumentRoot ${dir}/a
  CustomLog ${dir}/logs/a.log hosts
  ScriptAlias /cgi-bin/ ${dir}/a/
</VirtualHost>
<VirtualHost *>
  ServerName b.test
  DocumentRoot ${dir}/b
  RedirectMatch ^/docs/(.*)$ /manual/$1
  Header set Cache-Control "max-age=60"
  <Location /private>
    AuthType Basic
    AuthName "Staff only"
    AuthUserFile ${dir}/users
    Require valid-user
  </Location>
  <Location /local>
    Require ip 127.0.0.0/8
  </Location>
  <Location /lan>
    Require ip 10.0.0.0/8
  </Location>
</VirtualHost>
`;
}

/**
 * The answer to a GET with this Host field (`null`: none) and these Basic credentials, over
 * raw TCP to send it as written.
 */
async function get(
  server: TestServer,
  host: string | null,
  path = "/",
  credentials?: string,
): Promise<string> {
  using conn = await Deno.connect({ hostname: server.hostname, port: server.port });
  const hostLine = host === null ? "" : `Host: ${host}\r\n`;
  const auth = credentials === undefined ? "" : `Authorization: Basic ${btoa(credentials)}\r\n`;
  await conn.write(new TextEncoder().encode(`GET ${path} HTTP/1.0\r\n${hostLine}${auth}\r\n`));
  return await new Response(conn.readable).text();
}

/** The body of {@link get}'s answer. */
async function served(
  server: TestServer,
  host: string | null,
  path = "/",
  credentials?: string,
): Promise<string> {
  const text = await get(server, host, path, credentials);
  return text.slice(text.indexOf("\r\n\r\n") + 4);
}

/** The status code and the Location or WWW-Authenticate of {@link get}'s answer. */
async function redirected(
  server: TestServer,
  host: string,
  path: string,
  credentials?: string,
): Promise<string> {
  const answer = await get(server, host, path, credentials);
  const head = answer.split("\r\n\r\n")[0]!.split("\r\n");
  const field = head.find((line) => /^(location|www-authenticate):/i.test(line));
  return `${head[0]!.split(" ")[1]} ${field?.slice(field.indexOf(":") + 1).trim() ?? ""}`;
}

/** Requests and the site that answers each, as httpd chooses. */
const ROUTES: readonly [host: string | null, site: string][] = [
  ["www.a.test", "a"],
  ["A.TEST:80", "a"],
  ["shop.a.test", "a"],
  ["b.test", "b"],
  // Unknown names and none at all: the first virtual host, never the main server.
  ["unknown.test", "default"],
  [null, "default"],
];

async function checkServing(server: TestServer, dir: string): Promise<void> {
  for (const [host, site] of ROUTES) {
    assert.equal(await served(server, host), `site ${site}\n`, `Host: ${host}`);
  }
  // The main server's Redirect holds for every host; b.test tries its own RedirectMatch first.
  assert.equal(
    await redirected(server, "default.test", "/old/p?q=1"),
    "301 https://example.test/new/p?q=1",
  );
  assert.equal(await redirected(server, "b.test", "/docs/intro"), "302 /manual/intro");
  assert.equal(await redirected(server, "b.test", "/old"), "301 https://example.test/new");
  // The main server's Alias serves every host; a ScriptAlias is refused, its files never sent.
  assert.equal(await served(server, "b.test", "/icons/a.txt"), "icon a\n");
  assert.equal(await redirected(server, "www.a.test", "/cgi-bin/index.html"), "403 ");
  // b.test's access sections: Basic with bcrypt and apr1 users, and address rules.
  assert.equal(await redirected(server, "b.test", "/private/"), '401 Basic realm="Staff only"');
  assert.equal(
    await redirected(server, "b.test", "/private/", "alice:wrong"),
    '401 Basic realm="Staff only"',
  );
  assert.equal(await served(server, "b.test", "/private/", "alice:wonder"), "private\n");
  assert.equal(await served(server, "b.test", "/private/", "bob:builder"), "private\n");
  assert.equal(await served(server, "b.test", "/local/"), "local\n");
  assert.equal(await redirected(server, "b.test", "/lan/"), "403 ");
  // Header lines: the main server's `always` line on every host and answer, b.test's own
  // (onsuccess) on its successful answers only.
  const fields = async (host: string, path: string) => {
    const head = (await get(server, host, path)).split("\r\n\r\n")[0]!.toLowerCase();
    return ["x-frame-options: deny", "cache-control: max-age=60"].filter((f) => head.includes(f));
  };
  assert.deepEqual(await fields("b.test", "/"), [
    "x-frame-options: deny",
    "cache-control: max-age=60",
  ]);
  assert.deepEqual(await fields("b.test", "/missing"), ["x-frame-options: deny"]);
  // The main server's ErrorDocument, through its Alias, for every host's 404.
  assert.equal(await served(server, "b.test", "/missing"), "not here\n");
  assert.equal(await redirected(server, "www.a.test", "/missing"), "404 ");
  assert.deepEqual(await fields("www.a.test", "/"), ["x-frame-options: deny"]);
  // Another host has no such sections.
  assert.equal(await redirected(server, "default.test", "/lan/"), "404 ");
  // The status page is the main server's, and so every host's; its own request shows its host.
  const status = await served(server, "b.test", "/server-status?json");
  const report = JSON.parse(status) as { slots: { state: string; vhost: string }[] };
  assert.deepEqual(report.slots.filter((s) => s.state === "W").map((s) => s.vhost), ["b.test"]);
  assert.equal(await server.stop(), 0);
  // a.test has its own log; the others write the main server's, each line naming its host.
  // (Each thread buffers its own lines: the order across threads is not the order sent.)
  const lines = async (log: string) =>
    (await Deno.readTextFile(join(dir, "logs", log))).trimEnd().split("\n").sort();
  assert.deepEqual(
    await lines("a.log"),
    [
      "www.a.test a.test 200 /",
      "www.a.test shop.a.test 200 /",
      "www.a.test www.a.test 200 /",
      "www.a.test www.a.test 200 /",
      "www.a.test www.a.test 403 /cgi-bin/index.html",
      "www.a.test www.a.test 404 /missing",
    ].sort(),
  );
  assert.deepEqual(
    await lines("main.log"),
    [
      "b.test b.test 200 /",
      "b.test b.test 200 /",
      "b.test b.test 404 /missing",
      "b.test b.test 404 /missing",
      "b.test b.test 200 /icons/a.txt",
      "b.test b.test 200 /server-status",
      "b.test b.test 200 /local/",
      "b.test b.test 200 /private/",
      "b.test b.test 200 /private/",
      "b.test b.test 301 /old",
      "b.test b.test 302 /docs/intro",
      "b.test b.test 401 /private/",
      "b.test b.test 401 /private/",
      "b.test b.test 403 /lan/",
      "default.test default.test 200 /",
      "default.test default.test 301 /old/p",
      "default.test default.test 404 /lan/",
      "default.test unknown.test 200 /",
    ].sort(),
  );
}

Deno.test("name-based virtual hosts from YAML: routing, redirects, per-host logs, %v %V, status vhost", async () => {
  await using s = await sites();
  await using server = await startMpmd(yamlConfig(s.dir));
  await checkServing(server, s.dir);
});

Deno.test("name-based virtual hosts from httpd.conf serve the same", async () => {
  await using s = await sites();
  const conf = join(s.dir, "httpd.conf");
  await Deno.writeTextFile(conf, httpdConfig(s.dir));
  await using server = await startMpmd(null, ["-f", conf]);
  await checkServing(server, s.dir);
});

Deno.test("mpmd -S lists virtual hosts as httpd does; --convert writes them as YAML", async () => {
  await using s = await sites();
  const conf = join(s.dir, "httpd.conf");
  await Deno.writeTextFile(conf, httpdConfig(s.dir));
  const dump = await runMpmd(["-S", "-f", conf]);
  assert.equal(dump.code, 0, dump.stderr);
  assert.equal(
    dump.stdout.slice(0, dump.stdout.indexOf("ServerRoot:")),
    [
      "VirtualHost configuration:",
      "*:*                    is a NameVirtualHost",
      `         default server default.test (${conf}:20)`,
      `         port * namevhost default.test (${conf}:20)`,
      `         port * namevhost www.a.test (${conf}:24)`,
      "                 alias a.test",
      "                 wild alias *.a.test",
      `         port * namevhost b.test (${conf}:31)`,
      "",
    ].join("\n"),
  );
  const converted = await runMpmd(["--convert", conf]);
  assert.equal(converted.code, 0, converted.stderr);
  const options = { platformDefaultMpm: "event" as const, defaultServerRoot: s.dir };
  const fromYaml = parseConfigText(converted.stdout, { ...options, file: join(s.dir, "c.yaml") });
  const fromConf = parseConfigText(httpdConfig(s.dir), { ...options, file: conf });
  const hosts = (c: typeof fromYaml) => c.config.hosts.map((h) => ({ ...h, declaredAt: "" }));
  assert.deepEqual(hosts(fromYaml), hosts(fromConf));
  assert.equal(fromYaml.config.hosts.length, 4);
});
