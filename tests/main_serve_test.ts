import assert from "node:assert/strict";
import { runMpmd, startMpmd, tempConfig } from "./_server.ts";

const SITE = new URL("../examples/site", import.meta.url).pathname;
const REPO = new URL("..", import.meta.url).pathname;

/** A directory with a file and a sub-directory without an index, removed when disposed. */
async function tempSite(): Promise<{ readonly dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/note.txt`, "a note\n");
  await Deno.mkdir(`${dir}/docs`);
  await Deno.writeTextFile(`${dir}/docs/a.md`, "# a\n");
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("mpmd DIR --port 0 serves that directory with listings and prints its URL", async (t) => {
  await using site = await tempSite();
  const CASES = [
    { args: [site.dir, "--port", "0"], cwd: REPO, env: {} },
    // "." is where the user is: the working directory, or INIT_CWD where deno task (and npm)
    // set it, since they run mpmd in its own folder.
    { args: ["-p", "0", "."], cwd: site.dir, env: { INIT_CWD: "" } },
    { args: ["-p", "0", "."], cwd: REPO, env: { INIT_CWD: site.dir } },
  ];
  for (const c of CASES) {
    await t.step(`${c.args.join(" ")} ${JSON.stringify(c.env)}`, async () => {
      await using server = await startMpmd(null, c.args, { cwd: c.cwd, env: c.env });
      const listening = await server.waitForLog(/Listening on /);
      assert.match(listening, new RegExp(`Listening on ${server.origin}/$`));
      assert.notEqual(server.port, 0);
      const file = await fetch(`${server.origin}/note.txt`);
      assert.equal(await file.text(), "a note\n");
      const listing = await fetch(`${server.origin}/docs/`);
      assert.equal(listing.status, 200);
      assert.match(await listing.text(), /href="a\.md"/);
    });
  }
});

Deno.test("--port and --host replace the Listen addresses of -f's file", async () => {
  await using config = await tempConfig(
    `Listen: [127.0.0.1:1, 127.0.0.1:2]\nDocumentRoot: ${SITE}\n`,
  );
  await using server = await startMpmd(null, ["-f", config.path, "--host", "localhost", "-p", "0"]);
  assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal((await fetch(`${server.origin}/hello.txt`)).status, 200);
  assert.equal(server.stderr.filter((line) => /Listening on /.test(line)).length, 1);
});

Deno.test("mpmd refuses a bad --port or --host, or a target that does not exist, in one line", async (t) => {
  const CASES = [
    {
      args: ["--port", "http"],
      code: 2,
      message: /^mpmd: Cannot use --port http: not a port number/,
    },
    { args: ["-p", "70000"], code: 2, message: /^mpmd: Cannot use --port 70000/ },
    {
      args: ["--host", "example.com"],
      code: 2,
      message: /^mpmd: Cannot use --host example\.com: not an IP address/,
    },
    {
      args: ["--prot", "8"],
      code: 2,
      message: /^mpmd: Cannot use --prot: unknown option \(did you mean --port\?\)\nRun mpmd -h/,
    },
    {
      args: ["/nonexistent/site"],
      code: 1,
      message: /^command line: Cannot serve \/nonexistent\/site: no such file or directory\n$/,
    },
  ];
  for (const c of CASES) {
    await t.step(c.args.join(" "), async () => {
      const { code, stderr } = await runMpmd(c.args);
      assert.equal(code, c.code, stderr);
      assert.match(stderr, c.message);
    });
  }
});

Deno.test("mpmd needs no import map: under --no-config, from another folder, it serves", async () => {
  // An app's own deno.json may be the process's: mpmd names its packages in full.
  await using site = await tempSite();
  await using server = await startMpmd(null, [".", "-p", "0"], {
    cwd: site.dir,
    env: { INIT_CWD: "" },
    runFlags: ["-A", "--no-config", "--unstable-net"],
  });
  const response = await fetch(`${server.origin}/note.txt`);
  // mime-db answered the media type; the YAML reader read the embedded configuration.
  assert.equal(response.headers.get("content-type"), "text/plain");
  assert.equal(await response.text(), "a note\n");
});

Deno.test("an app module with its own deno.json resolves its imports with it, as under deno serve", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    // A local import map entry: what `"hono": "npm:hono@4"` needs, without the registry.
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      '{ "imports": { "greeting": "./greeting.ts" } }\n',
    );
    await Deno.writeTextFile(`${dir}/greeting.ts`, 'export const greeting = "from its map";\n');
    await Deno.mkdir(`${dir}/api`);
    await Deno.writeTextFile(
      `${dir}/api/app.ts`,
      'import { greeting } from "greeting";\nexport default { fetch: () => new Response(greeting) };\n',
    );
    const app = `${dir}/api/app.ts`;
    await t.step("-t loads it", async () => {
      const { code, stderr } = await runMpmd(["-t", app]);
      assert.equal(code, 0, stderr);
      assert.equal(stderr, "Syntax OK\n");
    });
    for (const flags of [[], ["-X"]]) {
      await t.step(
        `served ${flags.length === 0 ? "by the default MPM's children" : "by -X"}`,
        async () => {
          await using server = await startMpmd(null, [app, "-p", "0", ...flags]);
          assert.equal(await (await fetch(`${server.origin}/`)).text(), "from its map");
        },
      );
    }
    // mpmd's own packages are not written into the app's lock file (none is made).
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "api",
      "deno.json",
      "greeting.ts",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a hono app with its own deno.json and deno.lock is served unchanged; its lock file is left as it was", async (t) => {
  // hono from the npm registry, as a user's app has it.
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, '{ "imports": { "hono": "npm:hono@4.13.23" } }\n');
    await Deno.writeTextFile(
      `${dir}/main.ts`,
      'import { Hono } from "hono";\nconst app = new Hono();\napp.get("/", (c) => c.text("hello from hono"));\nexport default app;\n',
    );
    const cached = await new Deno.Command(Deno.execPath(), {
      args: ["cache", "--config", `${dir}/deno.json`, `${dir}/main.ts`],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(cached.code, 0, new TextDecoder().decode(cached.stderr));
    const lock = await Deno.readTextFile(`${dir}/deno.lock`);
    await t.step("served by the default MPM", async () => {
      await using server = await startMpmd(null, [`${dir}/main.ts`, "-p", "0"]);
      assert.equal(await (await fetch(`${server.origin}/`)).text(), "hello from hono");
    });
    assert.equal(
      await Deno.readTextFile(`${dir}/deno.lock`),
      lock,
      "mpmd's packages are not added",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
