/**
 * Reads `-C` / `-c` arguments (`"KeepAlive Off"`, `"Listen 127.0.0.1:9000"`) into
 * {@link Occurrence}s. An argument is one httpd config line: the directive name, then its
 * arguments as text, parsed with httpd's quoting.
 *
 * @module
 */

import type { Occurrence, ReadResult, Source } from "./_occurrence.ts";
import { ConfigError, type ConfigLocation, MPM_NAMES } from "../mod.ts";

/** How messages name the origin of `-C` and `-c` arguments. */
export const ARGUMENT_LABELS: Readonly<Record<"before" | "after", string>> = {
  before: "-C argument",
  after: "-c argument",
};

/** Reads the `-C` (`before`) or `-c` (`after`) arguments, in command-line order. */
export function readArgs(args: readonly string[], source: Exclude<Source, "file">): ReadResult {
  const at: ConfigLocation = { file: ARGUMENT_LABELS[source], line: null, column: null };
  const flag = source === "before" ? "-C" : "-c";
  const occurrences: Occurrence[] = [];
  const errors: ConfigError[] = [];
  for (const arg of args) {
    const m = /^\s*(\S+)\s*([\s\S]*?)\s*$/.exec(arg);
    if (!m) {
      errors.push(
        new ConfigError({ at, directive: null, detail: `Cannot use an empty ${flag} argument` }),
      );
      continue;
    }
    const name = m[1]!;
    if (name === "IfDefine" || (MPM_NAMES as readonly string[]).includes(name)) {
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
      active: true,
      at,
      itemLines: [],
    });
  }
  return { complete: true, occurrences, errors, warnings: [] };
}
