import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigErrors } from "../../../../server/config/mod.ts";
import { loadConfig, type LoadConfigOptions } from "../../../../server/config/readers/mod.ts";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_config_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function messagesOf(options: LoadConfigOptions): Promise<string[]> {
  try {
    await loadConfig(options);
  } catch (e) {
    assert.ok(e instanceof ConfigErrors, `expected ConfigErrors, got ${e}`);
    return e.errors.map((error) => error.message);
  }
  assert.fail("expected the config to be refused");
}

const BASE = { platformDefaultMpm: "event", installDir: "/nonexistent" } as const;

Deno.test("loadConfig() loads the embedded default, serving <installDir>/examples/site", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "examples", "site"), { recursive: true });
    const { config, warnings } = await loadConfig({ ...BASE, file: null, installDir: dir });
    assert.deepEqual(warnings, []);
    assert.equal(config.file, null);
    // Relative paths on the command line are the user's: ServerRoot is the working directory.
    assert.equal(config.serverRoot, Deno.cwd());
    assert.equal(config.hosts[0].documentRoot, join(dir, "examples", "site"));
    assert.deepEqual(config.listen, [{
      hostname: "127.0.0.1",
      port: 8080,
      protocol: "http",
      origin: "embedded default:2",
    }]);
    assert.equal(config.logLevel, "warn");
    assert.deepEqual(config.hosts[0].customLogs, []);
    assert.equal(config.mpm, "event");
  });
});

Deno.test("loadConfig() applies -D, -C, -c and --mpm to the embedded default", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "examples", "site"), { recursive: true });
    const { config } = await loadConfig({
      ...BASE,
      file: null,
      installDir: dir,
      defines: ["X"],
      directivesBefore: ["LogLevel info"],
      directivesAfter: ["Listen 127.0.0.1:0"],
      mpmOverride: "prefork",
    });
    assert.deepEqual(config.defines, ["X"]);
    assert.equal(config.logLevel, "warn"); // the embedded file's LogLevel beats -C
    assert.deepEqual(config.listen.map((l) => [l.hostname, l.port]), [["127.0.0.1", 0]]);
    assert.equal(config.mpm, "prefork");
  });
});

Deno.test("loadConfig() reads a file, resolving paths against its directory", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "www"));
    await Deno.mkdir(join(dir, "logs"));
    const file = join(dir, "mpmd.yaml");
    await Deno.writeTextFile(
      file,
      "Listen: 8080\nDocumentRoot: www\nCustomLog: logs/access.log common\n",
    );
    const { config } = await loadConfig({ ...BASE, file });
    assert.equal(config.file, file);
    assert.equal(config.serverRoot, dir);
    assert.equal(config.hosts[0].documentRoot, join(dir, "www"));
    assert.equal(config.hosts[0].customLogs[0]?.path, join(dir, "logs", "access.log"));
  });
});

Deno.test("loadConfig() expands ${NAME} from the process environment", async (t) => {
  // loadConfig() is the edge that reads Deno.env: a name no other test uses, removed after.
  const NAME = "MPMD_LOAD_CONFIG_TEST_PORT";
  Deno.env.set(NAME, "9004");
  try {
    await withTempDir(async (dir) => {
      await Deno.mkdir(join(dir, "examples", "site"), { recursive: true });
      await t.step("in a config file", async () => {
        const file = join(dir, "mpmd.yaml");
        await Deno.writeTextFile(file, `Listen: 127.0.0.1:\${${NAME}}\nDocumentRoot: .\n`);
        const { config } = await loadConfig({ ...BASE, file });
        assert.deepEqual(config.listen.map((l) => l.port), [9004]);
      });
      await t.step("in -c with the embedded default", async () => {
        const { config } = await loadConfig({
          ...BASE,
          file: null,
          installDir: dir,
          directivesAfter: [`Listen 127.0.0.1:\${${NAME}}`],
        });
        assert.deepEqual(config.listen.map((l) => l.port), [9004]);
      });
      await t.step("a name no environment can hold has no value", async () => {
        const { config } = await loadConfig({
          ...BASE,
          file: null,
          installDir: dir,
          directivesAfter: ["ServerName ${A=B:-a.example}"],
        });
        assert.equal(config.hosts[0].serverName, "a.example");
      });
    });
  } finally {
    Deno.env.delete(NAME);
  }
});

Deno.test("loadConfig() names the path of a config file it cannot read", async (t) => {
  await withTempDir(async (dir) => {
    await t.step("missing", async () => {
      const file = join(dir, "missing.yaml");
      assert.deepEqual(await messagesOf({ ...BASE, file }), [
        `${file}: Cannot read the config file: no such file`,
      ]);
    });
    await t.step("a directory", async () => {
      assert.deepEqual(await messagesOf({ ...BASE, file: dir }), [
        `${dir}: Cannot read the config file: it is a directory`,
      ]);
    });
  });
});

