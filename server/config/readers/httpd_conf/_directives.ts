/**
 * One httpd.conf directive line: the reader's own directives (Define, UnDefine, Include,
 * IncludeOptional, LoadModule), httpd spellings that mpmd writes differently (TransferLog, a
 * LogFormat without nickname), and where each implemented directive may
 * appear. Values are passed on as httpd argument text, to be parsed by mpmd's directive tables.
 *
 * @module
 */

import { MPM_DIRECTIVES } from "../../../../mpm/mod.ts";
import { resolve } from "node:path";
import { didYouMeanHint } from "../../../../base/mod.ts";
import {
  DIRECTORY_DIRECTIVE_NAMES,
  HOST_DIRECTIVE_NAMES,
  implementedName,
  isHttpdDirective,
  KNOWN_NAMES,
} from "./_directive_names.ts";
import {
  BUILTIN_MODULES,
  HTTPD_MODULE_IDS,
  isMpmModuleId,
  LOADABLE_MODULES,
  MPM_MODULES,
  mpmOfModule,
} from "../../httpd_syntax/mod.ts";
import {
  fail,
  occurrence,
  quoteArg,
  type ReaderState,
  unimplemented,
  warn,
} from "./_reader_state.ts";
import { type Context, describeContext, type LocationSection, words } from "./_sections.ts";
import {
  type ConfigLocation,
  DirectiveValueError,
  formatLocation,
  isIgnoredIndexOption,
  MPM_NAMES,
  parseAllowOverride,
  parseRequireLine,
  SSL_LEFT_TO_LIBRARY,
} from "../../mod.ts";

/** One directive line, variables already replaced. */
export interface DirectiveLine {
  readonly name: string;
  readonly args: string;
  readonly at: ConfigLocation;
}

/** What a directive may ask of the reader. */
export interface DirectiveHooks {
  /** Reads the files an Include names, in the current context. */
  include(kind: "Include" | "IncludeOptional", pattern: string): void;
}

/** Directives httpd allows only in the main server (plus every MPM directive). */
const SERVER_ONLY = new Set([
  "Listen",
  "ServerRoot",
  "PidFile",
  "ExtendedStatus",
  ...MPM_NAMES.flatMap((m) => MPM_DIRECTIVES[m].map((d) => d.name)),
]);

/**
 * Directive values that already describe what mpmd does, read without a warning: mpmd allows
 * no directive by name in access files, does no reverse DNS lookups, and authenticates from
 * files only.
 */
const SAME_AS_MPMD: readonly { readonly name: string; readonly value: RegExp }[] = [
  { name: "allowoverridelist", value: /^none$/i },
  { name: "hostnamelookups", value: /^off$/i },
  { name: "authbasicprovider", value: /^file$/i },
];

/** {@link SSL_LEFT_TO_LIBRARY} by lower-case name. */
const LEFT_TO_LIBRARY = new Map(
  Object.entries(SSL_LEFT_TO_LIBRARY).map(([name, why]) => [name.toLowerCase(), { name, why }]),
);

