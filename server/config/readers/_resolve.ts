/**
 * Turns occurrences into values: finds each one's directive (or reports an unknown name with
 * a suggestion), parses its value, and folds the values of each directive in source order
 * (`-C`, file, `-c`) with the directive's `combine`. ServerRoot and MPM are settled first,
 * because paths resolve against the one and MPM directives on the command line go to the
 * other.
 *
 * @module
 */

import { resolve } from "node:path";
import { MPM_DIRECTIVES } from "../../../mpm/mod.ts";
import { didYouMeanHint } from "../../../base/mod.ts";
import {
  type Occurrence,
  type Section,
  type Source,
  SOURCES,
  type UndefinedVariable,
  type VirtualHostDeclaration,
} from "./_occurrence.ts";
import {
  type CombineScope,
  ConfigError,
  type ConfigLocation,
  type Directive,
  type DirectiveContext,
  DirectiveValueError,
  formatLocation,
  HOST_DIRECTIVES,
  MPM_NAMES,
  type MpmName,
  type MpmSource,
  parseVirtualHostAddresses,
  PATH_SECTION_KINDS,
  SERVER_DIRECTIVES,
  type VirtualHostAddress,
} from "../mod.ts";

/** Every core directive: the server-wide ones, then the per-host ones. */
export const CORE_DIRECTIVES: readonly Directive<unknown>[] = [
  ...Object.values(SERVER_DIRECTIVES),
  ...Object.values(HOST_DIRECTIVES),
];

/** What {@link resolveDirectives} needs besides the occurrences. */
export interface ResolveOptions {
  /** ServerRoot when no source sets it: the config file's directory. */
  readonly defaultServerRoot: string;
  /** `--mpm`, which beats `MPM:`. */
  readonly mpmOverride: MpmName | null;
  /** The MPM used when neither `--mpm` nor `MPM:` chooses. */
  readonly platformDefaultMpm: MpmName;
}

/** A virtual host's addresses and the values of its host directives. */
export interface VirtualHostResolution {
  readonly addresses: readonly VirtualHostAddress[];
  /** Where it was declared. */
  readonly at: ConfigLocation;
  /** Host directive name → value: its own, merged with or else the main server's. */
  readonly values: ReadonlyMap<string, unknown>;
  /** Host directive name → where the value in force was set (absent at the default). */
  readonly locations: Readonly<Record<string, ConfigLocation>>;
}

/**
 * Host directives whose value in a virtual host adds to the main server's rather than
 * replaces it, and how: the main server's Options, AddType and AddCharset are adjusted by the
 * host's (httpd's per-directory and mime merges); the host's redirects are tried before the
 * main server's (mod_alias's merge); IndexOptions is inherited by the directive's own rule
 * (`combine` with the "virtual host" scope: mod_autoindex's merge).
 */
const MERGED_INTO_VIRTUAL_HOST: ReadonlyMap<string, "main first" | "host first" | "inherited"> =
  new Map<string, "main first" | "host first" | "inherited">([
    ["Options", "main first"],
    ["IndexOptions", "inherited"],
    ["IndexIgnore", "main first"],
    ["AddType", "main first"],
    ["AddCharset", "main first"],
    ["Redirect", "host first"],
    ["RedirectMatch", "host first"],
    ["RedirectPermanent", "host first"],
    ["RedirectTemp", "host first"],
    ["Alias", "host first"],
    ["AliasMatch", "host first"],
    ["ScriptAlias", "host first"],
    ["ErrorDocument", "main first"],
    ["Header", "main first"],
    ["RequestHeader", "main first"],
    ["AddOutputFilterByType", "main first"],
    // mod_proxy's merge: a virtual host's own mappings are tried first.
    ["ProxyPass", "host first"],
    ["ProxyPassMatch", "host first"],
    ["ProxyPassReverse", "host first"],
    ["ProxyPassReverseCookieDomain", "host first"],
    ["ProxyPassReverseCookiePath", "host first"],
    // httpd appends a virtual host's sections to the main server's.
    ...PATH_SECTION_KINDS.map((kind) => [kind, "main first"] as const),
  ]);

