/**
 * How to start this same program again as a child process: under `deno run` it is
 * `deno run <flags> <main module> <args>`, in a `deno compile`d binary it is the binary
 * itself with `<args>`. The decision ({@link buildSelfCommand}) is pure; {@link selfCommand}
 * gathers the facts from the running process.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The permissions `deno run` knows, each granted by `--allow-<name>`. */
export const DENO_PERMISSIONS = [
  "read",
  "write",
  "net",
  "env",
  "sys",
  "run",
  "ffi",
  "import",
] as const;

/** One of {@link DENO_PERMISSIONS}. */
export type DenoPermission = typeof DENO_PERMISSIONS[number];

/** The facts about the running program that decide how it starts again. */
export interface SelfFacts {
  /** `Deno.execPath()`: the `deno` CLI, or the compiled binary itself. */
  readonly execPath: string;
  /** `Deno.mainModule`: the entry module's URL (ignored in a compiled binary). */
  readonly mainModule: string;
  /** `Deno.build.standalone`: whether this is a `deno compile`d binary. */
  readonly standalone: boolean;
  /** The permissions granted without a scope (a missing entry counts as not granted). */
  readonly granted: ReadonlySet<DenoPermission>;
  /** The unstable features in effect, as in `--unstable-<feature>` (e.g. `net`). */
  readonly unstable: readonly string[];
  /**
   * The `deno.json` the program runs with when it is not the one beside its entry module (an
   * app's own: {@link DENO_CONFIG_ENV}), or `null`.
   */
  readonly denoConfig: string | null;
  /** The lock file that goes with {@link denoConfig} ({@link DENO_LOCK_ENV}), or `null`. */
  readonly denoLock: string | null;
}

/**
 * Names the `deno.json` this program was started with, for its children: Deno finds the
 * config beside the entry module by itself, and another one (an app module's own, whose import
 * map its imports need) must be passed on.
 */
export const DENO_CONFIG_ENV = "MPMD_DENO_CONFIG";

/**
 * Names the lock file that goes with {@link DENO_CONFIG_ENV}'s configuration: a private copy of
 * the app's `deno.lock`, which checks the app's packages without mpmd's being written into the
 * user's file. Unset: `--no-lock`.
 */
export const DENO_LOCK_ENV = "MPMD_DENO_LOCK";

/** A program and its arguments, ready for `new Deno.Command(command, { args })`. */
export interface SelfCommand {
  /** The executable to start. */
  readonly command: string;
  /** Its arguments, the caller's extra arguments last. */
  readonly args: readonly string[];
}

/**
 * Builds the command that starts this program again with extra arguments.
 *
 * A compiled binary carries its permissions and unstable features inside it, so it is run
 * as is. Under `deno run` the child gets exactly the parent's unscoped grants (all eight
 * become `--allow-all`), never more; scoped grants such as `--allow-net=127.0.0.1` are not
 * visible to a program and are not passed on (mpmd's tasks run with `--allow-all`). The
 * child never prompts: its stdin is the parent's message pipe.
 *
 * @param facts what the running program knows about itself.
 * @param extraArgs the arguments that follow the program, e.g. a hidden `--child` entry.
 * @returns the command and its arguments.
 */
export function buildSelfCommand(facts: SelfFacts, extraArgs: readonly string[]): SelfCommand {
  if (facts.standalone) return { command: facts.execPath, args: [...extraArgs] };
  const permissionFlags = DENO_PERMISSIONS.every((name) => facts.granted.has(name))
    ? ["--allow-all"]
    : DENO_PERMISSIONS.filter((name) => facts.granted.has(name)).map((name) => `--allow-${name}`);
  return {
    command: facts.execPath,
    args: [
      "run",
      "--no-prompt",
      ...permissionFlags,
      ...facts.unstable.map((feature) => `--unstable-${feature}`),
      ...(facts.denoConfig === null ? [] : [
        "--config",
        facts.denoConfig,
        facts.denoLock === null ? "--no-lock" : `--lock=${facts.denoLock}`,
      ]),
      modulePath(facts.mainModule),
      ...extraArgs,
    ],
  };
}

/**
 * Gathers the running program's facts and builds the command that starts it again.
 *
 * @param extraArgs the arguments that follow the program.
 * @returns the command and its arguments.
 */
export function selfCommand(extraArgs: readonly string[]): SelfCommand {
  return buildSelfCommand(readSelfFacts(), extraArgs);
}

/**
 * Reads the facts {@link buildSelfCommand} needs from the running process.
 *
 * Only `--unstable-net` is detected, the one unstable feature mpmd uses: probing it with
 * `Deno.listen({ reusePort: true })` would end the process (Deno exits with code 70 when an
 * unstable API is used without its flag), so the probe is whether `Deno.listenDatagram`, an
 * API only `--unstable-net` exposes, exists. The child inherits the parent's working
 * directory, so it finds the same `deno.json` (import map, `"unstable"`) as the parent.
 *
 * @returns this process's facts.
 */
export function readSelfFacts(): SelfFacts {
  return {
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
    standalone: Deno.build.standalone,
    granted: new Set(
      DENO_PERMISSIONS.filter((name) => Deno.permissions.querySync({ name }).state === "granted"),
    ),
    unstable: "listenDatagram" in Deno ? ["net"] : [],
    denoConfig: Deno.env.get(DENO_CONFIG_ENV) || null,
    denoLock: Deno.env.get(DENO_LOCK_ENV) || null,
  };
}

/** A local module as a path (readable in `ps`); any other URL as given, `deno run` takes it. */
function modulePath(mainModule: string): string {
  return mainModule.startsWith("file:") ? fileURLToPath(mainModule) : mainModule;
}
