import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { stageSources } from "../../build/compile.ts";
import { runMpmd, startMpmd } from "../_server.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Runs a Deno subcommand in the repository, offline, and returns its output. */
async function deno(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdin: "null",
    env: { NO_COLOR: "1", ...env },
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/**
 * `deno compile`'s "Embedded Files" tree as paths relative to the build folder. A `dir/*`
 * line means the folder holds every entry the folder on disk holds (Deno prints it only then),
 * so it stands for all the files under it.
 */
function embeddedFiles(output: string): { files: Set<string>; wholeDirs: string[] } {
  const tree = output.split("Embedded Files\n\n")[1]?.split("\n\n")[0];
  assert.ok(tree !== undefined, output);
  const files = new Set<string>();
  const wholeDirs: string[] = [];
  const path: string[] = [];
  // Below the executable's own name: a tree prefix of two characters per level, then the name.
  for (const line of tree.split("\n").slice(1)) {
    const match = /^([│├└─┬ ]*)(.+?) \(.*\)$/.exec(line);
    if (match === null) continue;
    const [, prefix, name] = match as unknown as [string, string, string];
    const depth = (prefix.length - 4) / 2;
    path.length = depth;
    path.push(name);
    const full = path.join("/");
    if (full.endsWith("/*")) wholeDirs.push(full.slice(0, -2));
    else files.add(full);
  }
  return { files, wholeDirs };
}

/** One module of `deno info --json`: its imports, each with a `code` (run-time) resolution or not. */
interface InfoModule {
  readonly specifier: string;
  readonly dependencies?: readonly { readonly code?: { readonly specifier: string } }[];
}

/**
 * The local modules that run when `entry` (a path in the repository) does: its graph along
 * value imports only (`import type` leaves nothing to load), relative to the repository.
 */
async function runtimeModules(entry: string): Promise<string[]> {
  const { code, stdout, stderr } = await deno(["info", "--json", entry]);
  assert.equal(code, 0, stderr);
  const graph = JSON.parse(stdout) as { roots: string[]; modules: InfoModule[] };
  const bySpecifier = new Map(graph.modules.map((module) => [module.specifier, module]));
  const reached = new Set<string>();
  const pending = [...graph.roots];
  while (pending.length > 0) {
    const specifier = pending.pop()!;
    if (!specifier.startsWith("file:") || reached.has(specifier)) continue;
    reached.add(specifier);
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (dependency.code !== undefined) pending.push(dependency.code.specifier);
    }
  }
  return [...reached].map((specifier) => relative(ROOT, fileURLToPath(specifier)));
}

