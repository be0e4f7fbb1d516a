/**
 * Reads a configuration from YAML or httpd.conf text and the `-C` / `-c` arguments into a
 * validated {@link ServerConfig}, reporting every problem at once. No I/O: the caller reads the
 * file and may pass a directory check, the files an httpd.conf includes and the environment.
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { buildConfig } from "./_build_config.ts";
import { checkConfig, locateClampWarning } from "./check_config.ts";
import type { ClampWarning } from "../../../mpm/mod.ts";
import { readArgs } from "./_read_args.ts";
import { readYaml } from "./_read_yaml.ts";
import { checkTls } from "./_check_tls.ts";
import { protocolWarnings } from "./_check_protocols.ts";
import { type Resolution, resolveDirectives } from "./_resolve.ts";
import { LOADABLE_MODULES } from "../httpd_syntax/mod.ts";
import type { ReadResult } from "./_occurrence.ts";
// Not "./httpd_conf/mod.ts": it re-exports this file's types, importing it back.
import {
  ConfigError,
  ConfigErrors,
  type ConfigLocation,
  formatLocation,
  type ListenAddress,
  MPM_NAMES,
  type MpmName,
  parseHtpasswd,
  parseMimeTypes,
  type RunAs,
  type ServerConfig,
} from "../mod.ts";
import {
  type ConfigSyntax,
  configSyntaxOf,
  type HttpdConfFiles,
  readHttpdConf,
} from "./httpd_conf/mod.ts";

/** Where and how a configuration is read. */
export interface ParseConfigOptions {
  /** Absolute path of the config file, or `null` for the embedded default. */
  readonly file: string | null;
  /**
   * How messages name the file (the path as the user typed it).
   * @default {file ?? "embedded default"}
   */
  readonly fileLabel?: string;
  /**
   * Whether messages give the lines of a YAML text: not for one the user never saw (the
   * configuration `mpmd DIR` and `mpmd app.ts` make).
   * @default {true}
   */
  readonly lines?: boolean;
  /**
   * ServerRoot when the config sets none; required when `file` is `null`.
   * @default {dirname(file)}
   */
  readonly defaultServerRoot?: string;
  /**
   * `-D` names, for IfDefine.
   * @default {[]}
   */
  readonly defines?: readonly string[];
  /**
   * `-C` arguments (`"KeepAlive Off"`), applied before the file: the file wins.
   * @default {[]}
   */
  readonly directivesBefore?: readonly string[];
  /**
   * `-c` arguments, applied after the file: they win; a `-c` Listen replaces the file's list.
   * @default {[]}
   */
  readonly directivesAfter?: readonly string[];
  /** `--mpm`: beats `MPM:` and the platform default. */
  readonly mpmOverride?: MpmName;
  /** The MPM used when neither `--mpm` nor `MPM:` chooses. */
  readonly platformDefaultMpm: MpmName;
  /**
   * Says why a DocumentRoot cannot be served (`"no such directory"`), or returns `null` when
   * it can. Omitted: DocumentRoot is not checked.
   */
  readonly checkDirectory?: (path: string) => string | null;
  /**
   * Says why an App module cannot be loaded (`"no such file"`), or returns `null` when it
   * can. Omitted: App modules are not checked.
   */
  readonly checkFile?: (path: string) => string | null;
  /**
   * The user and group database, for User and Group. Omitted: they are not looked up, and the
   * configuration runs as whoever starts it.
   */
  readonly accounts?: Accounts;
  /**
   * Reads a file a directive names (an AuthUserFile, the TypesConfig): its text, or why it
   * cannot be read. Omitted: user files are not checked and TypesConfig is not read.
   */
  readonly readFile?: (path: string) => string | { readonly problem: string };
  /**
   * Says why a file the server writes (ErrorLog, a CustomLog, the PidFile) cannot be written
   * (`"no such directory /var/log/mpmd"`), or returns `null` when it can. Omitted: not checked.
   */
  readonly checkWritable?: (path: string) => string | null;
  /**
   * The permission bits of a file (a private key that everyone may read deserves a warning),
   * or `null` when unknown. Omitted: not checked.
   */
  readonly fileMode?: (path: string) => number | null;
  /**
   * The time certificates are checked against.
   * @default {new Date()}
   */
  readonly now?: Date;
  /**
   * How the text is written.
   * @default {configSyntaxOf(file, text)}
   */
  readonly syntax?: ConfigSyntax;
  /**
   * Reads the files an httpd.conf includes.
   * @default {no files: every Include finds nothing}
   */
  readonly files?: HttpdConfFiles;
  /**
   * `--port` and `--host`: they replace every Listen address, with one.
   * @default {none: Listen decides}
   */
  readonly listen?: ListenOverride;
  /**
   * Environment variables: the values of `${NAME}` in YAML and `-C` / `-c` arguments, and in
   * httpd.conf after its Defines.
   * @default {none}
   */
  readonly env?: (name: string) => string | undefined;
}

