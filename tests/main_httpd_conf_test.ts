import assert from "node:assert/strict";
import { runMpmd } from "./_server.ts";
import { parseConfigText } from "../server/config/readers/mod.ts";

/** The stock httpd.conf shape (event MPM loaded), read through the real command line. */
const STOCK =
  new URL("./server/config/readers/httpd_conf/_fixtures/httpd/conf/httpd.conf", import.meta.url)
    .pathname;
const ROOT =
  new URL("./server/config/readers/httpd_conf/_fixtures/httpd", import.meta.url).pathname;

Deno.test("mpmd -t -f httpd.conf lists each warning once, then says Syntax OK", async () => {
  const { code, stdout, stderr } = await runMpmd(["-t", "-f", STOCK]);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, "");
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.at(-1), "Syntax OK");
  assert.equal(lines.filter((l) => l.includes("Ignoring MaxMemFree")).length, 1);
  assert.ok(
    lines.some((l) =>
      l.endsWith("conf/extra/httpd-mpm.conf:67: Ignoring MaxMemFree: mpmd does not implement it")
    ),
  );
});

Deno.test("mpmd -M lists the loaded modules as httpd does; -t -D DUMP_MODULES then checks", async (t) => {
  const MODULES = [
    "Loaded Modules:",
    " core_module (static)",
    " so_module (static)",
    " http_module (static)",
    " mime_module (static)",
    " log_config_module (static)",
    " reqtimeout_module (static)",
    " status_module (static)",
    " autoindex_module (static)",
    " dir_module (static)",
    " alias_module (static)",
    " authn_file_module (static)",
    " authn_core_module (static)",
    " authz_host_module (static)",
    " authz_user_module (static)",
    " authz_core_module (static)",
    " auth_basic_module (static)",
    " headers_module (static)",
    " filter_module (static)",
    " deflate_module (static)",
    " brotli_module (static)",
    " proxy_module (static)",
    " proxy_http_module (static)",
    " proxy_balancer_module (static)",
    " lbmethod_byrequests_module (static)",
    " lbmethod_bybusyness_module (static)",
    " lbmethod_bytraffic_module (static)",
    " proxy_hcheck_module (static)",
    " mpm_event_module (shared)",
  ].join("\n");
  for (const args of [["-M"], ["-t", "-D", "DUMP_MODULES"]]) {
    await t.step(args.join(" "), async () => {
      const { code, stdout, stderr } = await runMpmd([...args, "-f", STOCK]);
      assert.equal(code, 0, stderr);
      assert.equal(stdout, `${MODULES}\n`);
      assert.equal(stderr.trimEnd().endsWith("Syntax OK"), args[0] === "-t");
    });
  }
  await t.step("a LoadModule of mod_ssl lists ssl_module last, shared", async () => {
    const dir = await Deno.makeTempDir();
    try {
      // A copy of the stock tree, its httpd.conf loading mod_ssl (twice: listed once).
      const copy = await new Deno.Command("cp", { args: ["-r", `${ROOT}/.`, dir] }).output();
      assert.equal(copy.code, 0);
      const conf = `${dir}/conf/httpd.conf`;
      const load = "LoadModule ssl_module modules/mod_ssl.so\n";
      await Deno.writeTextFile(conf, `${load}${load}`, { append: true });
      const { code, stdout, stderr } = await runMpmd(["-M", "-f", conf]);
      assert.equal(code, 0, stderr);
      assert.equal(stdout, `${MODULES}\n ssl_module (shared)\n`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("mpmd -S shows the listeners and the effective settings", async () => {
  const { code, stdout, stderr } = await runMpmd(["-S", "-f", STOCK, "-D", "EXTRA"]);
  assert.equal(code, 0, stderr);
  assert.equal(
    stdout,
    [
      "VirtualHost configuration:",
      `0.0.0.0:8080           localhost (${STOCK}:17)`,
      `ServerRoot: "${ROOT}"`,
      `Main DocumentRoot: "${ROOT}/htdocs"`,
      `Main ErrorLog: "${ROOT}/logs/error_log"`,
      `PidFile: "${ROOT}/logs/httpd.pid"`,
      "Define: EXTRA",
      "Define: DUMP_VHOSTS",
      "Define: DUMP_RUN_CFG",
      "MPM: event (chosen by MPM directive)",
      "  StartServers: 3",
      "  MinSpareThreads: 75",
      "  MaxSpareThreads: 250",
      "  ThreadsPerChild: 25",
      "  ThreadLimit: 64",
      "  ServerLimit: 16",
      "  MaxRequestWorkers: 400",
      "  MaxConnectionsPerChild: 0",
      "  AsyncRequestWorkerFactor: 2",
      "  MaxRequestsPerThread: 0",
      "  MaxReadingPerThread: 256",
      "",
    ].join("\n"),
  );
});

Deno.test("mpmd --convert httpd.conf prints YAML that loads to the same configuration", async () => {
  const { code, stdout, stderr } = await runMpmd(["--convert", STOCK]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^# mpmd configuration converted from /);
  const converted = parseConfigText(stdout, {
    file: "/tmp/converted.yaml",
    platformDefaultMpm: "event",
  }).config;
  assert.equal(converted.mpm, "event");
  assert.equal(converted.serverRoot, ROOT);
  assert.equal(converted.mpmDirectives.MaxRequestWorkers, 400);
  assert.deepEqual(converted.hosts[0].status?.allow, ["127.0.0.0/8", "::1/128", "192.0.2.0/24"]);
});

Deno.test("mpmd -t refuses two MPMs with httpd's words and exit code 1", async () => {
  const file = await Deno.makeTempFile({ suffix: ".conf" });
  try {
    await Deno.writeTextFile(
      file,
      `Listen 8080\nLoadModule mpm_event_module m.so\nLoadModule mpm_prefork_module m.so\nDocumentRoot ${ROOT}/htdocs\n`,
    );
    const { code, stderr } = await runMpmd(["-t", "-f", file]);
    assert.equal(code, 1);
    assert.equal(
      stderr,
      `${file}:3: Cannot load mpm_prefork_module: More than one MPM loaded (mpm_event_module at ${file}:2)\n`,
    );
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("mpmd -t prints a refused httpd.conf's warnings before its errors", async () => {
  const file = await Deno.makeTempFile({ suffix: ".conf" });
  try {
    await Deno.writeTextFile(
      file,
      `Listen 8080\nContentDigest On\nKeepAlive Sometimes\nDocumentRoot ${ROOT}/htdocs\n`,
    );
    const { code, stderr } = await runMpmd(["-t", "-f", file]);
    assert.equal(code, 1);
    assert.equal(
      stderr,
      `${file}:2: Ignoring ContentDigest: mpmd does not implement it\n` +
        `${file}:3: Cannot set KeepAlive: "Sometimes" is not On or Off\n`,
    );
  } finally {
    await Deno.remove(file);
  }
});