Deno.test("loadConfig() refuses a DocumentRoot that is not a directory", async (t) => {
  await withTempDir(async (dir) => {
    const file = join(dir, "mpmd.yaml");
    await Deno.writeTextFile(join(dir, "plain.txt"), "x");
    const cases = [
      {
        yaml: "DocumentRoot: nope",
        error: `${file}:2: Cannot use DocumentRoot ${join(dir, "nope")}: no such directory`,
      },
      {
        yaml: "DocumentRoot: plain.txt",
        error: `${file}:2: Cannot use DocumentRoot ${join(dir, "plain.txt")}: not a directory`,
      },
      {
        yaml: "LogLevel: info",
        error: `${file}: Cannot use DocumentRoot ${
          join(dir, "htdocs")
        }: no such directory (the default; set DocumentRoot)`,
      },
    ];
    for (const c of cases) {
      await t.step(c.yaml, async () => {
        await Deno.writeTextFile(file, `Listen: 8080\n${c.yaml}\nKeepAlive: maybe\n`);
        assert.deepEqual(await messagesOf({ ...BASE, file }), [
          `${file}:3: Cannot set KeepAlive: "maybe" is not On or Off`,
          c.error,
        ]);
      });
    }
  });
});

Deno.test("loadConfig() refuses logs and a PidFile it cannot write, at their lines, creating nothing", async (t) => {
  await withTempDir(async (dir) => {
    const file = join(dir, "mpmd.yaml");
    await Deno.mkdir(join(dir, "www"));
    await Deno.mkdir(join(dir, "logs"));
    await Deno.writeTextFile(join(dir, "logs", "old.log"), "kept\n");
    const cases = [
      {
        yaml: "ErrorLog: nodir/error.log",
        error: `${file}:3: Cannot open log file ${
          join(dir, "nodir", "error.log")
        }: no such directory ${join(dir, "nodir")}`,
      },
      {
        yaml: "CustomLog: www common",
        error: `${file}:3: Cannot open log file ${join(dir, "www")}: it is a directory`,
      },
      {
        yaml: 'VirtualHost:\n  - Address: "*"\n    ErrorLog: www',
        error: `${file}:5: Cannot open log file ${join(dir, "www")}: it is a directory`,
      },
      {
        yaml: "PidFile: run/mpmd.pid",
        error: `${file}:3: Cannot write PidFile ${
          join(dir, "run", "mpmd.pid")
        }: no such directory ${join(dir, "run")}`,
      },
    ];
    for (const c of cases) {
      await t.step(c.yaml, async () => {
        await Deno.writeTextFile(file, `Listen: 8080\nDocumentRoot: www\n${c.yaml}\n`);
        assert.deepEqual(await messagesOf({ ...BASE, file }), [c.error]);
      });
    }
    await t.step("writable ones pass, and the check leaves no file behind", async () => {
      await Deno.writeTextFile(
        file,
        "Listen: 8080\nDocumentRoot: www\nErrorLog: logs/old.log\nCustomLog: logs/new.log common\n" +
          "PidFile: logs/mpmd.pid\n",
      );
      await loadConfig({ ...BASE, file });
      assert.deepEqual([...Deno.readDirSync(join(dir, "logs"))].map((e) => e.name), ["old.log"]);
      assert.equal(await Deno.readTextFile(join(dir, "logs", "old.log")), "kept\n");
    });
  });
});

Deno.test("loadConfig() reports a missing examples/site for the embedded default", async () => {
  await withTempDir(async (dir) => {
    assert.deepEqual(await messagesOf({ ...BASE, file: null, installDir: dir }), [
      `embedded default:3: Cannot use DocumentRoot ${
        join(dir, "examples", "site")
      }: no such directory`,
    ]);
  });
});