/** A validated configuration and the warnings worth logging at startup. */
export interface LoadedConfig {
  /** The validated configuration. */
  readonly config: ServerConfig;
  /** Each as `<file>:<line>: <text>`. */
  readonly warnings: readonly string[];
  /** How the config file was written (the embedded default is YAML). */
  readonly syntax: ConfigSyntax;
  /** Defined names (`-D`, httpd.conf's `Define`) → value, or `null` for a name without one. */
  readonly variables: Readonly<Record<string, string | null>>;
  /**
   * Where a directive was written, for checks made after reading (`-t` loading App modules):
   * its file and line, or the file alone for one that was not written.
   */
  placeOf(directive: string): ConfigLocation;
  /**
   * An MPM clamping warning as {@link warnings} gives them, for a check made again after
   * reading (a restart checks the MPM's values against the running server's).
   */
  locate(warning: ClampWarning): string;
}

/** The user and group database, as `platform/` reads it. */
export interface Accounts {
  /** The account `name` names (`www-data`, `#33`): its uid and primary gid, or `null`. */
  user(name: string): { readonly uid: number; readonly gid: number } | null;
  /** The gid of group `name` (`www-data`, `#33`), or `null`. */
  group(name: string): number | null;
}

/** `--port` and `--host`: what replaces the Listen addresses (the first one gives the rest). */
export interface ListenOverride {
  /** The port; the first Listen address's when absent. */
  readonly port?: number;
  /** The numeric address; the first Listen address's when absent. */
  readonly hostname?: string;
}

/**
 * The one address `override` makes of `listen`: what it leaves out comes from the first
 * Listen address (127.0.0.1:8080 when there is none).
 */
function overriddenListen(
  listen: readonly ListenAddress[],
  override: ListenOverride,
): ListenAddress[] {
  const first = listen[0] ?? { hostname: "127.0.0.1", port: 8080, protocol: "http" };
  const flags = [
    ...(override.port !== undefined ? ["--port"] : []),
    ...(override.hostname !== undefined ? ["--host"] : []),
  ];
  return [{
    hostname: override.hostname ?? first.hostname,
    port: override.port ?? first.port,
    protocol: first.protocol,
    origin: `${flags.join(" and ")} argument`,
  }];
}

/**
 * Reads, validates and fills in a configuration.
 *
 * @throws {ConfigErrors} listing every problem found, each with its file and line.
 * @throws {TypeError} when `file` is `null` and no `defaultServerRoot` is given.
 */