/** The values of every directive, and what went wrong on the way. */
export interface Resolution {
  readonly serverRoot: string;
  readonly mpm: MpmName;
  /** What chose {@link mpm}. */
  readonly mpmChosenBy: MpmSource;
  /** Core directive name → its value, the default when no source sets it. */
  readonly core: ReadonlyMap<string, unknown>;
  /** The active MPM's directives with defaults filled in. */
  readonly mpmDirectives: Readonly<Record<string, number>>;
  /** The active virtual hosts, in the order declared. */
  readonly virtualHosts: readonly VirtualHostResolution[];
  /**
   * Directive name (core, or the active MPM's) → where its value was last set; absent when
   * left at its default.
   */
  readonly locations: Readonly<Record<string, ConfigLocation>>;
  /** Directives (`Listen`, `prefork StartServers`) with a refused value in force. */
  readonly failed: readonly string[];
  readonly errors: readonly ConfigError[];
  readonly warnings: readonly string[];
}

interface Parsed {
  readonly key: string;
  readonly value: unknown;
  readonly source: Source;
  /** 0: the main server; k: the k-th virtual host of its source. */
  readonly host: number;
  readonly active: boolean;
  readonly at: ConfigLocation;
}

/** What parsing a value depends on besides the occurrence and its directive. */
interface ParseScope {
  readonly serverRoot: string;
  /** The MPM whose section is in force, or `null` before it is settled. */
  readonly activeMpm: MpmName | null;
}

interface Target {
  readonly key: string;
  readonly directive: Directive<unknown>;
  /** Set when the value is only checked, then ignored with this warning. */
  readonly ignoredBecause?: string;
}

const CORE_BY_NAME = new Map(CORE_DIRECTIVES.map((d) => [d.name, d]));
const HOST_BY_NAME = new Map(
  (Object.values(HOST_DIRECTIVES) as Directive<unknown>[]).map((d) => [d.name, d]),
);
const ALL_MPM_DIRECTIVE_NAMES = [
  ...new Set(MPM_NAMES.flatMap((m) => MPM_DIRECTIVES[m].map((d) => d.name))),
];

/**
 * Parses and folds every occurrence; problems are collected, never thrown. `virtualHosts` are
 * the config file's declarations (only the file declares hosts).
 */
export function resolveDirectives(
  occurrences: readonly Occurrence[],
  options: ResolveOptions,
  virtualHosts: readonly VirtualHostDeclaration[] = [],
): Resolution {
  const errors: ConfigError[] = [];
  const warnings: string[] = [];
  const failed = new Set<string>();

  const parse = (o: Occurrence, target: Target, scope: ParseScope): Parsed | null => {
    const { serverRoot, activeMpm } = scope;
    if (o.undefinedVariables.length > 0) {
      // The value cannot be checked; it is an error only where it would be in force.
      const inForce = o.active && (isMainSection(o.section) || o.section === activeMpm);
      if (target.ignoredBecause !== undefined) {
        warnings.push(`${formatLocation(o.at)}: ${target.ignoredBecause}`);
      } else if (inForce) {
        errors.push(...o.undefinedVariables.map((v) => undefinedVariableError(target, v)));
        failed.add(target.key);
      }
      return null;
    }
    try {
      const value = target.directive.parse(o.value, contextFor(o, serverRoot));
      if (target.ignoredBecause !== undefined) {
        warnings.push(`${formatLocation(o.at)}: ${target.ignoredBecause}`);
        return null;
      }
      return {
        key: target.key,
        value,
        source: o.source,
        host: o.host,
        active: o.active,
        at: o.at,
      };
    } catch (e) {
      if (!(e instanceof DirectiveValueError)) throw e;
      const directive = target.directive.name;
      const itemLine = e.item === null ? null : o.itemLines[e.item] ?? null;
      const at = itemLine === null ? o.at : { ...o.at, line: itemLine, column: null };
      errors.push(
        new ConfigError({ at, directive, detail: `Cannot set ${directive}: ${e.message}` }),
      );
      if (o.active && target.ignoredBecause === undefined) failed.add(target.key);
      return null;
    }
  };

  const isEarly = (o: Occurrence) =>
    o.host === 0 && isMainSection(o.section) &&
    (o.name === "ServerRoot" || o.name === "MPM");
  const early = occurrences.filter(isEarly).flatMap((o) => {
    const target = { key: o.name, directive: CORE_BY_NAME.get(o.name)! };
    // Only main sections are early: no MPM section is in question yet.
    return parse(o, target, { serverRoot: options.defaultServerRoot, activeMpm: null }) ?? [];
  });
  // Its default "." becomes the config file's directory; a written one is already absolute.
  const serverRoot = resolve(
    options.defaultServerRoot,
    fold(SERVER_DIRECTIVES.ServerRoot, early.filter((p) => p.key === "ServerRoot")),
  );
  const written = fold(SERVER_DIRECTIVES.MPM, early.filter((p) => p.key === "MPM"));
  const [mpm, mpmChosenBy]: [MpmName, MpmSource] = options.mpmOverride !== null
    ? [options.mpmOverride, "--mpm"]
    : written !== null
    ? [written, "MPM directive"]
    : [options.platformDefaultMpm, "platform default"];

  const parsed = [...early];
  for (const o of occurrences) {
    if (isEarly(o)) continue;
    const target = findTarget(o, mpm);
    if (target instanceof ConfigError) errors.push(target);
    else {
      const p = parse(o, target, { serverRoot, activeMpm: mpm });
      if (p) parsed.push(p);
    }
  }

  const locations: Record<string, ConfigLocation> = {};
  /** Folds the values of `key` and records where the one in force was written, as `name`. */
  const settle = <T>(d: Directive<T>, key: string): T => {
    const last = parsed.findLast((p) => p.active && p.key === key && p.host === 0);
    if (last) locations[d.name] = last.at;
    return fold(d, parsed.filter((p) => p.key === key && p.host === 0));
  };
  const core = new Map<string, unknown>();
  for (const d of CORE_DIRECTIVES) core.set(d.name, settle(d, d.name));
  const mpmDirectives: Record<string, number> = {};
  for (const d of MPM_DIRECTIVES[mpm]) mpmDirectives[d.name] = settle(d, `${mpm} ${d.name}`);
  const resolvedHosts = virtualHosts.flatMap((declaration, index) => {
    const host = resolveVirtualHost(declaration, index + 1, { parsed, core, locations });
    if (host instanceof ConfigError) errors.push(host);
    return host instanceof ConfigError || !declaration.active ? [] : [host];
  });
  return {
    serverRoot,
    mpm,
    mpmChosenBy,
    core,
    mpmDirectives,
    virtualHosts: resolvedHosts,
    locations,
    failed: [...failed],
    errors,
    warnings,
  };
}

