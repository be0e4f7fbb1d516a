/**
 * Reads `-C` / `-c` arguments (`"KeepAlive Off"`, `"Listen 127.0.0.1:9000"`) into
 * {@link Occurrence}s. An argument is one httpd config line: the directive name, then its
 * arguments as text, parsed with httpd's quoting. `${NAME}` and `${NAME:-default}` are replaced
 * from the environment first, as httpd does on a config line.
 *
 * @module
 */

import type { Occurrence, ReadResult, Source } from "./_occurrence.ts";
import { expandVariables } from "./_variables.ts";
import { ConfigError, type ConfigLocation, MPM_NAMES } from "../mod.ts";

/** How messages name the origin of `-C` and `-c` arguments. */
export const ARGUMENT_LABELS: Readonly<Record<"before" | "after", string>> = {
  before: "-C argument",
  after: "-c argument",
};

/** Where {@link readArgs} arguments come from. */
export interface ReadArgsOptions {
  /** `before` for `-C`, `after` for `-c`. */
  readonly source: Exclude<Source, "file">;
  /**
   * Environment variables: the values of `${NAME}`. Not httpd.conf's Defines: the arguments
   * are read before the file, whose `<IfModule>` must know the MPM they choose.
   */
  readonly env: (name: string) => string | undefined;
}

/** Reads `-C` or `-c` arguments, in command-line order. */
export function readArgs(args: readonly string[], options: ReadArgsOptions): ReadResult {
  const { source, env } = options;
  const at: ConfigLocation = { file: ARGUMENT_LABELS[source], line: null, column: null };
  const flag = source === "before" ? "-C" : "-c";
  const occurrences: Occurrence[] = [];
  const errors: ConfigError[] = [];
  for (const arg of args) {
    const expanded = expandVariables(arg, env);
    const m = /^\s*(\S+)\s*([\s\S]*?)\s*$/.exec(expanded.text);
    if (!m) {
      errors.push(
        new ConfigError({ at, directive: null, detail: `Cannot use an empty ${flag} argument` }),
      );
      continue;
    }
    const name = m[1]!;
    if (
      name === "IfDefine" || name === "VirtualHost" ||
      (MPM_NAMES as readonly string[]).includes(name)
    ) {
      errors.push(
        new ConfigError({
          at,
          directive: name,
          detail:
            `Cannot use ${name} in a ${flag} argument: sections exist only in the config file (give the directive itself; an MPM directive applies to the active MPM)`,
        }),
      );
      continue;
    }
    occurrences.push({
      name,
      value: m[2]!,
      syntax: "httpd",
      source,
      section: "command line",
      host: 0,
      active: true,
      at,
      itemLines: [],
      undefinedVariables: expanded.undefinedNames.map((name) => ({ name, at })),
    });
  }
  return { complete: true, occurrences, virtualHosts: [], errors, warnings: [] };
}
