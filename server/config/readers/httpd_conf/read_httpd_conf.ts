/**
 * Reads httpd's own config syntax into {@link Occurrence}s, the same intermediate form the
 * YAML reader produces, so that values are parsed, defaulted and checked by the same tables.
 * Sections, includes and variables are settled here, in file order as httpd does: an
 * `<IfModule>` sees the modules loaded by the lines above it, `${NAME}` the Defines above it.
 *
 * @module
 */

import { dirname, join, relative, resolve } from "node:path";
import type { Occurrence, ReadResult } from "../_occurrence.ts";
import { type HttpdConfFiles, includedFiles } from "./includes.ts";
import { type LogicalLine, logicalLines, parseLine } from "../../httpd_syntax/mod.ts";
import { expandVariables } from "../_variables.ts";
import { type Context, enterSection, finishSections } from "./_sections.ts";
import { readDirective } from "./_directives.ts";
import { fail, type ReaderState, warn } from "./_reader_state.ts";
import { type ConfigLocation, formatLocation, type MpmName } from "../../mod.ts";

/** What {@link readHttpdConf} needs besides the text. */
export interface ReadHttpdConfOptions {
  /** Absolute path of the main file: Include patterns of other files are shown relative to it. */
  readonly file: string;
  /** How messages name the main file (as the user typed it). */
  readonly fileLabel: string;
  /** ServerRoot until a ServerRoot directive sets one. */
  readonly defaultServerRoot: string;
  /** `-D` names. */
  readonly defines: readonly string[];
  /** Environment variables, consulted for `${NAME}` after the Defines. */
  readonly env: (name: string) => string | undefined;
  /** Reads included files. */
  readonly files: HttpdConfFiles;
  /** The MPM chosen on the command line, which `LoadModule` does not override. */
  readonly mpmOverride: MpmName | null;
  /** The MPM that counts as loaded until a `LoadModule` chooses one. */
  readonly mpmFallback: MpmName;
}

/** The occurrences of an httpd.conf, and the names and variables it defined. */
export interface HttpdConfRead extends ReadResult {
  /** Every name defined (by `-D` or `Define`) → its value, `null` for a name without one. */
  readonly variables: Readonly<Record<string, string | null>>;
  /** The ids of the loadable modules a LoadModule named, in the order named. */
  readonly loadedModules: readonly string[];
}

/** httpd's AP_MAX_INCLUDE_DEPTH: deeper nesting is taken for an Include that includes itself. */
export const MAX_INCLUDE_DEPTH = 128;

/** Reads an httpd.conf and every file it includes. */
export function readHttpdConf(text: string, options: ReadHttpdConfOptions): HttpdConfRead {
  const state: ReaderState = {
    options,
    serverRoot: options.defaultServerRoot,
    variables: new Map(options.defines.map((name) => [name, null])),
    mpm: { loaded: null, defaultTestedAt: null },
    transferLogFormat: "common",
    sections: { main: [], vhosts: [], directories: [], locations: [] },
    errors: [],
    warnings: [],
    foreignModules: [],
    loadedModules: new Set(),
    unimplemented: new Map(),
  };
  readText(state, text, { label: options.fileLabel, path: options.file, depth: 0 }, {
    kind: "server",
  });
  const occurrences: Occurrence[] = finishSections(state);
  for (const [name, { at, count }] of state.unimplemented) {
    const more = count > 1 ? ` (written ${count} times; the first is shown)` : "";
    state.warnings.push(
      `${formatLocation(at)}: Ignoring ${name}: mpmd does not implement it${more}`,
    );
  }
  return {
    complete: true,
    occurrences,
    virtualHosts: state.sections.vhosts.map((v) => v.declaration),
    errors: state.errors,
    warnings: state.warnings,
    variables: Object.fromEntries(state.variables),
    loadedModules: [...state.loadedModules],
  };
}

/** One file being read. */
interface Source {
  readonly label: string;
  readonly path: string;
  /** How many Includes led here. */
  readonly depth: number;
}

function readText(state: ReaderState, text: string, source: Source, ctx: Context): void {
  readBlock(state, { ...source, lines: logicalLines(text) }, 0, ctx, null);
}

interface Lines extends Source {
  readonly lines: readonly LogicalLine[];
}

interface Open {
  readonly name: string;
  readonly at: ConfigLocation;
}