/** What a virtual host's values are settled against: the main server's. */
interface MainServer {
  readonly parsed: readonly Parsed[];
  readonly core: ReadonlyMap<string, unknown>;
  readonly locations: Readonly<Record<string, ConfigLocation>>;
}

/**
 * A virtual host's addresses and values: a host directive it sets replaces the main server's
 * (or, for {@link MERGED_INTO_VIRTUAL_HOST}, adds to it); one it leaves unset is the main
 * server's.
 */
function resolveVirtualHost(
  declaration: VirtualHostDeclaration,
  host: number,
  main: MainServer,
): VirtualHostResolution | ConfigError {
  let addresses: VirtualHostAddress[];
  try {
    addresses = parseVirtualHostAddresses(declaration.addresses);
  } catch (e) {
    if (!(e instanceof DirectiveValueError)) throw e;
    return new ConfigError({
      at: declaration.at,
      directive: "VirtualHost",
      detail: `Cannot use VirtualHost: ${e.message}`,
    });
  }
  const values = new Map<string, unknown>();
  const locations: Record<string, ConfigLocation> = {};
  for (const d of Object.values(HOST_DIRECTIVES) as Directive<unknown>[]) {
    const own = main.parsed.filter((p) => p.key === d.name && p.host === host && p.active);
    const at = own.at(-1)?.at ?? main.locations[d.name];
    if (at !== undefined) locations[d.name] = at;
    const merge = MERGED_INTO_VIRTUAL_HOST.get(d.name);
    const inMain = () => main.parsed.filter((p) => p.key === d.name && p.host === 0);
    if (own.length === 0) values.set(d.name, main.core.get(d.name));
    else if (merge === undefined) values.set(d.name, fold(d, own));
    else if (merge === "main first") values.set(d.name, fold(d, [...inMain(), ...own]));
    else if (merge === "host first") values.set(d.name, fold(d, [...own, ...inMain()]));
    else values.set(d.name, d.combine!(main.core.get(d.name), fold(d, own), "virtual host"));
  }
  return { addresses, at: declaration.at, values, locations };
}

function undefinedVariableError(target: Target, v: UndefinedVariable): ConfigError {
  const directive = target.directive.name;
  return new ConfigError({
    at: v.at,
    directive,
    detail:
      `Cannot set ${directive}: \${${v.name}} is not defined (set the environment variable ${v.name}, or write \${${v.name}:-default})`,
  });
}

/** Directives that only a path section holds, with the sections that do: a pointed refusal. */
const SECTION_ONLY: ReadonlyMap<string, string> = new Map([
  ["AllowOverride", "Directory"],
  ...["Require", "AuthType", "AuthName", "AuthUserFile"].map((name) =>
    [name, "Directory, Files or Location"] as const
  ),
]);