/** Reads one directive line in its context. */
export function readDirective(
  state: ReaderState,
  line: DirectiveLine,
  ctx: Context,
  hooks: DirectiveHooks,
): void {
  const lower = line.name.toLowerCase();
  if (lower === "define" || lower === "undefine") return define(state, line, lower);
  if (lower === "include" || lower === "includeoptional") {
    const kind = lower === "include" ? "Include" : "IncludeOptional";
    const args = words(line.args);
    if (args === null || args.length !== 1) {
      fail(state, line.at, kind, `Cannot use ${kind}: it takes one file, directory or wildcard`);
    } else hooks.include(kind, args[0]!);
    return;
  }
  if (lower === "loadmodule") {
    if (ctx.kind === "server") loadModule(state, line);
    else notHere(state, "LoadModule", line.at, ctx);
    return;
  }
  if (lower === "mpm") {
    return fail(
      state,
      line.at,
      "MPM",
      "Cannot use MPM in httpd.conf: load the MPM instead (LoadModule mpm_event_module modules/mod_mpm_event.so)",
    );
  }
  if (!isHttpdDirective(line.name) && state.foreignModules.length === 0) {
    // httpd's own words, and a hint.
    return fail(
      state,
      line.at,
      line.name,
      `Invalid command '${line.name}', perhaps misspelled or defined by a module not included in the server configuration${
        didYouMeanHint(line.name, KNOWN_NAMES)
      }`,
    );
  }
  if (lower === "allowoverride") return allowOverride(state, line, ctx);
  if (ctx.kind === "balancer") return balancerDirective(state, line, ctx);
  if (ctx.kind === "directory" || ctx.kind === "location" || ctx.kind === "require") {
    if (accessDirective(state, line, ctx)) return;
  }
  if (ctx.kind === "location" && implementedName(line.name) === null) {
    return locationDirective(line, ctx.section);
  }
  if (SAME_AS_MPMD.some((s) => s.name === lower && s.value.test(line.args))) return;
  const leftToLibrary = LEFT_TO_LIBRARY.get(lower);
  if (leftToLibrary !== undefined) {
    const reason = leftToLibrary.why(line.args.trim());
    if (reason !== null) {
      warn(state, line.at, `${leftToLibrary.name} ${line.args.trim()}: ${reason}`);
    }
    return;
  }
  const name = lower === "transferlog" ? "CustomLog" : implementedName(line.name);
  if (name === null) {
    if (ctx.kind === "directory") {
      ctx.section.unimplemented.push({ name: line.name, at: line.at });
    } else unimplemented(state, line.name, line.at);
    return;
  }
  if (ctx.kind !== "server" && SERVER_ONLY.has(name)) return notHere(state, name, line.at, ctx);
  if (ctx.kind === "location" && PROXY_LOCATION_FORMS.has(name)) {
    return proxyInLocation(state, { ...line, name }, ctx.section);
  }
  const value = valueOf(state, lower, name, line);
  if (value === null) return;
  const o = occurrence(name, value, line.at);
  if (ctx.kind === "server") state.sections.main.push(o);
  else if (ctx.kind === "vhost" && HOST_DIRECTIVE_NAMES.has(name)) {
    state.sections.vhosts[ctx.host - 1]!.occurrences.push(o);
  } else if (ctx.kind === "directory" && DIRECTORY_DIRECTIVE_NAMES.has(name)) {
    ctx.section.occurrences.push(o);
    // Options and DirectoryIndex also apply to the directories the section holds.
    const { access, kind } = ctx.section;
    if (kind === "Directory" || kind === "DirectoryMatch") {
      if (name === "Options") access.Options = line.args;
      // Repeated DirectoryIndex lines add up, as in httpd.
      if (name === "DirectoryIndex") {
        access.DirectoryIndex = [access.DirectoryIndex, line.args].filter(Boolean).join(" ");
      }
    }
  } else if (ctx.kind === "vhost" && BALANCER_DIRECTIVES.has(name)) {
    // Balancers are server-wide in mpmd: one a VirtualHost declares serves every host.
    state.sections.main.push(o);
  } else if (name === "HostnameLookups" && ctx.kind !== "vhost") {
    // Off, the one value mpmd has, was read silently above: another is refused at its own line,
    // in a section as on its host, rather than ignored with a warning.
    const host = ctx.section.host;
    (host === 0 ? state.sections.main : state.sections.vhosts[host - 1]!.occurrences).push(o);
  } else {
    const text = `Ignoring ${name} inside ${describeContext(ctx)}: mpmd sets it ${
      ctx.kind === "vhost"
        ? "for the whole server (write it outside <VirtualHost>)"
        : "per host, not per directory"
    }`;
    if (ctx.kind === "directory") ctx.section.warnings.push(`${formatLocation(line.at)}: ${text}`);
    else warn(state, line.at, text);
  }
}

/** The argument text to hand on, or `null` when the line was consumed here. */
function valueOf(
  state: ReaderState,
  lower: string,
  name: string,
  line: DirectiveLine,
): string | null {
  const args = words(line.args);
  // An unterminated quote is reported by the directive's own parser.
  if (args === null) return line.args;
  if (name === "ServerRoot" && args.length === 1) {
    state.serverRoot = resolve(state.options.defaultServerRoot, args[0]!);
  }
  if (lower === "transferlog") {
    if (args.length !== 1) {
      fail(state, line.at, "TransferLog", "Cannot set TransferLog: it takes one file");
      return null;
    }
    return `${quoteArg(args[0]!)} ${quoteArg(state.transferLogFormat)}`;
  }
  if (name === "LogFormat" && args.length === 1) {
    state.transferLogFormat = args[0]!;
    return null;
  }
  // A stock httpd.conf's own layout: mpmd writes httpd's default one (or JSON) instead.
  if (name === "ErrorLogFormat" && !/^(default|json)$/i.test(line.args.trim())) {
    warn(
      state,
      line.at,
      `Ignoring ErrorLogFormat ${line.args}: mpmd writes httpd's default layout (or json)`,
    );
    return null;
  }
  if (name === "IndexOptions" && args.some(isIgnoredIndexOption)) {
    const ignored = args.filter(isIgnoredIndexOption);
    warn(
      state,
      line.at,
      `Ignoring IndexOptions ${ignored.join(" ")}: mpmd does not implement ${
        ignored.length === 1 ? "it" : "them"
      }`,
    );
    const kept = args.filter((word) => !isIgnoredIndexOption(word));
    return kept.length === 0 ? null : kept.map(quoteArg).join(" ");
  }
  if (name === "CustomLog" && args.length === 3) {
    warn(
      state,
      line.at,
      `Ignoring the condition ${args[2]} of CustomLog ${args[0]}: mpmd logs every request`,
    );
    return `${quoteArg(args[0]!)} ${quoteArg(args[1]!)}`;
  }
  return line.args;
}

