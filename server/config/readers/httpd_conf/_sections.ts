/**
 * httpd's sections as mpmd reads them. `<IfModule>` and `<IfDefine>` decide whether their
 * lines are read. Each `<VirtualHost>` declares a host. `<Directory>`, `<DirectoryMatch>`,
 * `<Files>`, `<FilesMatch>`, `<Location>` and `<LocationMatch>` (and their `~` forms) carry
 * their Require lines (with `<RequireAll>`, `<RequireAny>`, `<RequireNone>`) and AuthType,
 * AuthName, AuthUserFile into the host's access sections, with the Options and DirectoryIndex
 * of a `<Directory>` or `<DirectoryMatch>` and the AllowOverride of a `<Directory>`; a
 * `<Directory>` that holds a host's DocumentRoot also sets that host's Options (and
 * DirectoryIndex, AddType, AddDefaultCharset), from the least to the most specific; `<Location>` with `SetHandler server-status` becomes
 * its host's Status; `<Proxy "balancer://name">` holds a balancer's lines. Every other section is skipped with a warning, never an error.
 *
 * @module
 */

import { resolve } from "node:path";
import type { Occurrence, VirtualHostDeclaration } from "../_occurrence.ts";
import {
  BUILTIN_MODULES,
  LOADABLE_MODULES,
  MPM_MODULES,
  namesModule,
} from "../../httpd_syntax/mod.ts";
import { fail, occurrence, type ReaderState, unimplemented, warn } from "./_reader_state.ts";
import {
  ArgumentSyntaxError,
  balancerName,
  type ConfigLocation,
  HOST_DIRECTIVES,
  MPM_NAMES,
  type PathSectionKind,
  splitArgs,
} from "../../mod.ts";

/** What a section says about access, as the section directives' parser takes it. */
export interface AccessBody {
  /** Require lines (argument text) and containers (`{ RequireAll: [...] }`), in order. */
  Require?: unknown[];
  AuthType?: string;
  AuthName?: string;
  AuthUserFile?: string;
  /** A Directory's (or DirectoryMatch's) last Options line (argument text). */
  Options?: string;
  /** A Directory's (or DirectoryMatch's) DirectoryIndex lines, joined (argument text). */
  DirectoryIndex?: string;
  /** A Directory's AllowOverride line (argument text). */
  AllowOverride?: string;
}

/**
 * A `<Directory>` (or `<DirectoryMatch>`, `<Files>`, `<FilesMatch>`) read, waiting for the
 * DocumentRoot to be known.
 */
export interface DirectorySection {
  readonly kind: Exclude<PathSectionKind, "Location" | "LocationMatch">;
  /** What the access section matches: an absolute directory, a file name or a regex. */
  readonly pattern: string;
  /** A Directory's absolute path without a trailing slash (`/` stays); `null` otherwise. */
  readonly path: string | null;
  /** The opening tag's arguments as written. */
  readonly written: string;
  readonly at: ConfigLocation;
  /** The host it was written in: 0 for the main server (it then applies to every host). */
  readonly host: number;
  readonly occurrences: Occurrence[];
  /** Warnings given only if the section applies. */
  readonly warnings: string[];
  /** Directives mpmd does not implement, reported only if the section applies. */
  readonly unimplemented: { readonly name: string; readonly at: ConfigLocation }[];
  readonly access: AccessBody;
}

/** A `<Location>` (or `<LocationMatch>`) read: its access, a status page, and for whom. */
export interface LocationSection {
  readonly kind: "Location" | "LocationMatch";
  readonly path: string;
  readonly at: ConfigLocation;
  /** The host it was written in: 0 for the main server. */
  readonly host: number;
  handler: string | null;
  /** Allow-list words from Require lines; `null` while no Require was read. */
  allow: string[] | null;
  readonly warnings: string[];
  readonly unimplemented: { readonly name: string; readonly at: ConfigLocation }[];
  readonly access: AccessBody;
}

/** Where a line is: the main server, a VirtualHost (1, 2, …), a Directory or a Location. */
export type Context =
  | { readonly kind: "server" }
  | { readonly kind: "vhost"; readonly host: number }
  | { readonly kind: "directory"; readonly section: DirectorySection }
  | { readonly kind: "location"; readonly section: LocationSection }
  /** Inside `<Proxy "balancer://name">`: its BalancerMember and ProxySet lines. */
  | { readonly kind: "balancer"; readonly name: string; readonly written: string }
  /** Inside `<RequireAll>`, `<RequireAny>` or `<RequireNone>`: its list of Require lines. */
  | {
    readonly kind: "require";
    readonly section: DirectorySection | LocationSection;
    readonly list: unknown[];
    readonly name: string;
  };

/** A `<VirtualHost>` read: where and on which addresses, and its host directives. */
export interface VirtualHostSection {
  readonly declaration: VirtualHostDeclaration;
  readonly occurrences: Occurrence[];
}