export function parseConfigText(text: string, options: ParseConfigOptions): LoadedConfig {
  const label = options.fileLabel ?? options.file ?? "embedded default";
  const defaultServerRoot = options.defaultServerRoot ??
    (options.file === null ? undefined : dirname(options.file));
  if (defaultServerRoot === undefined) {
    throw new TypeError("Cannot parse the embedded config: defaultServerRoot is required");
  }
  const defines = [...(options.defines ?? [])];
  const syntax = options.syntax ?? configSyntaxOf(options.file, text);
  const env = options.env ?? NO_ENV;
  const before = readArgs(options.directivesBefore ?? [], { source: "before", env });
  const after = readArgs(options.directivesAfter ?? [], { source: "after", env });
  const mpmOverride = options.mpmOverride ?? null;
  const fileRead = syntax === "yaml"
    ? {
      ...readYaml(text, { file: label, lines: options.lines ?? true, defines, env }),
      variables: null,
      loadedModules: LOADABLE_MODULES.map((m) => m.id),
    }
    : readHttpdConf(text, {
      file: options.file ?? resolve(defaultServerRoot, label),
      fileLabel: label,
      defaultServerRoot,
      defines,
      env,
      files: options.files ?? NO_FILES,
      // What the command line says about the MPM, so that <IfModule> tests the one that runs.
      mpmOverride: mpmOverride ?? writtenMpm(after) ?? null,
      mpmFallback: writtenMpm(before) ?? options.platformDefaultMpm,
    });
  const reads = [before, fileRead, after];
  const errors: ConfigError[] = reads.flatMap((r) => r.errors);
  const warnings = reads.flatMap((r) => r.warnings);
  if (reads.some((r) => !r.complete)) throw new ConfigErrors(errors, warnings);

  const resolution = resolveDirectives(reads.flatMap((r) => r.occurrences), {
    defaultServerRoot,
    mpmOverride: options.mpmOverride ?? null,
    platformDefaultMpm: options.platformDefaultMpm,
  }, fileRead.virtualHosts);
  errors.push(...resolution.errors);
  warnings.push(...resolution.warnings);

  const fileLocation: ConfigLocation = { file: label, line: null, column: null };
  let config = buildConfig(resolution, {
    file: options.file,
    defines,
    loadedModules: fileRead.loadedModules,
  });
  if (options.listen !== undefined) {
    config = { ...config, listen: overriddenListen(config.listen, options.listen) };
  }
  try {
    const checked = checkConfig({
      config,
      locations: resolution.locations,
      file: fileLocation,
      failed: resolution.failed,
    });
    config = checked.config;
    warnings.push(...checked.warnings);
  } catch (e) {
    if (!(e instanceof ConfigErrors)) throw e;
    errors.push(...e.errors);
  }

  // Each host's directives were set where its own locations say (the main server's first).
  const hostLocations = [resolution.locations, ...resolution.virtualHosts.map((h) => h.locations)];
  const reported = new Set<string>();
  const reportOnce = (error: ConfigError) => {
    if (reported.has(error.message)) return;
    reported.add(error.message);
    errors.push(error);
  };
  const rootFailed = ["ServerRoot", "DocumentRoot"].some((d) => resolution.failed.includes(d));
  if (options.checkDirectory && !rootFailed) {
    config.hosts.forEach((host, i) => {
      const at = hostLocations[i]?.["DocumentRoot"];
      // An App on / answers every request: an unset DocumentRoot is never read. Nor is the
      // main server's when virtual hosts take the connections (Debian's layout): httpd starts.
      if (at === undefined && host.apps.some((app) => app.location === "/")) return;
      if (at === undefined && i === 0 && config.hosts.length > 1) return;
      const problem = options.checkDirectory!(host.documentRoot);
      if (problem === null) return;
      const hint = at === undefined ? " (the default; set DocumentRoot)" : "";
      reportOnce(
        new ConfigError({
          at: at ?? fileLocation,
          directive: "DocumentRoot",
          detail: `Cannot use DocumentRoot ${host.documentRoot}: ${problem}${hint}`,
        }),
      );
    });
  }
  const appsFailed = ["ServerRoot", "App"].some((d) => resolution.failed.includes(d));
  if (options.checkFile && !appsFailed) {
    config.hosts.forEach((host, i) => {
      const at = hostLocations[i]?.["App"];
      if (at === undefined) return;
      for (const app of host.apps) {
        const problem = options.checkFile!(app.module);
        if (problem === null) continue;
        reportOnce(
          new ConfigError({
            at,
            directive: "App",
            detail: `Cannot load app module ${app.module}: ${problem}`,
          }),
        );
      }
    });
  }
  if (options.readFile && !resolution.failed.includes("ServerRoot")) {
    errors.push(...userFileErrors(config, hostLocations, options.readFile, fileLocation));
    const typesPath = resolution.core.get("TypesConfig") as string | null;
    if (typesPath !== null && !resolution.failed.includes("TypesConfig")) {
      const text = options.readFile(typesPath);
      if (typeof text === "string") {
        config = { ...config, typesConfig: { path: typesPath, types: parseMimeTypes(text) } };
      } else {
        errors.push(
          new ConfigError({
            at: resolution.locations["TypesConfig"] ?? fileLocation,
            directive: "TypesConfig",
            detail: `Cannot use TypesConfig ${typesPath}: ${text.problem}`,
          }),
        );
      }
    }
  }
  if (options.accounts !== undefined) {
    const runAs = lookUpAccounts(resolution, options.accounts, fileLocation);
    if (runAs instanceof ConfigError) errors.push(runAs);
    else config = { ...config, runAs };
  }
  // No CGI: the URL paths of ScriptAlias are refused rather than served from the disk.
  config.hosts.forEach((host, i) => {
    const at = hostLocations[i]?.["ScriptAlias"] ?? fileLocation;
    for (const alias of host.aliases.filter((a) => a.kind === "script")) {
      const text = `${
        formatLocation(at)
      }: ScriptAlias ${alias.match}: mpmd runs no CGI programs; requests under it are answered 403 Forbidden`;
      if (!warnings.includes(text)) warnings.push(text);
    }
  });
  const tls = checkTls({
    config,
    hostLocations,
    file: fileLocation,
    failed: resolution.failed,
    now: options.now ?? new Date(),
    ...(options.readFile && { readFile: options.readFile }),
    ...(options.fileMode && { fileMode: options.fileMode }),
  });
  errors.push(...tls.errors);
  warnings.push(...tls.warnings);
  warnings.push(...protocolWarnings(config, hostLocations, fileLocation));
  if (tls.credentials.size > 0) {
    const [main, ...rest] = config.hosts.map((host, i) => {
      const read = tls.credentials.get(i);
      return read === undefined ? host : { ...host, tls: { ...host.tls, credentials: read } };
    });
    config = { ...config, hosts: [main!, ...rest] };
  }
  if (options.checkWritable) {
    errors.push(...unwritableFiles(config, resolution, options.checkWritable, fileLocation));
  }
  if (errors.length > 0) throw new ConfigErrors(errors, warnings);
  const variables = fileRead.variables ?? Object.fromEntries(defines.map((d) => [d, null]));
  const placeOf = (directive: string) => resolution.locations[directive] ?? fileLocation;
  const locate = (warning: ClampWarning) =>
    locateClampWarning(warning, resolution.locations, fileLocation);
  return { config, warnings, syntax, variables, placeOf, locate };
}