Deno.test("loadConfig() refuses an App module that is not a file, at the App line", async (t) => {
  await withTempDir(async (dir) => {
    const file = join(dir, "mpmd.yaml");
    await Deno.mkdir(join(dir, "htdocs"));
    await Deno.mkdir(join(dir, "apps"));
    await Deno.writeTextFile(join(dir, "apps", "api.ts"), "export default {};\n");
    const cases = [
      {
        yaml: "App: {Location: /api, Module: ./apps/missing.ts}",
        errors: [
          `${file}:2: Cannot load app module ${join(dir, "apps", "missing.ts")}: no such file`,
        ],
      },
      {
        yaml: "App:\n  - {Location: /a, Module: apps}\n  - {Location: /b, Module: apps/api.ts}",
        errors: [`${file}:2: Cannot load app module ${join(dir, "apps")}: not a file`],
      },
      {
        yaml: "App: {Location: /api, Module: apps/api.ts/x.ts}",
        errors: [
          `${file}:2: Cannot load app module ${join(dir, "apps", "api.ts", "x.ts")}: no such file`,
        ],
      },
      // A refused value is reported once, without a file check on top.
      {
        yaml: "App: {Location: api, Module: nope.ts}",
        errors: [`${file}:2: Cannot set App: Location "api" does not start with /`],
      },
    ];
    for (const c of cases) {
      await t.step(c.yaml.replaceAll("\n", " "), async () => {
        await Deno.writeTextFile(file, `Listen: 8080\n${c.yaml}\n`);
        assert.deepEqual(await messagesOf({ ...BASE, file }), c.errors);
      });
    }
    await t.step("an existing module is accepted", async () => {
      await Deno.writeTextFile(file, "Listen: 8080\nApp: {Location: /api, Module: apps/api.ts}\n");
      const { config } = await loadConfig({ ...BASE, file });
      assert.deepEqual(config.hosts[0].apps, [
        { location: "/api", module: join(dir, "apps", "api.ts") },
      ]);
    });
  });
});

Deno.test("loadConfig() with serve.app mounts that module on / over the embedded default", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "examples", "site"), { recursive: true });
    const module = join(dir, "my app.ts");
    await Deno.writeTextFile(module, "export default { fetch: () => new Response('x') };\n");
    const serve = { app: module };
    const { config } = await loadConfig({ ...BASE, file: null, installDir: dir, serve });
    assert.deepEqual(config.hosts[0].apps, [{ location: "/", module }]);
    assert.equal(config.listen[0]?.port, 8080);
    await assert.rejects(loadConfig({ ...BASE, file: join(dir, "mpmd.yaml"), serve }), TypeError);
  });
});

Deno.test("loadConfig() with serve.directory serves it with listings over the embedded default", async () => {
  await withTempDir(async (dir) => {
    const { config } = await loadConfig({
      ...BASE,
      file: null,
      installDir: "/nonexistent",
      serve: { directory: dir },
    });
    assert.equal(config.hosts[0].documentRoot, dir);
    assert.equal(config.hosts[0].indexes, true);
    assert.deepEqual(config.hosts[0].apps, []);
  });
});

Deno.test("loadConfig() with listen replaces every Listen address by one, the first's by default", async (t) => {
  await withTempDir(async (dir) => {
    const file = join(dir, "mpmd.yaml");
    await Deno.writeTextFile(
      file,
      `Listen: [127.0.0.2:81, "[::1]:82"]\nDocumentRoot: ${JSON.stringify(dir)}\n`,
    );
    const CASES = [
      { listen: { port: 0 }, want: ["127.0.0.2", 0, "--port argument"] },
      { listen: { hostname: "::1" }, want: ["::1", 81, "--host argument"] },
      {
        listen: { port: 9, hostname: "0.0.0.0" },
        want: ["0.0.0.0", 9, "--port and --host argument"],
      },
    ] as const;
    for (const c of CASES) {
      await t.step(JSON.stringify(c.listen), async () => {
        const { config } = await loadConfig({ ...BASE, file, listen: c.listen });
        assert.deepEqual(
          config.listen.map((a) => [a.hostname, a.port, a.origin]),
          [c.want],
        );
      });
    }
  });
});

Deno.test("loadConfig() needs no default DocumentRoot when an App takes /", async (t) => {
  await withTempDir(async (dir) => {
    const module = join(dir, "app.ts");
    await Deno.writeTextFile(module, "export default { fetch: () => new Response('x') };\n");
    const CASES = [
      { name: "App on /, DocumentRoot unset: accepted", yaml: "App: / app.ts\n", refused: false },
      { name: "App on /api: the default is checked", yaml: "App: /api app.ts\n", refused: true },
      {
        name: "a DocumentRoot written is checked all the same",
        yaml: "App: / app.ts\nDocumentRoot: missing\n",
        refused: true,
      },
    ];
    for (const [i, c] of CASES.entries()) {
      await t.step(c.name, async () => {
        const file = join(dir, `mpmd_${i}.yaml`);
        await Deno.writeTextFile(file, `Listen: 127.0.0.1:8080\n${c.yaml}`);
        if (!c.refused) {
          assert.equal((await loadConfig({ ...BASE, file })).config.hosts[0].apps.length, 1);
        } else {
          assert.match((await messagesOf({ ...BASE, file })).join("\n"), /DocumentRoot/);
        }
      });
    }
  });
});