function define(state: ReaderState, line: DirectiveLine, lower: "define" | "undefine"): void {
  const written = lower === "define" ? "Define" : "UnDefine";
  const args = words(line.args);
  const max = lower === "define" ? 2 : 1;
  if (args === null || args.length < 1 || args.length > max) {
    const takes = lower === "define" ? "a name and an optional value" : "a name";
    fail(state, line.at, written, `Cannot use ${written}: it takes ${takes}`);
    return;
  }
  const name = args[0]!;
  if (name.includes(":")) {
    fail(state, line.at, written, `Cannot use ${written} ${name}: a variable name cannot hold ":"`);
    return;
  }
  if (lower === "undefine") state.variables.delete(name);
  else state.variables.set(name, args[1] ?? null);
}

/**
 * LoadModule: an MPM's module selects it; a module mpmd has built in is accepted; any other
 * is ignored with a warning, and its `<IfModule>` sections are skipped.
 */
function loadModule(state: ReaderState, line: DirectiveLine): void {
  const args = words(line.args);
  if (args === null || args.length !== 2) {
    fail(
      state,
      line.at,
      "LoadModule",
      "Cannot use LoadModule: it takes a module identifier and a file (LoadModule mpm_event_module modules/mod_mpm_event.so)",
    );
    return;
  }
  const id = args[0]!;
  if (BUILTIN_MODULES.some((m) => m.id === id)) return;
  if (LOADABLE_MODULES.some((m) => m.id === id)) {
    state.loadedModules.add(id);
    return;
  }
  const mpm = mpmOfModule(id);
  if (mpm === null) {
    if (isMpmModuleId(id)) {
      const known = MPM_NAMES.map((m) => MPM_MODULES[m].id).join(", ");
      fail(
        state,
        line.at,
        "LoadModule",
        `Cannot load ${id}: mpmd has no such MPM (it has ${known})`,
      );
    } else {
      if (!HTTPD_MODULE_IDS.has(id)) state.foreignModules.push(id);
      warn(
        state,
        line.at,
        `Ignoring LoadModule ${id}: mpmd does not implement it, so its <IfModule> sections are skipped`,
      );
    }
    return;
  }
  const loaded = state.mpm.loaded;
  if (loaded !== null) {
    if (loaded.mpm === mpm) warn(state, line.at, `Ignoring LoadModule ${id}: it is already loaded`);
    else {
      fail(
        state,
        line.at,
        "LoadModule",
        `Cannot load ${id}: More than one MPM loaded (${loaded.id} at ${
          formatLocation(loaded.at)
        })`,
      );
    }
    return;
  }
  const tested = state.mpm.defaultTestedAt;
  if (tested !== null && mpm !== state.options.mpmFallback) {
    fail(
      state,
      line.at,
      "LoadModule",
      `Cannot load ${id}: the <IfModule> at ${formatLocation(tested)} already took ${
        MPM_MODULES[state.options.mpmFallback].id
      } (the default) as loaded; load the MPM before any <IfModule> that tests one`,
    );
    return;
  }
  state.mpm.loaded = { mpm, id: MPM_MODULES[mpm].id, at: line.at };
  state.sections.main.push(occurrence("MPM", mpm, line.at));
}

/** The directives that define balancers. */
const BALANCER_DIRECTIVES: ReadonlySet<string> = new Set(["BalancerMember", "ProxySet"]);

/**
 * Inside `<Proxy "balancer://name">`: BalancerMember and ProxySet lines name the section's
 * balancer, as httpd's do; other lines are ignored with a warning.
 */
function balancerDirective(
  state: ReaderState,
  line: DirectiveLine,
  ctx: Extract<Context, { kind: "balancer" }>,
): void {
  const name = implementedName(line.name);
  if (name === null || !BALANCER_DIRECTIVES.has(name)) {
    warn(
      state,
      line.at,
      `Ignoring ${line.name} inside ${
        describeContext(ctx)
      }: mpmd reads BalancerMember and ProxySet there`,
    );
    return;
  }
  const value = `balancer://${ctx.name} ${line.args}`;
  state.sections.main.push(occurrence(name, value, line.at));
}

/** Inside `<Location>`: SetHandler and Require make a status page; the rest is ignored. */
function locationDirective(line: DirectiveLine, section: LocationSection): void {
  const lower = line.name.toLowerCase();
  const args = words(line.args) ?? [];
  if (lower === "sethandler" && args.length === 1) {
    section.handler = args[0]!.toLowerCase();
    return;
  }
  section.unimplemented.push({ name: line.name, at: line.at });
}