/** The `new Worker(new URL("…", import.meta.url))` targets in `modules`, found in their text. */
async function workerEntries(modules: readonly string[]): Promise<string[]> {
  const entries: string[] = [];
  for (const module of modules) {
    const text = await Deno.readTextFile(join(ROOT, module));
    for (
      const [, target] of text.matchAll(/new Worker\(\s*new URL\("([^"]+)", import\.meta\.url\)/g)
    ) {
      entries.push(relative(ROOT, fileURLToPath(new URL(target!, `file://${join(ROOT, module)}`))));
    }
  }
  return entries;
}

/** The npm package names the files pin with `"npm:name@version…"` specifiers. */
async function npmPackagesOf(files: readonly string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const file of files) {
    const text = await Deno.readTextFile(join(ROOT, file));
    for (const [, name] of text.matchAll(/"npm:((?:@[a-z0-9-~][\w.~-]*\/)?[a-z0-9-~][\w.~-]*)@/g)) {
      names.add(name!);
    }
  }
  return [...names];
}

/** Every TypeScript file under `dir` (a path in the repository). */
async function typeScriptFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await typeScriptFiles(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files;
}

Deno.test("deno task compile embeds every module that runs, the example site, and no test package", async () => {
  const out = await Deno.makeTempDir({ prefix: "mpmd_compile_" });
  try {
    // DENORT_BIN: the Deno CLI stands in for the runtime that cannot be downloaded here.
    const { code, stdout, stderr } = await deno(
      ["run", "-A", "build/compile.ts", "--output", join(out, "mpmd")],
      { DENORT_BIN: Deno.execPath() },
    );
    assert.equal(code, 0, stderr);
    const { files, wholeDirs } = embeddedFiles(stdout + stderr);
    const embedded = (file: string) =>
      files.has(file) || wholeDirs.some((dir) => file.startsWith(`${dir}/`));

    const fromMain = await runtimeModules("main.ts");
    const workers = await workerEntries(fromMain);
    assert.ok(workers.includes("mpm/machinery/thread.ts"), workers.join(", "));
    const fromWorkers = (await Promise.all(workers.map(runtimeModules))).flat();
    const site: string[] = [];
    for await (const entry of Deno.readDir(join(ROOT, "examples/site"))) {
      if (entry.isFile) site.push(`examples/site/${entry.name}`);
    }
    const needed = [...new Set([...fromMain, ...workers, ...fromWorkers, ...site])];
    assert.deepEqual(needed.filter((file) => !embedded(file)), []);

    const packages = [...wholeDirs, ...files]
      .filter((path) => path.startsWith(".deno_compile_node_modules/localhost/"))
      .map((path) => path.split("/")[2]);
    const runtime = await npmPackagesOf(["deno.json"]);
    assert.deepEqual(runtime.filter((name) => !packages.includes(name)), []);
    const testOnly = (await npmPackagesOf(await typeScriptFiles("tests")))
      .filter((name) => !runtime.includes(name));
    assert.ok(testOnly.includes("playwright-core"), testOnly.join(", "));
    assert.deepEqual(testOnly.filter((name) => packages.includes(name)), []);
    assert.ok(!embedded("tests/_server.ts"));

    // The binary's metadata keeps deno.json's unstable features (the shared listen socket
    // needs "net") and grants every permission (an empty allow list is "all").
    const binary = new TextDecoder("latin1").decode(await Deno.readFile(join(out, "mpmd")));
    const features = /"unstable_config":\{[^}]*"features":\[([^\]]*)\]/.exec(binary)?.[1];
    const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
    assert.deepEqual(JSON.parse(`[${features}]`), config.unstable);
    assert.match(binary, /"permissions":\{"allow_env":\[\],/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("a build made --with-mpm=worker --enable-mpms='prefork worker' runs worker and refuses event", async (t) => {
  const stage = stageSources({ mpms: ["prefork", "worker"], defaultMpm: "worker" });
  const main = join(stage, "main.ts");
  try {
    await t.step("-l and -V say what was built in", async () => {
      const list = await runMpmd(["-l"], {}, main);
      assert.equal(list.code, 0, list.stderr);
      const mpms = list.stdout.split("\n").map((line) => line.trim())
        .filter((name) => name.startsWith("mpm_"));
      assert.deepEqual(mpms, ["mpm_prefork", "mpm_worker"]);
      const version = await runMpmd(["-V"], {}, main);
      assert.equal(version.code, 0, version.stderr);
      assert.match(version.stdout, /Built-in MPMs:\s+prefork worker\n/);
      assert.match(version.stdout, /Server MPM:\s+worker\n/);
    });
    await t.step("the embedded default serves under worker", async () => {
      await using server = await startMpmd(null, ["-c", "Listen 127.0.0.1:0"], { main });
      const response = await fetch(`${server.origin}/`);
      assert.equal(response.status, 200);
      await response.body?.cancel();
      assert.ok(
        server.stderr.some((line) => /\[mpm_worker:notice\]/.test(line)),
        server.stderr.join("\n"),
      );
    });
    await t.step("asking for event is a clear error", async () => {
      const refused = await runMpmd(["--mpm", "event", "-t"], {}, main);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /Cannot run the event MPM \(--mpm\): this mpmd was built with prefork, worker only \(mpmd -l lists them\)/,
      );
    });
  } finally {
    Deno.removeSync(stage, { recursive: true });
  }
});
