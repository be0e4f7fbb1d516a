/**
 * Differential test: Debian's own apache2 configuration tree (apt's apache2 package), served by
 * Apache 2.4 itself and by mpmd, one request table against both, comparing status codes and
 * key header fields. Only the port changes (ports.conf, 000-default.conf) and envvars' paths
 * come from the environment, as apache2ctl gives them.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { denoDirCopy, startMpmd, type TestServer } from "./_server.ts";

const TREE = "/etc/apache2";
const APACHE = "/usr/sbin/apache2";
const present = (path: string) => {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
};
const HAVE_APACHE = present(APACHE) && present(join(TREE, "apache2.conf"));

/** A copy of Debian's tree listening on `port`, with envvars' directories under `dir`. */
async function debianTree(dir: string, port: number): Promise<Record<string, string>> {
  const tree = join(dir, "apache2");
  const copy = await new Deno.Command("cp", { args: ["-a", TREE, tree] }).output();
  assert.ok(copy.success, new TextDecoder().decode(copy.stderr));
  const edit = async (file: string, from: RegExp, to: string) => {
    const path = join(tree, file);
    const text = await Deno.readTextFile(path);
    assert.match(text, from);
    await Deno.writeTextFile(path, text.replace(from, to));
  };
  await edit("ports.conf", /^Listen 80$/m, `Listen 127.0.0.1:${port}`);
  await edit("sites-enabled/000-default.conf", /<VirtualHost \*:80>/, `<VirtualHost *:${port}>`);
  for (const sub of ["run", "lock", "log"]) await Deno.mkdir(join(dir, sub));
  return {
    APACHE_RUN_USER: "www-data",
    APACHE_RUN_GROUP: "www-data",
    APACHE_PID_FILE: join(dir, "run", "apache2.pid"),
    APACHE_RUN_DIR: join(dir, "run"),
    APACHE_LOCK_DIR: join(dir, "lock"),
    APACHE_LOG_DIR: join(dir, "log"),
    LANG: "C",
  };
}

/** A free loopback port (the OS's choice, released again). */
function freePort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return listener.addr.port;
}