/** mod_proxy's directives whose `<Location>` form leaves out the path: the section gives it. */
const PROXY_LOCATION_FORMS: ReadonlySet<string> = new Set([
  "ProxyPass",
  "ProxyPassMatch",
  "ProxyPassReverse",
]);

/**
 * A ProxyPass, ProxyPassMatch or ProxyPassReverse line inside `<Location>` (or ProxyPass in
 * `<LocationMatch>`): the host's line with the section's path or pattern as its first argument.
 */
function proxyInLocation(state: ReaderState, line: DirectiveLine, section: LocationSection): void {
  const first = words(line.args)?.[0] ?? "";
  const regex = section.kind === "LocationMatch";
  if (line.name === "ProxyPassReverse" && regex) {
    return fail(
      state,
      line.at,
      line.name,
      `Cannot use ProxyPassReverse inside <LocationMatch ${section.path}>: write "ProxyPassReverse path url" in its host`,
    );
  }
  if (first.startsWith("/")) {
    return fail(
      state,
      line.at,
      line.name,
      `Cannot use ${line.name} with a path inside <${section.kind} ${section.path}>: the section gives the path (${line.name} url)`,
    );
  }
  const name = line.name === "ProxyPassReverse"
    ? line.name
    : regex
    ? "ProxyPassMatch"
    : "ProxyPass";
  const o = occurrence(name, `${quoteArg(section.path)} ${line.args}`, line.at);
  const host = section.host;
  (host === 0 ? state.sections.main : state.sections.vhosts[host - 1]!.occurrences).push(o);
}

/** The access body keys by the lower-case directive name. */
const ACCESS_KEYS = {
  authtype: "AuthType",
  authname: "AuthName",
  authuserfile: "AuthUserFile",
} as const;

/**
 * Takes a Require, AuthType, AuthName or AuthUserFile line of a path section into its access
 * body (a Require line checked here, so that a mistake names its own line); `false` for any
 * other line. Inside `<RequireAll>` and the like only Require lines may be.
 */
function accessDirective(
  state: ReaderState,
  line: DirectiveLine,
  ctx: Extract<Context, { kind: "directory" | "location" | "require" }>,
): boolean {
  const lower = line.name.toLowerCase();
  if (lower === "require") {
    try {
      parseRequireLine(line.args);
    } catch (e) {
      if (!(e instanceof DirectiveValueError)) throw e;
      fail(state, line.at, "Require", `Cannot use Require: ${e.message}`);
      return true;
    }
    const list = ctx.kind === "require" ? ctx.list : (ctx.section.access.Require ??= []);
    list.push(line.args);
    if (ctx.section.kind === "Location") statusAllow(ctx.section as LocationSection, line.args);
    return true;
  }
  if (ctx.kind === "require") {
    fail(
      state,
      line.at,
      line.name,
      `Cannot use ${line.name} inside ${describeContext(ctx)}: it holds Require lines only`,
    );
    return true;
  }
  const key = ACCESS_KEYS[lower as keyof typeof ACCESS_KEYS];
  if (key === undefined) return false;
  ctx.section.access[key] = line.args;
  return true;
}

/** What a status page's Require line lets read it: its Allow words (none for a denial). */
function statusAllow(section: LocationSection, args: string): void {
  const allow = (section.allow ??= []);
  const [kind = "", ...rest] = words(args) ?? [];
  const k = kind.toLowerCase();
  if (k === "local" && rest.length === 0) allow.push("local");
  else if (k === "ip" && rest.length > 0) allow.push(...rest);
  else if (k === "all" && /^granted$/i.test(rest[0] ?? "")) allow.push("all");
}

/** AllowOverride: only in a `<Directory>` without a regular expression, as httpd allows it. */
function allowOverride(state: ReaderState, line: DirectiveLine, ctx: Context): void {
  if (ctx.kind !== "directory" || ctx.section.kind !== "Directory") {
    return fail(
      state,
      line.at,
      "AllowOverride",
      `AllowOverride not allowed here: httpd takes it only inside a <Directory> section without a regular expression, not in ${
        describeContext(ctx)
      }`,
    );
  }
  try {
    parseAllowOverride(line.args);
  } catch (e) {
    if (!(e instanceof DirectiveValueError)) throw e;
    return fail(state, line.at, "AllowOverride", `Cannot set AllowOverride: ${e.message}`);
  }
  ctx.section.access.AllowOverride = line.args;
}

function notHere(state: ReaderState, name: string, at: ConfigLocation, ctx: Context): void {
  fail(
    state,
    at,
    name,
    `Cannot use ${name} inside ${describeContext(ctx)}: httpd allows it only in the main server`,
  );
}
