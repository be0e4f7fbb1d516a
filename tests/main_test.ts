import assert from "node:assert/strict";
import { eventually } from "./_deadline.ts";
import { runMpmd, startMpmd, tempConfig } from "./_server.ts";
import { LOG_LEVELS } from "../server/log/mod.ts";

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
      args: ["-C", "MPM event"],
      mpm: "event",
      threaded: "yes (fixed thread count)",
      forked: "yes (variable process count)",
      by: "MPM directive",
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
    await using config = await tempConfig(`Listen: [127.0.0.1:0]\nDocumentRoot: ${SITE}\n`);
    const file = config.path;
    const { code, stderr } = await runMpmd(["-t", "-f", file]);
    assert.equal(code, 0);
    assert.equal(stderr, "Syntax OK\n");
  });
  await t.step("prints every error with file and line, exit 1", async () => {
    await using config = await tempConfig(
      `Listen: [127.0.0.1:0]\nDocumentRoot: ${SITE}\nKeepalive: On\nTimeout: soon\n`,
    );
    const file = config.path;
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
  await t.step("prints the active MPM's clamping warnings before Syntax OK", async () => {
    await using config = await tempConfig(
      `Listen: [127.0.0.1:0]\nDocumentRoot: ${SITE}\nevent:\n  MaxRequestWorkers: 410\nprefork:\n  MaxRequestWorkers: 1000\n`,
    );
    const file = config.path;
    const { code, stderr } = await runMpmd(["-t", "--mpm", "event", "-f", file]);
    assert.equal(code, 0);
    assert.equal(
      stderr,
      `${file}:4: MaxRequestWorkers of 410 is not an integer multiple of ThreadsPerChild of 25, decreasing to nearest multiple 400, for a maximum of 16 servers\nSyntax OK\n`,
    );
  });
  await t.step("says when the value it changes is a default the file never wrote", async () => {
    await using config = await tempConfig(
      `Listen: [127.0.0.1:0]\nDocumentRoot: ${SITE}\nMPM: event\nevent:\n  MaxRequestWorkers: 25\n`,
    );
    const { code, stderr } = await runMpmd(["-t", "-f", config.path]);
    assert.equal(code, 0);
    assert.equal(
      stderr,
      `${config.path}: StartServers of 3 exceeds the number of servers MaxRequestWorkers allows (1), decreasing to 1 (StartServers is not set: that is its default)\nSyntax OK\n`,
    );
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
      assert.match(stderr, /^mpmd: .+\nRun mpmd -h for the options\.\n$/);
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

/** A directory holding `files` (name → source), removed when disposed. */
async function tempModules(
  files: Record<string, string>,
): Promise<{ readonly dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir();
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

const ECHO_PATH =
  `export default { fetch: (r: Request) => new Response("app " + new URL(r.url).pathname) };\n`;

Deno.test("mpmd APP.ts and mpmd --app APP.ts serve the module on / with the embedded default", async (t) => {
  await using modules = await tempModules({ "app.ts": ECHO_PATH });
  for (const args of [[`${modules.dir}/app.ts`], ["--app", `${modules.dir}/app.ts`]]) {
    await t.step(args.join(" "), async () => {
      await using server = await startMpmd(null, [...args, "-c", "Listen 127.0.0.1:0"]);
      // Every path, the static site's included: the app takes /.
      for (const path of ["/", "/hello.txt", "/a/b"]) {
        const response = await fetch(`${server.origin}${path}`);
        assert.equal(await response.text(), `app ${path}`);
      }
    });
  }
});

Deno.test("mpmd APP.ts --watch restarts gracefully when the module changes", async () => {
  await using modules = await tempModules({ "app.ts": ECHO_PATH });
  await using server = await startMpmd(null, [
    `${modules.dir}/app.ts`,
    "--watch",
    "-c",
    "Listen 127.0.0.1:0",
  ]);
  assert.equal(await (await fetch(`${server.origin}/x`)).text(), "app /x");
  await Deno.writeTextFile(
    `${modules.dir}/app.ts`,
    ECHO_PATH.replace('"app "', '"changed "'),
  );
  await server.waitForLog(/app\.ts changed \(--watch\): restarting gracefully/);
  // The old generation answers what reaches it while it drains.
  await eventually(
    async () => {
      const response = await fetch(`${server.origin}/x`, { headers: { connection: "close" } });
      return await response.text() === "changed /x";
    },
    "the changed module's answer",
    15_000,
  );
});

Deno.test("--watch ends on the newest code when changes come faster than the old generations finish", async () => {
  // One scoreboard region per generation, two in all: while a slow request keeps the first
  // generation finishing, a second restart has no region and must wait for it.
  const VERSIONED = (v: string) =>
    `export default { fetch: async (r: Request) => { if (new URL(r.url).pathname === "/slow") await new Promise((ok) => setTimeout(ok, 3000)); return new Response("${v}"); } };\n`;
  await using modules = await tempModules({ "app.ts": VERSIONED("v1") });
  await using server = await startMpmd(
    `Listen: 127.0.0.1:0\nMPM: event\nDocumentRoot: ${SITE}\nApp: / ${modules.dir}/app.ts\n` +
      "event:\n  ServerLimit: 2\n  StartServers: 1\n  ThreadsPerChild: 1\n  MaxRequestWorkers: 2\n" +
      "  MinSpareThreads: 1\n  MaxSpareThreads: 2\n",
    ["--watch"],
  );
  const text = async (path: string) =>
    await (await fetch(`${server.origin}${path}`, { headers: { connection: "close" } })).text();
  assert.equal(await text("/"), "v1");
  const slow = text("/slow");
  await Deno.writeTextFile(`${modules.dir}/app.ts`, VERSIONED("v2"));
  await server.waitForLog(/generation 2 serving/);
  await Deno.writeTextFile(`${modules.dir}/app.ts`, VERSIONED("v3"));
  await server.waitForLog(/restart waits for 1 scoreboard region/);
  await Deno.writeTextFile(`${modules.dir}/app.ts`, VERSIONED("v4"));
  assert.equal(await slow, "v1");
  await eventually(async () => await text("/") === "v4", "the newest code", 15_000);
  assert.deepEqual(server.stderr.filter((line) => /Cannot restart/.test(line)), []);
});

Deno.test("mpmd APP.ts and -t refuse a module that cannot load, naming the file and cause, exit 1", async (t) => {
  await using modules = await tempModules({
    "syntax.ts": "export default { fetch( };\n",
    "no_fetch.ts": "export default { handler() {} };\n",
    "throws.ts": 'throw new Error("no database");\n',
  });
  const CASES = [
    // Looked at before the configuration is read: the command line names it.
    {
      file: "missing.ts",
      cause: /^command line: Cannot serve .+missing\.ts: no such file or directory$/m,
    },
    // One line: the first of Deno's message, and the place once (not the code frame).
    {
      file: "syntax.ts",
      cause: /: SyntaxError: Unexpected token .* \(at \S+syntax\.ts:1:\d+\)$/m,
    },
    { file: "no_fetch.ts", cause: /its default export has no fetch function/ },
    { file: "throws.ts", cause: /no database/ },
  ];
  for (const c of CASES) {
    await t.step(c.file, async () => {
      const path = `${modules.dir}/${c.file}`;
      // -t loads the module as a slot would: what fails the start fails the check.
      for (const args of [[path, "-c", "Listen 127.0.0.1:0"], ["-t", path]]) {
        const { code, stderr } = await runMpmd(args);
        assert.equal(code, 1, stderr);
        if (c.file !== "missing.ts") {
          assert.match(stderr, new RegExp(`Cannot load app module ${path}: `));
        }
        assert.match(stderr, c.cause);
        assert.doesNotMatch(stderr, /Syntax OK|embedded default|\\n/);
        assert.ok(!stderr.includes("\x1b"), "no terminal colours");
      }
    });
  }
  await t.step("-t -f names the App line", async () => {
    const config = `${modules.dir}/mpmd.yaml`;
    await Deno.writeTextFile(
      config,
      `Listen: [127.0.0.1:0]\nDocumentRoot: ${SITE}\nApp:\n  - { Location: /api, Module: syntax.ts }\n`,
    );
    const { code, stderr } = await runMpmd(["-t", "-f", config]);
    assert.equal(code, 1, stderr);
    assert.match(
      stderr,
      new RegExp(`^${config}:3: Cannot load app module ${modules.dir}/syntax.ts: SyntaxError`, "m"),
    );
  });
});

Deno.test("mpmd refuses two app modules, one with -f, or --watch with -X, as a usage error", async (t) => {
  const CASES = [
    ["a.ts", "b.ts"],
    ["--app", "a.ts", "b.ts"],
    ["-f", "x.yaml", "a.ts"],
    ["a.ts", "--watch", "-X"],
  ];
  for (const args of CASES) {
    await t.step(args.join(" "), async () => {
      const { code, stderr } = await runMpmd(args);
      assert.equal(code, 2);
      assert.match(
        stderr,
        /^mpmd: Cannot (serve|use --watch) .+\nRun mpmd -h for the options\.\n$/,
      );
    });
  }
});

Deno.test("mpmd names the Listen line when its address is in use, exit 1", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  await using config = await tempConfig(
    `DocumentRoot: ${SITE}\nListen:\n  - 127.0.0.1:0\n  - 127.0.0.1:${taken.addr.port}\n`,
  );
  const file = config.path;
  const { code, stderr } = await runMpmd(["-f", file]);
  assert.equal(code, 1);
  assert.equal(
    stderr.trim(),
    `${file}:4: (98)Address already in use: make_sock: could not bind to address 127.0.0.1:${taken.addr.port}\n` +
      "no listening sockets available, shutting down",
  );
});

Deno.test("mpmd applies LogLevel to an ErrorLog on stderr", async () => {
  await using server = await startMpmd(
    `Listen: [127.0.0.1:0]\nDocumentRoot: ${SITE}\nLogLevel: debug\n`,
  );
  const missing = await fetch(`${server.origin}/no-such-file`);
  await missing.body?.cancel();
  assert.equal(missing.status, 404);
  await server.waitForLog(/\[http:debug\] .*GET \/no-such-file answered 404/, 5_000);
});

Deno.test("mpmd writes every error-log line as JSON with ErrorLogFormat json", async () => {
  await using modules = await tempModules({
    "boom.ts": `export default { fetch() { throw new Error("boom\\n[forged]"); } };\n`,
  });
  await using server = await startMpmd(
    `Listen: [127.0.0.1:0]\nDocumentRoot: ${SITE}\nLogLevel: debug\nErrorLogFormat: json\n` +
      `App: {Location: /boom, Module: ${modules.dir}/boom.ts}\n`,
  );
  for (const [path, status] of [["/no-such-file", 404], ["/boom", 500]] as const) {
    const response = await fetch(`${server.origin}${path}`);
    await response.body?.cancel();
    assert.equal(response.status, status);
  }
  await server.waitForLog(/Cannot handle GET \/boom from 127\.0\.0\.1/, 5_000);
  assert.equal(await server.stop("SIGTERM"), 0, server.stderr.join("\n"));

  const entries = server.stderr.filter((line) => line !== "").map((line) => {
    const entry = JSON.parse(line);
    assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, line);
    assert.ok(LOG_LEVELS.includes(entry.level), line);
    assert.equal(typeof entry.module, "string", line);
    assert.ok(Number.isInteger(entry.pid) && Number.isInteger(entry.tid), line);
    assert.equal(typeof entry.message, "string", line);
    return entry;
  });
  const find = (message: RegExp) => entries.find((entry) => message.test(entry.message));
  // The parent's notices, from its main thread.
  for (const notice of [/configured -- resuming normal operations$/, /^caught SIGTERM/]) {
    assert.deepEqual(
      pick(find(notice), ["level", "module", "pid", "tid"]),
      { level: "notice", module: "mpm_event", pid: server.pid, tid: 0 },
      notice.source,
    );
  }
  // A child's Worker thread: its own pid and thread number, the cause's stack as one string.
  const crash = find(/^Cannot handle GET \/boom from 127\.0\.0\.1/);
  assert.equal(crash?.level, "error");
  assert.notEqual(crash?.pid, server.pid);
  assert.ok(crash?.tid > 0);
  assert.match(crash?.cause, /^Error: boom\n\[forged\]\n {4}at /);
  assert.equal(find(/^GET \/no-such-file answered 404/)?.level, "debug");
});

/** The `keys` of `entry`, for comparing part of an object. */
function pick(entry: Record<string, unknown> | undefined, keys: readonly string[]) {
  return Object.fromEntries(keys.map((key) => [key, entry?.[key]]));
}

Deno.test("mpmd writes config warnings at startup whatever LogLevel", async () => {
  await using server = await startMpmd(
    `Listen: [127.0.0.1:0]\nDocumentRoot: ${SITE}\nLogLevel: crit\n`,
    ["--mpm", "prefork", "-c", "ThreadsPerChild 5"],
  );
  assert.ok(
    server.stderr.some((line) =>
      /\[core:warn\] .*-c argument: Ignoring ThreadsPerChild: it is a directive of /.test(line)
    ),
    server.stderr.join("\n"),
  );
});

Deno.test("mpmd names a log file it cannot open, exit 1", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_logs_" });
  try {
    const missing = `${dir}/missing`;
    for (
      const c of [
        { directive: "ErrorLog", line: `ErrorLog: ${missing}/error.log`, path: "error.log" },
        {
          directive: "CustomLog",
          line: `CustomLog: ${missing}/access.log common`,
          path: "access.log",
        },
      ]
    ) {
      await t.step(c.directive, async () => {
        const file = `${dir}/${c.directive}.yaml`;
        await Deno.writeTextFile(
          file,
          `Listen: [127.0.0.1:0]\nDocumentRoot: ${SITE}\n${c.line}\n`,
        );
        // Serving and -t alike: the check is the config's, before anything starts.
        for (const args of [["-f", file], ["-t", "-f", file]]) {
          const { code, stderr } = await runMpmd(args);
          assert.equal(code, 1, stderr);
          assert.equal(
            stderr.replace(/^\[.*\n/gm, ""),
            `${file}:3: Cannot open log file ${missing}/${c.path}: no such directory ${missing}\n`,
          );
        }
        // As httpd, what only reads the configuration does not open the logs.
        for (const args of [["-S", "-f", file], ["-M", "-f", file], ["--convert", file]]) {
          const { code, stderr } = await runMpmd(args);
          assert.equal(code, 0, `${args.join(" ")}: ${stderr}`);
        }
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mpmd stops at once on SIGTERM during a graceful stop, flushing its logs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_stop_" });
  try {
    // Far more than the socket buffers hold: the response stays in flight while unread.
    await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(64 * 1024 * 1024));
    await Deno.writeTextFile(`${dir}/small.txt`, "small\n");
    await using server = await startMpmd(
      `Listen: [127.0.0.1:0]\nDocumentRoot: ${dir}\nCustomLog: ${dir}/access.log "%U %>s"\n`,
    );
    // Its access-log line waits in the sink's buffer (flushed once a second).
    assert.equal(await (await fetch(`${server.origin}/small.txt`)).text(), "small\n");
    using conn = await Deno.connect({ hostname: server.hostname, port: server.port });
    await conn.write(new TextEncoder().encode("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"));
    assert.ok((await conn.read(new Uint8Array(16))) !== null, "the response started");

    Deno.kill(server.pid, "SIGWINCH");
    await server.waitForLog(/caught SIGWINCH, shutting down gracefully/, 5_000);
    assert.equal(await server.stop("SIGTERM"), 0, server.stderr.join("\n"));
    assert.ok(server.stderr.some((line) => /\[mpm_event:notice\] .*caught SIGTERM/.test(line)));
    assert.match(await Deno.readTextFile(`${dir}/access.log`), /^\/small\.txt 200\n/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