/**
 * User and Group looked up, or the error naming the one the database lacks. A Group is
 * checked even without a User, though only a User makes the processes change who they are.
 */
function lookUpAccounts(
  resolution: Resolution,
  accounts: Accounts,
  fileLocation: ConfigLocation,
): RunAs | null | ConfigError {
  const written = (d: "User" | "Group") =>
    resolution.failed.includes(d) ? null : resolution.core.get(d) as string | null;
  const unknown = (d: "User" | "Group", name: string, hint: string) =>
    new ConfigError({
      at: resolution.locations[d] ?? fileLocation,
      directive: d,
      detail: `Cannot use ${d} ${name}: no such ${d.toLowerCase()} (${hint})`,
    });
  const user = written("User");
  const group = written("Group");
  const gid = group === null ? null : accounts.group(group);
  if (group !== null && gid === null) return unknown("Group", group, "getent group lists them");
  if (user === null) return null;
  const account = accounts.user(user);
  if (account === null) {
    return unknown("User", user, "getent passwd lists them; #uid names one by number");
  }
  return { user, group, uid: account.uid, gid: gid ?? account.gid };
}

/**
 * Every AuthUserFile a section names, read once: one it cannot read is refused where the
 * section is; a line it cannot take, at that line of the user file itself.
 */