/** The sections' contents, gathered as they are read. */
export interface Sections {
  /** Directives of the main server, in file order. */
  readonly main: Occurrence[];
  /** The VirtualHost sections, in file order (host `k` is `vhosts[k - 1]`). */
  readonly vhosts: VirtualHostSection[];
  readonly directories: DirectorySection[];
  readonly locations: LocationSection[];
}

/** An opening tag. */
export interface SectionTag {
  readonly name: string;
  readonly args: string;
  readonly at: ConfigLocation;
}

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
    const declaration = { addresses: tag.args, at: tag.at, active: true };
    state.sections.vhosts.push({ declaration, occurrences: [] });
    return { kind: "vhost", host: state.sections.vhosts.length };
  }
  if (kind === "proxy") return proxySection(state, tag, ctx);
  const container = REQUIRE_CONTAINERS[kind];
  if (container !== undefined) {
    if (ctx.kind !== "directory" && ctx.kind !== "location" && ctx.kind !== "require") {
      fail(
        state,
        tag.at,
        tag.name,
        `Cannot use <${tag.name}> outside a <Directory>, <Files> or <Location>`,
      );
      return null;
    }
    const list: unknown[] = [];
    const outer = ctx.kind === "require" ? ctx.list : (ctx.section.access.Require ??= []);
    outer.push({ [container]: list });
    return { kind: "require", section: ctx.section, list, name: tag.name };
  }
  const sectionKind = PATH_SECTIONS[kind];
  if (sectionKind !== undefined) {
    // httpd nests <Files> in <Directory>; mpmd applies it to every directory of the host.
    const inDirectory = ctx.kind === "directory" && sectionKind.startsWith("Files");
    if (ctx.kind !== "server" && ctx.kind !== "vhost" && !inDirectory) {
      return nested(state, tag, ctx);
    }
    const host = ctx.kind === "vhost" ? ctx.host : ctx.kind === "directory" ? ctx.section.host : 0;
    const args = words(tag.args);
    const regex = args?.length === 2 && args[0] === "~";
    if (args === null || !(args.length === 1 || regex)) {
      fail(state, tag.at, tag.name, `Cannot use <${tag.name}>: it takes one path or pattern`);
      return null;
    }
    const pattern = args.at(-1)!;
    const resolvedKind = (regex ? `${sectionKind}Match` : sectionKind) as PathSectionKind;
    const common = { at: tag.at, host, warnings: [], unimplemented: [], access: {} };
    if (resolvedKind === "Location" || resolvedKind === "LocationMatch") {
      const section: LocationSection = {
        ...common,
        kind: resolvedKind,
        path: pattern,
        handler: null,
        allow: null,
      };
      state.sections.locations.push(section);
      return { kind: "location", section };
    }
    const isDirectory = resolvedKind === "Directory";
    const section: DirectorySection = {
      ...common,
      kind: resolvedKind,
      pattern: isDirectory ? resolve(state.serverRoot, pattern) : pattern,
      path: isDirectory && !/[*?[]/.test(pattern) ? resolve(state.serverRoot, pattern) : null,
      written: tag.args,
      occurrences: [],
    };
    state.sections.directories.push(section);
    return { kind: "directory", section };
  }
  warn(state, tag.at, `Ignoring <${tag.name} ${tag.args}>: mpmd does not implement <${tag.name}>`);
  return null;
}

/**
 * `<Proxy "balancer://name">` holds a balancer's BalancerMember and ProxySet lines; mpmd has no
 * other use for `<Proxy>` (it is no forward proxy, and proxied paths take their access rules
 * from `<Location>`), so other URLs are skipped with a warning.
 */
function proxySection(state: ReaderState, tag: SectionTag, ctx: Context): Context | null {
  if (ctx.kind !== "server" && ctx.kind !== "vhost") return nested(state, tag, ctx);
  const args = words(tag.args);
  const name = args?.length === 1 ? balancerName(args[0]!) : null;
  if (name === null) {
    warn(
      state,
      tag.at,
      `Ignoring <Proxy ${tag.args}>: mpmd reads <Proxy> sections for balancer://name URLs only`,
    );
    return null;
  }
  return { kind: "balancer", name, written: args![0]! };
}

function nested(state: ReaderState, tag: SectionTag, ctx: Context): null {
  fail(
    state,
    tag.at,
    tag.name,
    `Cannot use <${tag.name}> inside ${describeContext(ctx)}: httpd does not allow it there`,
  );
  return null;
}

/** The path sections by lower-case tag name (the `~` form makes the Match kind). */
const PATH_SECTIONS: Readonly<
  Record<string, "Directory" | "Files" | "Location" | PathSectionKind>
> = {
  directory: "Directory",
  directorymatch: "DirectoryMatch",
  files: "Files",
  filesmatch: "FilesMatch",
  location: "Location",
  locationmatch: "LocationMatch",
};

/** The Require containers by lower-case tag name, as the section body writes them. */
const REQUIRE_CONTAINERS: Readonly<Record<string, string>> = {
  requireall: "RequireAll",
  requireany: "RequireAny",
  requirenone: "RequireNone",
};

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
 * Whether mpmd has the module: every built-in module, a loadable one that a LoadModule above
 * named, and the MPM in force. Modules that a LoadModule names but mpmd does not implement
 * count as absent, so their sections are skipped.
 */
