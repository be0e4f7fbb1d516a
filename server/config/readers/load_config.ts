/**
 * Loads the configuration at startup (and on restart): reads the file, or takes the embedded
 * default, and checks that each DocumentRoot is a readable directory, each App module a
 * file, and that the logs and the PidFile can be written. The I/O edge of
 * {@link parseConfigText}.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { appConfigYaml, defaultConfigYaml, directoryConfigYaml } from "./default_config.ts";
import { type ListenOverride, type LoadedConfig, parseConfigText } from "./parse_config.ts";
import { ConfigError, ConfigErrors, type MpmName } from "../mod.ts";
import { DISK_FILES } from "./httpd_conf/mod.ts";
import { lookupGroup, lookupUser, whyNotWritable } from "../../../platform/mod.ts";

/** What `mpmd TARGET` serves: an app module on `/`, or a directory with listings. */
export type ServeWhat = { readonly app: string } | { readonly directory: string };

/** What the command line says about the configuration. */
export interface LoadConfigOptions {
  /** The config file as given (`-f`), or `null` for the embedded default. */
  readonly file: string | null;
  /**
   * What to serve with the embedded default (`mpmd DIR`, `mpmd app.ts`, `--app`), as an
   * absolute path; only without `file`.
   * @default {null}
   */
  readonly serve?: ServeWhat | null;
  /** `--port` and `--host`: they replace the Listen addresses, the file's too. */
  readonly listen?: ListenOverride;
  /**
   * `-D` names, for IfDefine.
   * @default {[]}
   */
  readonly defines?: readonly string[];
  /**
   * `-C` arguments, applied before the file.
   * @default {[]}
   */
  readonly directivesBefore?: readonly string[];
  /**
   * `-c` arguments, applied after the file.
   * @default {[]}
   */
  readonly directivesAfter?: readonly string[];
  /** `--mpm`. */
  readonly mpmOverride?: MpmName;
  /** The platform's default MPM. */
  readonly platformDefaultMpm: MpmName;
  /**
   * Where the user ran mpmd: the config file's path and the embedded default's ServerRoot
   * resolve there.
   * @default {Deno.cwd()}
   */
  readonly userDir?: string;
  /** The program's own directory, where the embedded default finds the example site. */
  readonly installDir: string;
  /**
   * Whether to check that the logs and the PidFile can be written: yes for a start, a restart
   * and `-t`; no for what only reads the configuration (`-M`, `-S`, `--convert`, `-V`).
   * @default {true}
   */
  readonly checkWritable?: boolean;
}

/**
 * Loads and validates the configuration.
 *
 * @throws {TypeError} when both `file` and `serve` are given.
 * @throws {ConfigErrors} listing every problem, including an unreadable config file.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const { file: given, serve = null, installDir, checkWritable = true, ...rest } = options;
  const userDir = options.userDir ?? Deno.cwd();
  const common = {
    ...rest,
    checkDirectory: directoryProblem,
    checkFile: fileProblem,
    readFile,
    accounts: {
      user: (name: string) => lookupUser(name),
      group: (name: string) => lookupGroup(name),
    },
    ...(checkWritable && { checkWritable: whyNotWritable }),
    fileMode,
    env: environmentVariable,
  };
  if (given === null) {
    // Resolved against the working directory, as the user typed it, not against ServerRoot.
    const site = join(installDir, "examples", "site");
    const text = serve === null
      ? defaultConfigYaml(site)
      : "app" in serve
      ? appConfigYaml(site, serve.app)
      : directoryConfigYaml(serve.directory);
    return parseConfigText(text, {
      ...common,
      file: null,
      // What the command line asked to serve: its problems are the command line's.
      ...(serve !== null && { fileLabel: "command line", lines: false }),
      // The user's directory: what they name on the command line lands where they are.
      defaultServerRoot: userDir,
    });
  }
  if (serve !== null) {
    const path = "app" in serve ? serve.app : serve.directory;
    throw new TypeError(`Cannot serve ${path}: it works without -f only`);
  }
  const file = resolve(userDir, given);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    const reason = e instanceof Deno.errors.NotFound
      ? "no such file"
      : e instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : e instanceof Deno.errors.IsADirectory
      ? "it is a directory"
      : null;
    if (reason === null) throw e;
    throw new ConfigErrors([
      new ConfigError({
        at: { file, line: null, column: null },
        directive: null,
        detail: `Cannot read the config file: ${reason}`,
        cause: e,
      }),
    ]);
  }
  // The syntax is decided by configSyntaxOf(): *.yaml / *.yml or a YAML map → YAML, else httpd.
  return parseConfigText(text, {
    ...common,
    file,
    fileLabel: given,
    files: DISK_FILES,
  });
}

/** The environment variable `name`; a name no environment can hold (`A=B`) has no value. */
function environmentVariable(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch (e) {
    // Deno.env.get() refuses such a name with a TypeError rather than answering undefined.
    if (e instanceof TypeError) return undefined;
    throw e;
  }
}

/** Why `path` cannot be served as a DocumentRoot, or `null` when it is a readable directory. */
function directoryProblem(path: string): string | null {
  try {
    if (!Deno.statSync(path).isDirectory) return "not a directory";
    // Listing needs the read permission that serving (and index pages) will. Not
    // Deno.openSync: Windows cannot open a directory as a file.
    Deno.readDirSync(path);
    return null;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "no such directory";
    if (e instanceof Deno.errors.NotADirectory) return "not a directory";
    if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
    throw e;
  }
}

/** A file a directive names (AuthUserFile, TypesConfig): its text, or why it cannot be read. */
function readFile(path: string): string | { readonly problem: string } {
  const problem = fileProblem(path);
  if (problem !== null) return { problem };
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.PermissionDenied) return { problem: "permission denied" };
    throw e;
  }
}

/** The permission bits of `path`, or `null` when it cannot be looked at. */
function fileMode(path: string): number | null {
  try {
    return Deno.statSync(path).mode;
  } catch {
    return null;
  }
}

/** Why `path` cannot be imported as an App module, or `null` when it is a file. */
function fileProblem(path: string): string | null {
  try {
    return Deno.statSync(path).isFile ? null : "not a file";
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "no such file";
    if (e instanceof Deno.errors.NotADirectory) return "no such file";
    if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
    throw e;
  }
}