/** Reads lines from `i` up to the end of `open` (or of the file); returns the next index. */
function readBlock(
  state: ReaderState,
  src: Lines,
  start: number,
  ctx: Context,
  open: Open | null,
): number {
  let i = start;
  while (i < src.lines.length) {
    const { line, text: raw } = src.lines[i++]!;
    const at: ConfigLocation = { file: src.label, line, column: null };
    const expanded = expandVariables(
      raw,
      (name) => state.variables.get(name) ?? state.options.env(name) ?? undefined,
    );
    for (const name of expanded.undefinedNames) {
      warn(state, at, `Config variable \${${name}} is not defined (left as written)`);
    }
    const parsed = parseLine(expanded.text);
    if (parsed.kind === "error") fail(state, at, null, parsed.detail);
    else if (parsed.kind === "close") {
      if (closes(state, parsed.name, open, at)) return i;
    } else if (parsed.kind === "open") {
      i = readSection(state, src, i, { name: parsed.name, args: parsed.args, at }, ctx);
    } else {
      readDirective(state, { name: parsed.name, args: parsed.args, at }, ctx, {
        include: (kind, pattern) => include(state, src, kind, pattern, at, ctx),
      });
    }
  }
  if (open !== null) notClosed(state, open);
  return i;
}

/** Skips a section whose condition does not hold (or that mpmd ignores) without reading it. */
function skipBlock(state: ReaderState, src: Lines, start: number, open: Open): number {
  let depth = 0;
  let i = start;
  while (i < src.lines.length) {
    const { line, text } = src.lines[i++]!;
    const parsed = parseLine(text);
    if (parsed.kind === "open") depth++;
    else if (parsed.kind === "close") {
      if (depth === 0) {
        closes(state, parsed.name, open, { file: src.label, line, column: null });
        return i;
      }
      depth--;
    }
  }
  notClosed(state, open);
  return i;
}

/** Whether a closing tag ends the open section; a mismatch is reported and ends it too. */
function closes(state: ReaderState, name: string, open: Open | null, at: ConfigLocation): boolean {
  if (open === null) {
    fail(state, at, null, `Cannot close </${name}>: no <${name}> section is open`);
    return false;
  }
  if (name.toLowerCase() !== open.name.toLowerCase()) {
    fail(
      state,
      at,
      null,
      `Cannot close </${name}>: <${open.name}> (${
        formatLocation(open.at)
      }) is open; close it first`,
    );
  }
  return true;
}

function notClosed(state: ReaderState, open: Open): void {
  fail(
    state,
    open.at,
    null,
    `Cannot read <${open.name}>: the section is not closed (no </${open.name}> before the end of the file)`,
  );
}

interface SectionLine extends Open {
  readonly args: string;
}

function readSection(
  state: ReaderState,
  src: Lines,
  i: number,
  section: SectionLine,
  ctx: Context,
): number {
  const decision = enterSection(state, section, ctx);
  return decision === null
    ? skipBlock(state, src, i, section)
    : readBlock(state, src, i, decision, section);
}

function include(
  state: ReaderState,
  src: Lines,
  kind: "Include" | "IncludeOptional",
  pattern: string,
  at: ConfigLocation,
  ctx: Context,
): void {
  if (src.depth + 1 > MAX_INCLUDE_DEPTH) {
    fail(
      state,
      at,
      kind,
      `Cannot include ${pattern}: more than ${MAX_INCLUDE_DEPTH} nested includes (a file probably includes itself)`,
    );
    return;
  }
  const found = includedFiles(resolve(state.serverRoot, pattern), state.options.files, kind);
  if ("problem" in found) {
    fail(state, at, kind, `Cannot include ${pattern}: ${found.problem}`);
    return;
  }
  for (const path of found.paths) {
    let text: string;
    try {
      text = state.options.files.readText(path);
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      fail(state, at, kind, `Cannot include ${path}: ${e.message}`);
      continue;
    }
    readText(state, text, { label: labelOf(state, path), path, depth: src.depth + 1 }, ctx);
  }
}

/** An included file is named relative to the main file's directory when it is under it. */
function labelOf(state: ReaderState, path: string): string {
  const base = dirname(state.options.file);
  const rel = relative(base, path);
  if (rel.startsWith("..") || rel === "" || resolve(base, rel) !== path) return path;
  return join(dirname(state.options.fileLabel), rel);
}
