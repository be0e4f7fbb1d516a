/**
 * What the httpd.conf reader carries from line to line, and the small steps every part of it
 * takes: report an error, warn, record a directive mpmd does not implement, add an occurrence.
 *
 * @module
 */

import type { Occurrence } from "../_occurrence.ts";
import type { ReadHttpdConfOptions } from "./read_httpd_conf.ts";
import type { Sections } from "./_sections.ts";
import { ConfigError, type ConfigLocation, formatLocation, type MpmName } from "../../mod.ts";

/** The MPM module loaded so far, and where an `<IfModule>` relied on the fallback MPM. */
export interface MpmState {
  loaded: { readonly mpm: MpmName; readonly id: string; readonly at: ConfigLocation } | null;
  defaultTestedAt: ConfigLocation | null;
}

/** The reader's state; it is mutated as lines are read. */
export interface ReaderState {
  readonly options: ReadHttpdConfOptions;
  /** Absolute ServerRoot as set by the lines read so far. */
  serverRoot: string;
  /** Defined names → value (`Define NAME value`) or `null` (`-D NAME`, `Define NAME`). */
  readonly variables: Map<string, string | null>;
  readonly mpm: MpmState;
  /** The format of the last `LogFormat "…"` without a nickname, which TransferLog uses. */
  transferLogFormat: string;
  readonly sections: Sections;
  readonly errors: ConfigError[];
  readonly warnings: string[];
  /**
   * Modules loaded that are not httpd's own (`LoadModule wsgi_module …`): while there are any,
   * a name httpd does not know may be one of theirs, a warning rather than an error.
   */
  readonly foreignModules: string[];
  /** The ids of the LOADABLE_MODULES that a LoadModule named so far. */
  readonly loadedModules: Set<string>;
  /** Directives mpmd does not implement, by name as first written: warned once each. */
  readonly unimplemented: Map<string, { readonly at: ConfigLocation; count: number }>;
}

/** Adds a fatal problem. */
export function fail(
  state: ReaderState,
  at: ConfigLocation,
  directive: string | null,
  detail: string,
): void {
  state.errors.push(new ConfigError({ at, directive, detail }));
}

/** Adds a warning, `file:line: text`. */
export function warn(state: ReaderState, at: ConfigLocation, text: string): void {
  state.warnings.push(`${formatLocation(at)}: ${text}`);
}

/** Notes a directive mpmd does not implement; its warning is given once per name. */
export function unimplemented(state: ReaderState, name: string, at: ConfigLocation): void {
  const key = [...state.unimplemented.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
  const seen = key === undefined ? undefined : state.unimplemented.get(key);
  if (seen) seen.count++;
  else state.unimplemented.set(name, { at, count: 1 });
}

/** An occurrence of an implemented directive, its value as httpd argument text. */
export function occurrence(name: string, value: unknown, at: ConfigLocation): Occurrence {
  return {
    name,
    value,
    syntax: "httpd",
    source: "file",
    section: "server config",
    host: 0,
    active: true,
    at,
    itemLines: [],
    undefinedVariables: [],
  };
}

/** Quotes one argument for httpd argument text when it needs it. */
export function quoteArg(arg: string): string {
  return /^[^\s"']+$/.test(arg) ? arg : `"${arg.replace(/"/g, '\\"')}"`;
}
