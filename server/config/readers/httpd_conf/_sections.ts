/**
 * httpd's sections as mpmd reads them. `<IfModule>` and `<IfDefine>` decide whether their
 * lines are read. The first `<VirtualHost>` configures mpmd's one host; a `<Directory>` that
 * holds the DocumentRoot sets that host's Options (and DirectoryIndex, AddType,
 * AddDefaultCharset), from the least to the most specific; `<Location>` with
 * `SetHandler server-status` becomes the host's Status. Every other section is skipped with a
 * warning, never an error.
 *
 * @module
 */

import { resolve } from "node:path";
import type { Occurrence } from "../_occurrence.ts";
import { BUILTIN_MODULES, MPM_MODULES, namesModule } from "./modules.ts";
import { fail, occurrence, type ReaderState, unimplemented, warn } from "./_reader_state.ts";
import {
  ArgumentSyntaxError,
  type ConfigLocation,
  HOST_DIRECTIVES,
  MPM_NAMES,
  splitArgs,
} from "../../mod.ts";

/** A `<Directory>` read, waiting for the DocumentRoot to be known. */
export interface DirectorySection {
  /** Absolute path without a trailing slash (`/` stays), or `null` for a pattern. */
  readonly path: string | null;
  /** The opening tag's arguments as written. */
  readonly written: string;
  readonly at: ConfigLocation;
  readonly occurrences: Occurrence[];
  /** Warnings given only if the section applies. */
  readonly warnings: string[];
  /** Directives mpmd does not implement, reported only if the section applies. */
  readonly unimplemented: { readonly name: string; readonly at: ConfigLocation }[];
}

/** A `<Location>` read: whether it is a status page, and for whom. */
export interface LocationSection {
  readonly path: string;
  readonly at: ConfigLocation;
  readonly inVirtualHost: boolean;
  handler: string | null;
  /** Allow-list words from Require lines; `null` while no Require was read. */
  allow: string[] | null;
  readonly warnings: string[];
  readonly unimplemented: { readonly name: string; readonly at: ConfigLocation }[];
}

/** Where a line is: the main server, the first VirtualHost, a Directory or a Location. */
export type Context =
  | { readonly kind: "server" }
  | { readonly kind: "vhost" }
  | { readonly kind: "directory"; readonly section: DirectorySection }
  | { readonly kind: "location"; readonly section: LocationSection };

/** The sections' contents, gathered as they are read. */
export interface Sections {
  /** Directives of the main server, in file order. */
  readonly main: Occurrence[];
  /** Host directives of the first VirtualHost. */
  readonly vhost: Occurrence[];
  readonly directories: DirectorySection[];
  readonly locations: LocationSection[];
  /** VirtualHost sections seen so far. */
  vhosts: number;
}

/** An opening tag. */
export interface SectionTag {
  readonly name: string;
  readonly args: string;
  readonly at: ConfigLocation;
}

/** Host directives that a VirtualHost's value adds to rather than replaces (as in httpd). */
const MERGED_INTO_VHOST = new Set(["Options", "AddType"]);

/**
 * Decides how a section is read: the context of its lines, or `null` to skip them (a
 * condition that does not hold, a section mpmd ignores, or a mistake already reported).
 */
