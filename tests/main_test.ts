import assert from "node:assert/strict";
import { runMpmd, startMpmd } from "./_server.ts";

const SITE = new URL("../examples/site/", import.meta.url).pathname;

Deno.test("mpmd -v prints the version as httpd words it", async () => {
  const { code, stdout } = await runMpmd(["-v"]);
  assert.equal(code, 0);
  assert.match(
    stdout,
    /^Server version: mpmd\/\d+\.\d+\.\d+ \(Deno 2\.9\.6\)\nServer built: {3}Deno /,
  );
});

Deno.test("mpmd -V reports the MPM in httpd's words and why the default was chosen", async (t) => {
  const CASES = [
    {
      args: [],
      mpm: "event",
      threaded: "yes (fixed thread count)",
      forked: "yes (variable process count)",
      by: "platform default",
    },
    {
      args: ["--mpm", "prefork"],
      mpm: "prefork",
      threaded: "no",
      forked: "yes (variable process count)",
      by: "--mpm",
    },
    {
      args: ["-C", "MPM worker"],
      mpm: "worker",
      threaded: "yes (fixed thread count)",
      forked: "yes (variable process count)",
      by: "MPM directive",
    },
    {
      args: ["--mpm", "winnt"],
      mpm: "winnt",
      threaded: "yes (fixed thread count)",
      forked: "no",
      by: "--mpm",
    },
    {
      args: ["--mpm", "netware"],
      mpm: "netware",
      threaded: "yes (variable thread count)",
      forked: "no",
      by: "--mpm",
    },
    {
      args: ["--mpm", "mpmt_os2"],
      mpm: "mpmt_os2",
      threaded: "yes (variable thread count)",
      forked: "no",
      by: "--mpm",
    },
  ];
  for (const c of CASES) {
    await t.step(`${c.args.join(" ") || "(no options)"} → ${c.mpm}`, async () => {
      const { code, stdout } = await runMpmd(["-V", ...c.args]);
      assert.equal(code, 0, stdout);
      assert.match(stdout, new RegExp(`^Server MPM: {5}${c.mpm}$`, "m"));
      assert.match(
        stdout,
        new RegExp(`^  threaded: {5}${c.threaded.replace(/[()]/g, "\\$&")}$`, "m"),
      );
      assert.match(
        stdout,
        new RegExp(`^    forked: {5}${c.forked.replace(/[()]/g, "\\$&")}$`, "m"),
      );
      assert.match(stdout, new RegExp(`^  chosen by: {4}${c.by}$`, "m"));
      assert.match(
        stdout,
        /^Default MPM: {4}event \(threads and thread-safe polling are available\)$/m,
      );
      assert.match(stdout, /^ {2}thread-safe polling: {2}yes \(epoll\)$/m);
      assert.match(stdout, /^ {2}tcp_migrate_req: {6}[01] \(/m);
    });
  }
});

Deno.test("mpmd -l lists the compiled-in modules and all six MPMs", async () => {
  const { code, stdout } = await runMpmd(["-l"]);
  assert.equal(code, 0);
  const lines = stdout.trim().split("\n");
  assert.equal(lines[0], "Compiled in modules:");
  for (
    const name of [
      "core",
      "mod_static",
      "mpm_prefork",
      "mpm_worker",
      "mpm_event",
      "mpm_winnt",
      "mpm_netware",
      "mpm_mpmt_os2",
    ]
  ) {
    assert.ok(lines.includes(`  ${name}`), `${name} listed`);
  }
});

Deno.test("mpmd -t", async (t) => {
  await t.step("prints Syntax OK for a good file", async () => {
    const file = await Deno.makeTempFile({ suffix: ".yaml" });
    await Deno.writeTextFile(file, `Listen: [127.0.0.1:0]\nDocumentRoot: ${SITE}\n`);
    const { code, stderr } = await runMpmd(["-t", "-f", file]);
    assert.equal(code, 0);
    assert.equal(stderr, "Syntax OK\n");
  });
  await t.step("prints every error with file and line, exit 1", async () => {
    const file = await Deno.makeTempFile({ suffix: ".yaml" });
    await Deno.writeTextFile(
      file,
      `Listen: [127.0.0.1:0]\nDocumentRoot: ${SITE}\nKeepalive: On\nTimeout: soon\n`,
    );
    const { code, stderr } = await runMpmd(["-t", "-f", file]);
    assert.equal(code, 1);
    const lines = stderr.trim().split("\n");
    assert.equal(lines.length, 2, stderr);
    assert.match(
      lines[0]!,
      new RegExp(
        `^${file}:3: Cannot use Keepalive: unknown directive \\(did you mean KeepAlive\\?\\)$`,
      ),
    );
    assert.match(lines[1]!, new RegExp(`^${file}:4: Cannot set Timeout: `));
  });
  await t.step("names a missing file", async () => {
    const { code, stderr } = await runMpmd(["-t", "-f", "/nonexistent/mpmd.yaml"]);
    assert.equal(code, 1);
    assert.match(stderr, /\/nonexistent\/mpmd\.yaml: Cannot read the config file: no such file/);
  });
});

Deno.test("mpmd rejects unknown options with the usage, exit 2", async (t) => {
  for (const args of [["--bogus"], ["-Z"], ["--mpm", "threadpool"], ["-f"]]) {
    await t.step(args.join(" "), async () => {
      const { code, stderr } = await runMpmd(args);
      assert.equal(code, 2);
      assert.match(stderr, /^mpmd: .+\nUsage: mpmd /);
    });
  }
});

Deno.test("mpmd without -f serves the example site from the embedded default", async () => {
  await using server = await startMpmd(null, ["-c", "Listen 127.0.0.1:0"]);
  const index = await fetch(`${server.origin}/`);
  assert.equal(index.status, 200);
  assert.match(await index.text(), /It works!/);
  const dir = await fetch(`${server.origin}/docs`, { redirect: "manual" });
  await dir.body?.cancel();
  assert.equal(dir.status, 301);
  assert.equal(new URL(dir.headers.get("location")!, server.origin).pathname, "/docs/");
  assert.equal(await server.stop("SIGTERM"), 0);
  assert.ok(server.stderr.some((line) => /\[mpm_event:notice\].*caught SIGTERM/.test(line)));
});

Deno.test("mpmd names the Listen line when its address is in use, exit 1", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  await Deno.writeTextFile(
    file,
    `DocumentRoot: ${SITE}\nListen:\n  - 127.0.0.1:0\n  - 127.0.0.1:${taken.addr.port}\n`,
  );
  const { code, stderr } = await runMpmd(["-f", file]);
  assert.equal(code, 1);
  assert.equal(
    stderr.trim(),
    `${file}:4: Cannot listen on 127.0.0.1:${taken.addr.port}: address already in use`,
  );
});