function moduleLoaded(state: ReaderState, name: string, at: ConfigLocation): boolean {
  if (BUILTIN_MODULES.some((m) => namesModule(m, name))) return true;
  const loadable = LOADABLE_MODULES.find((m) => namesModule(m, name));
  if (loadable !== undefined) return state.loadedModules.has(loadable.id);
  const mpm = MPM_NAMES.find((m) => namesModule(MPM_MODULES[m], name));
  if (mpm === undefined) return false;
  const { mpmOverride, mpmFallback } = state.options;
  if (mpmOverride === null && state.mpm.loaded === null) state.mpm.defaultTestedAt ??= at;
  return mpm === (mpmOverride ?? state.mpm.loaded?.mpm ?? mpmFallback);
}

/**
 * The occurrences of every host: the main server's, then each VirtualHost's (marked with its
 * host number), then for each host the Directory sections that hold its DocumentRoot, least
 * specific first (a section written in a VirtualHost counts for that host only); Status from
 * Location.
 */
export function finishSections(state: ReaderState): Occurrence[] {
  const { main, vhosts } = state.sections;
  const hostOccurrences = [main, ...vhosts.map((v) => v.occurrences)];
  for (const location of state.sections.locations) {
    const status = statusOf(state, location);
    if (status !== null) hostOccurrences[location.host]!.push(status);
    const access = accessOf(location.kind, location.path, location);
    if (access !== null) hostOccurrences[location.host]!.push(access);
  }
  for (const d of state.sections.directories) {
    const access = accessOf(d.kind, d.pattern, d);
    if (access !== null) hostOccurrences[d.host]!.push(access);
  }
  // A VirtualHost's DocumentRoot is the last of its own, else the main server's.
  const roots = hostOccurrences.map((own, host) =>
    documentRootOf(state, host === 0 ? main : [...main, ...own])
  );
  const applied = new Set<DirectorySection>();
  const occurrences = hostOccurrences.flatMap((own, host) => {
    const root = roots[host] ?? null;
    const holding = root === null
      ? []
      : state.sections.directories.filter((d) =>
        (d.host === 0 || d.host === host) && d.path !== null && contains(d.path, root)
      ).sort((a, b) => a.path!.length - b.path!.length);
    for (const d of holding) applied.add(d);
    return [...own, ...holding.flatMap((d) => d.occurrences)].map((o) => ({ ...o, host }));
  });
  for (const d of state.sections.directories) {
    // Its access lines, Options and DirectoryIndex apply to what it holds; its other host
    // settings only with a DocumentRoot it holds.
    const perDirectory = d.kind === "Directory" || d.kind === "DirectoryMatch";
    const hostOnly = d.occurrences.filter((o) =>
      !perDirectory || (o.name !== "Options" && o.name !== "DirectoryIndex")
    );
    if (!applied.has(d) && hostOnly.length > 0) {
      const reason = d.path === null
        ? `mpmd applies ${
          perDirectory ? "them" : "host settings"
        } only from a <Directory> holding a DocumentRoot`
        : `it holds no DocumentRoot (${
          [...new Set(roots.filter((r) => r !== null))].join(", ")
        }), the only directories mpmd applies them to`;
      warn(
        state,
        d.at,
        `Ignoring ${hostOnly.map((o) => o.name).join(", ")} in <${d.kind} ${d.written}>: ${reason}`,
      );
    }
    state.warnings.push(...d.warnings);
    for (const u of d.unimplemented) unimplemented(state, u.name, u.at);
  }
  return occurrences;
}

/** The access section a path section makes, or `null` when it says nothing about access. */
function accessOf(
  kind: PathSectionKind,
  pattern: string,
  section: DirectorySection | LocationSection,
): Occurrence | null {
  if (Object.keys(section.access).length === 0) return null;
  return occurrence(kind, { [pattern]: section.access }, section.at);
}

/** The Status occurrence of a `<Location>` with `SetHandler server-status`, or `null`. */
function statusOf(state: ReaderState, location: LocationSection): Occurrence | null {
  state.warnings.push(...location.warnings);
  for (const u of location.unimplemented) unimplemented(state, u.name, u.at);
  if (location.handler === null) return null;
  if (location.handler !== "server-status" || location.kind !== "Location") {
    warn(
      state,
      location.at,
      `Ignoring SetHandler ${location.handler} in <${location.kind} ${location.path}>: mpmd implements SetHandler server-status in a <Location> only`,
    );
    return null;
  }
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
  switch (ctx.kind) {
    case "server":
      return "the main server";
    case "vhost":
      return "<VirtualHost>";
    case "directory":
      return `<${ctx.section.kind} ${ctx.section.written}>`;
    case "location":
      return `<${ctx.section.kind} ${ctx.section.path}>`;
    case "require":
      return `<${ctx.name}>`;
    case "balancer":
      return `<Proxy ${ctx.written}>`;
  }
}