export function enterSection(state: ReaderState, tag: SectionTag, ctx: Context): Context | null {
  const kind = tag.name.toLowerCase();
  if (kind === "ifmodule" || kind === "ifdefine") {
    return condition(state, tag) ? ctx : null;
  }
  if (kind === "virtualhost") {
    if (ctx.kind !== "server") return nested(state, tag, ctx);
    if (++state.sections.vhosts > 1) {
      warn(
        state,
        tag.at,
        `Ignoring <VirtualHost ${tag.args}>: mpmd serves one host, configured by the first <VirtualHost>`,
      );
      return null;
    }
    return { kind: "vhost" };
  }
  if (kind === "directory" || kind === "location") {
    if (ctx.kind === "directory" || ctx.kind === "location") return nested(state, tag, ctx);
    const args = words(tag.args);
    if (args === null || args.length !== 1) {
      fail(state, tag.at, tag.name, `Cannot use <${tag.name}>: it takes one path`);
      return null;
    }
    if (kind === "location") {
      const section: LocationSection = {
        path: args[0]!,
        at: tag.at,
        inVirtualHost: ctx.kind === "vhost",
        handler: null,
        allow: null,
        warnings: [],
        unimplemented: [],
      };
      state.sections.locations.push(section);
      return { kind: "location", section };
    }
    const section: DirectorySection = {
      path: /[*?[]/.test(args[0]!) ? null : resolve(state.serverRoot, args[0]!),
      written: tag.args,
      at: tag.at,
      occurrences: [],
      warnings: [],
      unimplemented: [],
    };
    state.sections.directories.push(section);
    return { kind: "directory", section };
  }
  warn(state, tag.at, `Ignoring <${tag.name} ${tag.args}>: mpmd does not implement <${tag.name}>`);
  return null;
}

function nested(state: ReaderState, tag: SectionTag, ctx: Context): null {
  const outer = ctx.kind === "vhost"
    ? "VirtualHost"
    : ctx.kind === "directory"
    ? "Directory"
    : "Location";
  fail(
    state,
    tag.at,
    tag.name,
    `Cannot use <${tag.name}> inside <${outer}>: httpd does not allow it there`,
  );
  return null;
}

/** Whether an IfModule / IfDefine condition holds; `false` after reporting a malformed one. */
function condition(state: ReaderState, tag: SectionTag): boolean {
  const args = words(tag.args);
  const m = args !== null && args.length === 1 ? /^(!?)(\S+)$/.exec(args[0]!) : null;
  if (!m) {
    const what = tag.name.toLowerCase() === "ifmodule" ? "a module name" : "a define name";
    fail(
      state,
      tag.at,
      tag.name,
      `Cannot use <${tag.name}>: it takes ${what}, optionally after "!"`,
    );
    return false;
  }
  const name = m[2]!;
  const holds = tag.name.toLowerCase() === "ifmodule"
    ? moduleLoaded(state, name, tag.at)
    : state.variables.has(name);
  return holds !== (m[1] === "!");
}

/**
 * Whether mpmd has the module: every built-in module, and the MPM in force. Modules that a
 * LoadModule names but mpmd does not implement count as absent, so their sections are skipped.
 */
function moduleLoaded(state: ReaderState, name: string, at: ConfigLocation): boolean {
  if (BUILTIN_MODULES.some((m) => namesModule(m, name))) return true;
  const mpm = MPM_NAMES.find((m) => namesModule(MPM_MODULES[m], name));
  if (mpm === undefined) return false;
  const { mpmOverride, mpmFallback } = state.options;
  if (mpmOverride === null && state.mpm.loaded === null) state.mpm.defaultTestedAt ??= at;
  return mpm === (mpmOverride ?? state.mpm.loaded?.mpm ?? mpmFallback);
}

/**
 * The occurrences in the order they apply: the main server; the first VirtualHost (whose host
 * directives replace the main server's, except Options and AddType, which merge); then the
 * Directory sections that hold the DocumentRoot, least specific first; Status from Location.
 */
export function finishSections(state: ReaderState): Occurrence[] {
  const { main, vhost } = state.sections;
  for (const location of state.sections.locations) {
    const status = statusOf(state, location);
    if (status !== null) (location.inVirtualHost ? vhost : main).push(status);
  }
  const replaced = new Set(vhost.map((o) => o.name).filter((n) => !MERGED_INTO_VHOST.has(n)));
  const occurrences = [
    ...main.map((o) => (replaced.has(o.name) ? { ...o, active: false } : o)),
    ...vhost,
  ];
  const documentRoot = documentRootOf(state, occurrences);
  if (documentRoot === null) return occurrences;
  const holding = state.sections.directories.filter((d) => {
    if (d.path !== null && contains(d.path, documentRoot)) return true;
    const reason = d.path === null
      ? "mpmd does not implement wildcards in <Directory>"
      : `it does not hold the DocumentRoot (${documentRoot}), the only directory mpmd serves`;
    warn(state, d.at, `Ignoring <Directory ${d.written}>: ${reason}`);
    return false;
  }).sort((a, b) => a.path!.length - b.path!.length);
  for (const d of holding) {
    occurrences.push(...d.occurrences);
    state.warnings.push(...d.warnings);
    for (const u of d.unimplemented) unimplemented(state, u.name, u.at);
  }
  return occurrences;
}

/** The Status occurrence of a `<Location>` with `SetHandler server-status`, or `null`. */
function statusOf(state: ReaderState, location: LocationSection): Occurrence | null {
  if (location.handler !== "server-status") {
    warn(
      state,
      location.at,
      `Ignoring <Location ${location.path}>: mpmd implements <Location> only for SetHandler server-status`,
    );
    return null;
  }
  state.warnings.push(...location.warnings);
  for (const u of location.unimplemented) unimplemented(state, u.name, u.at);
  // Without a Require line, httpd 2.4 grants access to everyone.
  const allow = location.allow ?? ["all"];
  if (allow.length === 0) {
    warn(
      state,
      location.at,
      `Ignoring <Location ${location.path}>: its Require lines let no client read the status page`,
    );
    return null;
  }
  return occurrence("Status", { Location: location.path, Allow: allow }, location.at);
}

/** The DocumentRoot in force, absolute, or `null` when its value is not even readable. */
function documentRootOf(state: ReaderState, occurrences: readonly Occurrence[]): string | null {
  const last = occurrences.findLast((o) => o.active && o.name === "DocumentRoot");
  if (last === undefined) return resolve(state.serverRoot, HOST_DIRECTIVES.DocumentRoot.default);
  const args = words(String(last.value));
  return args === null || args.length !== 1
    ? null
    : stripSlash(resolve(state.serverRoot, args[0]!));
}

function contains(dir: string, path: string): boolean {
  const d = stripSlash(dir);
  return d === "/" || path === d || path.startsWith(`${d}/`);
}

function stripSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** The arguments of a tag or value, or `null` for an unterminated quote. */
export function words(text: string): string[] | null {
  try {
    return splitArgs(text);
  } catch (e) {
    if (e instanceof ArgumentSyntaxError) return null;
    throw e;
  }
}

/** Where a directive written inside a section is reported as being. */
export function describeContext(ctx: Context): string {
  return ctx.kind === "server"
    ? "the main server"
    : ctx.kind === "vhost"
    ? "<VirtualHost>"
    : ctx.kind === "directory"
    ? `<Directory ${ctx.section.written}>`
    : `<Location ${ctx.section.path}>`;
}
