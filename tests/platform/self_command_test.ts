import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  buildSelfCommand,
  DENO_PERMISSIONS,
  type DenoPermission,
  readSelfFacts,
  replaceProcess,
  selfCommand,
  type SelfFacts,
} from "../../platform/mod.ts";

const BASE: SelfFacts = {
  execPath: "/usr/bin/deno",
  mainModule: "file:///srv/mpmd/main.ts",
  standalone: false,
  granted: new Set(DENO_PERMISSIONS),
  unstable: ["net"],
  denoConfig: null,
  denoLock: null,
};

const CASES: ReadonlyArray<{ name: string; facts: Partial<SelfFacts>; args: string[] }> = [
  {
    name: "deno run with every permission passes --allow-all and the unstable flags",
    facts: {},
    args: ["run", "--no-prompt", "--allow-all", "--unstable-net", "/srv/mpmd/main.ts", "--child"],
  },
  {
    name: "deno run passes only the permissions the parent holds",
    facts: { granted: new Set<DenoPermission>(["read", "net"]), unstable: [] },
    args: ["run", "--no-prompt", "--allow-read", "--allow-net", "/srv/mpmd/main.ts", "--child"],
  },
  {
    name: "deno run with no permission and no unstable feature passes neither",
    facts: { granted: new Set<DenoPermission>(), unstable: [] },
    args: ["run", "--no-prompt", "/srv/mpmd/main.ts", "--child"],
  },
  {
    name: "deno run passes every unstable feature in effect",
    facts: { unstable: ["net", "kv"] },
    args: [
      "run",
      "--no-prompt",
      "--allow-all",
      "--unstable-net",
      "--unstable-kv",
      "/srv/mpmd/main.ts",
      "--child",
    ],
  },
  {
    name: "deno run passes a remote main module as its URL",
    facts: { mainModule: "https://example.com/mpmd/main.ts", unstable: [] },
    args: ["run", "--no-prompt", "--allow-all", "https://example.com/mpmd/main.ts", "--child"],
  },
  {
    name: "deno run turns a percent-encoded file URL into its path",
    facts: { mainModule: "file:///srv/my%20mpmd/main.ts", unstable: [] },
    args: ["run", "--no-prompt", "--allow-all", "/srv/my mpmd/main.ts", "--child"],
  },
  {
    name: "deno run passes on an app's own deno.json, without its lock file",
    facts: { denoConfig: "/srv/app/deno.json" },
    args: [
      "run",
      "--no-prompt",
      "--allow-all",
      "--unstable-net",
      "--config",
      "/srv/app/deno.json",
      "--no-lock",
      "/srv/mpmd/main.ts",
      "--child",
    ],
  },
  {
    name: "deno run passes on an app's own deno.json with the private copy of its lock file",
    facts: { denoConfig: "/srv/app/deno.json", denoLock: "/tmp/mpmd-locks/1.lock", unstable: [] },
    args: [
      "run",
      "--no-prompt",
      "--allow-all",
      "--config",
      "/srv/app/deno.json",
      "--lock=/tmp/mpmd-locks/1.lock",
      "/srv/mpmd/main.ts",
      "--child",
    ],
  },
  {
    name: "a compiled binary runs itself with only the extra arguments",
    facts: { execPath: "/usr/local/bin/mpmd", standalone: true, mainModule: "file:///x/main.ts" },
    args: ["--child"],
  },
];

Deno.test("buildSelfCommand()", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const command = buildSelfCommand({ ...BASE, ...c.facts }, ["--child"]);
      assert.equal(command.command, c.facts.execPath ?? BASE.execPath);
      assert.deepEqual(command.args, c.args);
    });
  }
});

Deno.test("readSelfFacts() reports this deno run process", () => {
  const facts = readSelfFacts();
  assert.equal(facts.execPath, Deno.execPath());
  assert.equal(facts.mainModule, Deno.mainModule);
  assert.equal(facts.standalone, false);
  // The test task runs with --allow-all.
  assert.deepEqual([...facts.granted].sort(), [...DENO_PERMISSIONS].sort());
  assert.deepEqual(facts.unstable, "listenDatagram" in Deno ? ["net"] : []);
});

Deno.test("selfCommand() appends the extra arguments after the main module", () => {
  const { command, args } = selfCommand(["--child", "7"]);
  assert.equal(command, Deno.execPath());
  assert.deepEqual(args.slice(-3), [fileURLToPath(Deno.mainModule), "--child", "7"]);
});

Deno.test("replaceProcess() returns why when the program cannot run, and this one goes on", () => {
  const error = replaceProcess({ command: "/nonexistent/deno", args: ["run"] }, {});
  assert.ok(error instanceof Error);
  assert.match(error.message, /^execve \/nonexistent\/deno: No such file or directory/);
});