function findTarget(o: Occurrence, activeMpm: MpmName): Target | ConfigError {
  const error = (detail: string) => new ConfigError({ at: o.at, directive: o.name, detail });
  const sections = SECTION_ONLY.get(o.name);
  if (sections !== undefined) {
    return error(
      `Cannot use ${o.name} here: it belongs inside a ${sections} section, as in httpd (${
        sections.split(",")[0]
      }: { /srv/www: { ${o.name}: … } })`,
    );
  }
  const owners = MPM_NAMES.filter((m) => MPM_DIRECTIVES[m].some((d) => d.name === o.name));
  const mpmTarget = (mpm: MpmName, ignoredBecause?: string): Target => ({
    key: `${mpm} ${o.name}`,
    directive: MPM_DIRECTIVES[mpm].find((d) => d.name === o.name)!,
    ...(ignoredBecause === undefined ? {} : { ignoredBecause }),
  });

  if (o.host > 0) {
    const host = HOST_BY_NAME.get(o.name);
    if (host) return { key: host.name, directive: host };
    if (CORE_BY_NAME.has(o.name) || owners.length > 0) {
      return error(
        `Cannot use ${o.name} in a VirtualHost: it applies to the whole server (set it at the top level)`,
      );
    }
    return error(
      `Cannot use ${o.name}: unknown directive${
        didYouMeanHint(o.name, [...HOST_BY_NAME.keys(), "Address"])
      }`,
    );
  }
  if (isMainSection(o.section)) {
    const core = CORE_BY_NAME.get(o.name);
    if (core) return { key: core.name, directive: core };
    if (owners.length === 0) {
      const candidates = [...CORE_BY_NAME.keys(), ...ALL_MPM_DIRECTIVE_NAMES];
      if (o.section === "top level") candidates.push("IfDefine", ...MPM_NAMES);
      return error(`Cannot use ${o.name}: unknown directive${didYouMeanHint(o.name, candidates)}`);
    }
    if (o.section === "top level") {
      return error(
        `Cannot use ${o.name} at the top level: it belongs in an MPM section (${
          owners.join(", ")
        })`,
      );
    }
    if (owners.includes(activeMpm)) return mpmTarget(activeMpm);
    return mpmTarget(
      owners[0]!,
      `Ignoring ${o.name}: it is a directive of ${
        owners.join(", ")
      }, not of the active MPM (${activeMpm})`,
    );
  }

  const section = o.section;
  if (owners.includes(section)) return mpmTarget(section);
  if (owners.length > 0) {
    return mpmTarget(
      owners[0]!,
      `Ignoring ${o.name} in the ${section} section: it is a directive of ${owners.join(", ")}`,
    );
  }
  if (CORE_BY_NAME.has(o.name)) {
    return error(
      `Cannot use ${o.name} in the ${section} section: it is a core directive (set it at the top level)`,
    );
  }
  const names = MPM_DIRECTIVES[section].map((d) => d.name);
  return error(
    `Cannot use ${o.name}: unknown ${section} directive${didYouMeanHint(o.name, names)}`,
  );
}

/** Sections where an MPM directive, if allowed at all, applies to the active MPM. */
function isMainSection(
  section: Section,
): section is "top level" | "command line" | "server config" {
  return section === "top level" || section === "command line" || section === "server config";
}

/**
 * Folds the active values of one directive (`parsed` holds its values only) in source order,
 * starting from its default.
 */
function fold<T>(d: Directive<T>, parsed: readonly Parsed[]): T {
  const join = (earlier: T, later: T, scope: CombineScope): T =>
    d.combine ? d.combine(earlier, later, scope) : later;
  let value = d.default;
  for (const source of SOURCES) {
    // Parsed values were produced by this very directive's parse(), so they are Ts.
    const values = parsed
      .filter((p) => p.active && p.source === source)
      .map((p) => p.value as T);
    if (values.length === 0) continue;
    value = join(value, values.reduce((a, b) => join(a, b, "same source")), "later source");
  }
  return value;
}

function contextFor(o: Occurrence, serverRoot: string): DirectiveContext {
  const origin = formatLocation(o.at);
  return {
    serverRoot,
    syntax: o.syntax,
    origin,
    itemOrigin(index) {
      const line = o.itemLines[index];
      return line === null || line === undefined ? origin : formatLocation({ ...o.at, line });
    },
  };
}
