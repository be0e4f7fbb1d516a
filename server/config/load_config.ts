/**
 * Loads the configuration at startup (and on restart): reads the file, or takes the embedded
 * default, and checks that each DocumentRoot is a readable directory and each App module a
 * file. The I/O edge of
 * {@link parseConfigText}.
 *
 * @module
 */

import { resolve } from "node:path";
import { ConfigError, ConfigErrors } from "./config_error.ts";
import { DEFAULT_CONFIG_YAML } from "./default_config.ts";
import { type LoadedConfig, parseConfigText } from "./parse_config.ts";
import type { MpmName } from "./server_config.ts";

/** What the command line says about the configuration. */
export interface LoadConfigOptions {
  /** The config file as given (`-f`), or `null` for the embedded default. */
  readonly file: string | null;
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
  /** The program's own directory: ServerRoot of the embedded default. */
  readonly installDir: string;
}

/**
 * Loads and validates the configuration.
 *
 * @throws {ConfigErrors} listing every problem, including an unreadable config file.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const { file: given, installDir, ...rest } = options;
  const common = { ...rest, checkDirectory: directoryProblem, checkFile: fileProblem };
  if (given === null) {
    return parseConfigText(DEFAULT_CONFIG_YAML, {
      ...common,
      file: null,
      defaultServerRoot: installDir,
    });
  }
  const file = resolve(given);
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
  return parseConfigText(text, { ...common, file, fileLabel: given });
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