function userFileErrors(
  config: ServerConfig,
  hostLocations: readonly Readonly<Record<string, ConfigLocation>>[],
  read: (path: string) => string | { readonly problem: string },
  fileLocation: ConfigLocation,
): ConfigError[] {
  const errors: ConfigError[] = [];
  const seen = new Set<string>();
  config.hosts.forEach((host, i) => {
    for (const section of host.sections) {
      const path = section.authUserFile;
      if (path === null || seen.has(path)) continue;
      seen.add(path);
      const text = read(path);
      if (typeof text !== "string") {
        errors.push(
          new ConfigError({
            at: hostLocations[i]?.[section.kind] ?? fileLocation,
            directive: "AuthUserFile",
            detail: `Cannot use AuthUserFile ${path}: ${text.problem}`,
          }),
        );
        continue;
      }
      for (const { line, detail } of parseHtpasswd(text).problems) {
        errors.push(
          new ConfigError({
            at: { file: path, line, column: null },
            directive: "AuthUserFile",
            detail: `Cannot use this AuthUserFile line: it ${detail}`,
          }),
        );
      }
    }
  });
  return errors;
}

/** Defines no environment variable: parseConfigText() reads none unless the caller passes them. */
const NO_ENV = (): undefined => undefined;

/**
 * The files the server will write that it cannot: the error logs, the access logs and the
 * PidFile, each reported where its directive was set, so that `-t` and `-k start` say so on
 * the terminal and a restart is refused, rather than a log nobody reads saying it later.
 */
function unwritableFiles(
  config: ServerConfig,
  resolution: Resolution,
  whyNot: (path: string) => string | null,
  fileLocation: ConfigLocation,
): ConfigError[] {
  type File = [directive: string, path: string | null, what: string, host: number];
  const files: File[] = [
    // The main server's ErrorLog first: hosts[0]'s is config.errorLog.
    ...config.hosts.map((host, i): File => ["ErrorLog", host.errorLog, "Cannot open log file", i]),
    ...config.hosts.flatMap((host) =>
      host.customLogs.map((log): File => ["CustomLog", log.path, "Cannot open log file", 0])
    ),
    ["PidFile", config.pidFile, "Cannot write PidFile", 0],
  ];
  const seen = new Set<string>();
  const errors: ConfigError[] = [];
  for (const [directive, path, what, host] of files) {
    if (path === null || path === "stderr" || path === "stdout" || seen.has(path)) continue;
    if (resolution.failed.includes(directive) || resolution.failed.includes("ServerRoot")) continue;
    seen.add(path);
    const problem = whyNot(path);
    if (problem === null) continue;
    const at = (host === 0 ? undefined : resolution.virtualHosts[host - 1]?.locations[directive]) ??
      resolution.locations[directive] ?? fileLocation;
    errors.push(new ConfigError({ at, directive, detail: `${what} ${path}: ${problem}` }));
  }
  return errors;
}

/** Reads no file at all: parseConfigText() does no I/O unless the caller passes some. */
const NO_FILES: HttpdConfFiles = {
  kind: () => null,
  readText: (path) => {
    throw new Error(`${path}: no file access`);
  },
  readDir: () => [],
};

/** The MPM the last `MPM` argument of `-C` or `-c` names, if any. */
function writtenMpm(read: ReadResult): MpmName | null {
  const last = read.occurrences.findLast((o) => o.name === "MPM");
  if (last === undefined) return null;
  const name = String(last.value).trim();
  return (MPM_NAMES as readonly string[]).includes(name) ? name as MpmName : null;
}