/** Waits until `port` accepts a connection, for at most `deadlineMs`. */
async function accepting(port: number, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (true) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** One request of the table: method, path, extra header lines. */
type Probe = readonly [method: string, path: string, headers?: string];

const PROBES: readonly Probe[] = [
  ["GET", "/"],
  ["HEAD", "/"],
  ["GET", "/index.html"],
  ["HEAD", "/index.html"],
  ["GET", "/index.html", "If-None-Match: *"],
  ["GET", "/index.html", "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT"],
  ["GET", "/index.html", "Range: bytes=0-9"],
  ["GET", "/index.html", "Range: bytes=999999-"],
  ["GET", "/index.html/"],
  ["GET", "/index.html?x=1"],
  ["GET", "/INDEX.HTML"],
  ["GET", "/missing"],
  ["GET", "/missing/"],
  ["GET", "/missing.html"],
  ["GET", "/.htaccess"],
  ["GET", "/.htpasswd"],
  ["GET", "/.ht"],
  ["GET", "/icons/./a.png"],
  ["GET", "/./index.html"],
  ["GET", "/%2e%2e/etc/passwd"],
  ["GET", "/../etc/passwd"],
  ["GET", "/a/../index.html"],
  ["GET", "/icons/"],
  ["GET", "/icons"],
  ["GET", "/icons/a.png"],
  ["HEAD", "/icons/a.png"],
  ["GET", "/icons/a.gif"],
  ["GET", "/icons/README"],
  ["GET", "/icons/missing.png"],
  ["GET", "/icons/small/"],
  ["GET", "/icons/small"],
  ["GET", "/icons/../index.html"],
  ["GET", "/icons/.htaccess"],
  ["GET", "/server-status"],
  ["GET", "/server-status?auto"],
  ["GET", "/server-status/"],
  ["GET", "/cgi-bin/"],
  ["POST", "/index.html", "Content-Length: 0"],
  ["PUT", "/index.html", "Content-Length: 0"],
  ["DELETE", "/index.html"],
  ["GET", "/", "Host: other.example"],
  ["GET", "/index.html", "Host: other.example"],
  ["GET", "/icons/a.png", "Accept-Encoding: gzip"],
];

/**
 * Requests mpmd answers differently on purpose: Apache, mpmd, why. mpmd refuses a `.ht*` name
 * before touching the disk (403 wherever it is); Apache looks for the directory first (404 when
 * it is missing, 403 only for a file that exists).
 */
const KNOWN_DIFFERENCES: readonly [Probe, apache: string, mpmd: string][] = [
  [
    ["GET", "/missing-dir/.htaccess"],
    "404 type=text/html location=-",
    "403 type=text/html location=-",
  ],
];

/** What is compared of an answer: the status and the header fields both should agree on. */
async function probe(port: number, [method, path, headers]: Probe): Promise<string> {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const host = headers?.startsWith("Host:") ? "" : `Host: 127.0.0.1\r\n`;
  const extra = headers === undefined ? "" : `${headers}\r\n`;
  const head = `${method} ${path} HTTP/1.1\r\n${host}${extra}Connection: close\r\n\r\n`;
  await conn.write(new TextEncoder().encode(head));
  const text = await new Response(conn.readable).text();
  const [statusLine = "", ...lines] = text.slice(0, text.indexOf("\r\n\r\n")).split("\r\n");
  const field = (name: string) =>
    lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
  // The media type only (Apache names Latin-1 where mpmd writes UTF-8 for its own pages);
  // a Location's path only (Apache makes it absolute with its own port).
  const type = (field("content-type")?.split(";")[0] ?? "-").toLowerCase();
  const location = field("location")?.replace(/^https?:\/\/[^/]+/, "") ?? "-";
  return `${statusLine.split(" ")[1]} type=${type} location=${location}`;
}

/** Apache and mpmd, each serving its own copy of Debian's tree. */
interface DebianPair extends AsyncDisposable {
  readonly apachePort: number;
  readonly mpmdPort: number;
  readonly mpmd: TestServer;
}

/**
 * Starts Apache and mpmd on copies of Debian's tree under a temp directory; `prepare` edits
 * each copy (its directory, and whose it is) before its server starts.
 */
async function startDebianPair(
  prepare: (dir: string, server: "apache" | "mpmd") => Promise<void> = () => Promise.resolve(),
): Promise<DebianPair> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd-debian-" });
  const apachePort = freePort();
  const mpmdPort = freePort();
  let apache: Deno.ChildProcess | null = null;
  let mpmd: TestServer | null = null;
  let denoDir: AsyncDisposable | null = null;
  const stop = async () => {
    if (mpmd !== null) await mpmd.stop();
    await denoDir?.[Symbol.asyncDispose]();
    if (apache !== null) {
      apache.kill("SIGTERM");
      await apache.stderr.cancel();
      await apache.status;
    }
    await Deno.remove(dir, { recursive: true });
  };
  try {
    const apacheDir = join(dir, "apache");
    const mpmdDir = join(dir, "mpmd");
    await Deno.mkdir(apacheDir);
    await Deno.mkdir(mpmdDir);
    const apacheEnv = await debianTree(apacheDir, apachePort);
    const mpmdEnv = await debianTree(mpmdDir, mpmdPort);
    await prepare(apacheDir, "apache");
    await prepare(mpmdDir, "mpmd");
    const conf = (d: string) => join(d, "apache2", "apache2.conf");
    apache = new Deno.Command(APACHE, {
      args: ["-d", join(apacheDir, "apache2"), "-f", conf(apacheDir), "-DFOREGROUND"],
      env: apacheEnv,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // A small pool (Debian's event settings would start 50 isolates on a test machine),
    // and the error log on stderr, where the test reads the readiness line.
    const pool = [
      "StartServers 1",
      "ThreadsPerChild 2",
      "MinSpareThreads 1",
      "MaxSpareThreads 3",
      "ErrorLog stderr",
    ];
    // Its children serve as www-data, as Apache's do, and their threads load code as it.
    const copy = await denoDirCopy();
    denoDir = copy;
    mpmd = await startMpmd(null, ["-f", conf(mpmdDir), ...pool.flatMap((d) => ["-c", d])], {
      env: { ...mpmdEnv, DENO_DIR: copy.path },
    });
    await accepting(apachePort, 20_000);
    return { apachePort, mpmdPort, mpmd, [Symbol.asyncDispose]: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

Deno.test({
  name: "Debian's apache2 tree: mpmd answers as Apache 2.4 does, request by request",
  ignore: !HAVE_APACHE,
  async fn() {
    await using pair = await startDebianPair();
    const { apachePort, mpmdPort } = pair;
    const differences: string[] = [];
    for (const p of PROBES) {
      const [want, got] = [await probe(apachePort, p), await probe(mpmdPort, p)];
      if (want !== got) differences.push(`${p.join(" ")}: Apache ${want}, mpmd ${got}`);
    }
    assert.deepEqual(differences, []);
    // Where mpmd differs on purpose, both answers are pinned, with the reason.
    for (const [p, apacheAnswer, mpmdAnswer] of KNOWN_DIFFERENCES) {
      assert.equal(await probe(apachePort, p), apacheAnswer, `Apache: ${p.join(" ")}`);
      assert.equal(await probe(mpmdPort, p), mpmdAnswer, `mpmd: ${p.join(" ")}`);
    }
  },
});

/**
 * Enables Debian's mod_ssl and its default-ssl site in the copy at `dir` (as `a2enmod ssl` and
 * `a2ensite default-ssl` do), on `port`, with a certificate made here in place of the
 * snakeoil one of the ssl-cert package.
 */
async function enableSsl(dir: string, port: number): Promise<void> {
  const tree = join(dir, "apache2");
  const links: [string, string][] = [
    ["../mods-available/ssl.load", "mods-enabled/ssl.load"],
    ["../mods-available/ssl.conf", "mods-enabled/ssl.conf"],
    ["../mods-available/socache_shmcb.load", "mods-enabled/socache_shmcb.load"],
    ["../sites-available/default-ssl.conf", "sites-enabled/default-ssl.conf"],
  ];
  for (const [target, link] of links) {
    await Deno.remove(join(tree, link)).catch(() => {});
    await Deno.symlink(target, join(tree, link));
  }
  const cert = join(dir, "snakeoil.pem");
  const key = join(dir, "snakeoil.key");
  const made = await new Deno.Command("openssl", {
    args: [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
      ...["-nodes", "-subj", "/CN=localhost", "-days", "2", "-keyout", key, "-out", cert],
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(made.success, new TextDecoder().decode(made.stderr));
  await Deno.chmod(key, 0o600);
  const edit = async (file: string, edits: readonly [RegExp, string][]) => {
    const path = join(tree, file);
    let text = await Deno.readTextFile(path);
    for (const [from, to] of edits) {
      assert.match(text, from);
      text = text.replace(from, to);
    }
    await Deno.writeTextFile(path, text);
  };
  await edit("ports.conf", [[/^(\s*)Listen 443$/m, `$1Listen 127.0.0.1:${port} https`]]);
  await edit("sites-available/default-ssl.conf", [
    [/<VirtualHost \*:443>/, `<VirtualHost *:${port}>`],
    [/^(\s*SSLCertificateFile\s+).*$/m, `$1${cert}`],
    [/^(\s*SSLCertificateKeyFile\s+).*$/m, `$1${key}`],
  ]);
}

/** The status of `GET path` over https on `port`, the certificate not checked. */
async function httpsStatus(port: number, path: string): Promise<string> {
  const out = await new Deno.Command("curl", {
    args: ["-sk", "-o", "/dev/null", "-w", "%{http_code}", `https://127.0.0.1:${port}${path}`],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test({
  name: "Debian's apache2 tree with mod_ssl and default-ssl enabled: mpmd serves https as Apache",
  ignore: !HAVE_APACHE,
  async fn() {
    const tlsPorts = { apache: freePort(), mpmd: freePort() };
    await using pair = await startDebianPair((dir, server) => enableSsl(dir, tlsPorts[server]));
    const { mpmd } = pair;
    await mpmd.waitForLog(new RegExp(`Listening on https://127\\.0\\.0\\.1:${tlsPorts.mpmd}/`));
    // mod_ssl's stock directives are read, with a word on what the TLS library does instead.
    assert.ok(mpmd.stderr.some((line) => /SSLSessionCache .*: each serving process/.test(line)));
    assert.ok(!mpmd.stderr.some((line) => /SSLRandomSeed/.test(line)), "read silently");
    await accepting(tlsPorts.apache, 20_000);
    for (const path of ["/", "/index.html", "/missing", "/icons/"]) {
      const [want, got] = [
        await httpsStatus(tlsPorts.apache, path),
        await httpsStatus(tlsPorts.mpmd, path),
      ];
      assert.equal(got, want, path);
    }
  },
});
