/**
 * `deno task compile [--with-mpm=NAME] [--enable-mpms="NAME …"] [--output FILE]`: the mpmd
 * binary. The sources are staged in a temporary copy whose `mpm/build_config.ts` says what
 * this build holds (the working tree is never touched), then `deno compile` embeds exactly
 * what runs: the module graph of `main.ts`, the Worker entry it cannot see, the example site
 * and the npm packages of the runtime import map (test-only ones live in `tests/`).
 *
 * @module
 */

import { cpSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BUILD_USAGE,
  buildConfigModule,
  type BuildOptions,
  BuildOptionsError,
  parseBuildArgs,
} from "./build_options.ts";
import { runtimeLockfile } from "./runtime_lockfile.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** What a running server loads from its own files: the sources and the example site. */
const STAGED = [
  "main.ts",
  "deno.json",
  "deno.lock",
  "base",
  "cli",
  "modules",
  "mpm",
  "platform",
  "scoreboard",
  "server",
  "slot",
  "examples/site",
];

/**
 * What `deno compile` cannot find from `main.ts` alone: `new Worker()` entries (the thread
 * of every threaded MPM) and the example site the embedded default serves.
 */
const INCLUDED = ["mpm/machinery/thread.ts", "examples/site"];

/**
 * Copies the sources into a new temporary folder, with the build's config module and a
 * lockfile of the runtime's packages only; `deno run main.ts` there runs what the binary
 * would (the caller removes the folder).
 *
 * @returns the folder.
 */
export function stageSources(build: Pick<BuildOptions, "mpms" | "defaultMpm">): string {
  const dir = Deno.makeTempDirSync({ prefix: "mpmd_build_" });
  for (const path of STAGED) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  }
  Deno.writeTextFileSync(join(dir, "mpm", "build_config.ts"), buildConfigModule(build));
  const lock = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.lock")));
  Deno.writeTextFileSync(
    join(dir, "deno.lock"),
    `${JSON.stringify(runtimeLockfile(lock), null, 2)}\n`,
  );
  return dir;
}

async function compile(build: BuildOptions): Promise<number> {
  const dir = stageSources(build);
  try {
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: [
        "compile",
        "--allow-all",
        ...INCLUDED.flatMap((path) => ["--include", path]),
        ...(build.target === null ? [] : ["--target", build.target]),
        "--output",
        resolve(build.output),
        "main.ts",
      ],
      cwd: dir,
      stdin: "null",
    }).spawn().status;
    return code;
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

if (import.meta.main) {
  let build: BuildOptions;
  try {
    build = parseBuildArgs(Deno.args);
  } catch (error) {
    if (!(error instanceof BuildOptionsError)) throw error;
    // deno-lint-ignore no-console -- a command-line tool's answer
    console.error(`compile: ${error.message}\n${BUILD_USAGE}`);
    Deno.exit(2);
  }
  Deno.exit(await compile(build));
}
