/**
 * The rules that involve more than one value: an MPM this build holds, at least one Listen
 * address and no address twice, sound RequestReadTimeout ranges, CustomLog formats that name a
 * known LogFormat, no two App mounts on one Location, balancers with members (each once), and
 * KeepAlive off when KeepAliveTimeout is 0.
 * Pure: a configuration and the places its directives came from in, the checked
 * configuration and its warnings out.
 *
 * @module
 */

import { type ClampWarning, MPMS, THIS_BUILD } from "../../../mpm/mod.ts";
import { didYouMeanHint } from "../../../base/mod.ts";
import { compileLogFormat, LogFormatError } from "../../log/mod.ts";
import {
  balancerOfTarget,
  ConfigError,
  ConfigErrors,
  type ConfigLocation,
  type CustomLog,
  formatDuration,
  formatListenAddress,
  formatLocation,
  type HostConfig,
  type ReadTimeout,
  type ServerConfig,
} from "../mod.ts";

/** What {@link checkConfig} checks. */
export interface CheckConfigInput {
  /** The assembled configuration; CustomLog formats may still be LogFormat nicknames. */
  readonly config: ServerConfig;
  /** Directive name → where its value was set; absent for a directive left at its default. */
  readonly locations: Readonly<Record<string, ConfigLocation>>;
  /** Where problems of a directive left at its default are reported (the config file). */
  readonly file: ConfigLocation;
  /**
   * Directives whose written value was refused (already reported): rules that read them are
   * skipped, so one mistake is not reported twice.
   * @default {[]}
   */
  readonly failed?: readonly string[];
}

/** The checked configuration and what deserves a warning. */
export interface CheckConfigResult {
  /** The configuration with every CustomLog format resolved to a format string. */
  readonly config: ServerConfig;
  /** Problems that do not stop the server, each `file:line: text`. */
  readonly warnings: readonly string[];
}

/**
 * Checks the rules between directives, resolves CustomLog nicknames, turns KeepAlive off for
 * a KeepAliveTimeout of 0 (as httpd does, rather than promising `timeout=0`), and reports the
 * active MPM's clamping warnings.
 *
 * @throws {ConfigErrors} listing every broken rule.
 */
export function checkConfig(input: CheckConfigInput): CheckConfigResult {
  const { config, locations, file } = input;
  const failed = new Set(input.failed ?? []);
  const errors: ConfigError[] = [];
  const report = (directive: string, detail: string) =>
    errors.push(new ConfigError({ at: locations[directive] ?? file, directive, detail }));

  if (!THIS_BUILD.mpms.includes(config.mpm)) {
    const chosenBy = config.mpmChosenBy === "--mpm" ? " (--mpm)" : "";
    report(
      "MPM",
      `Cannot run the ${config.mpm} MPM${chosenBy}: this mpmd was built with ${
        THIS_BUILD.mpms.join(", ")
      } only (mpmd -l lists them)`,
    );
  }
  if (!failed.has("Listen")) checkListen(config, report);
  if (!failed.has("RequestReadTimeout")) {
    for (const stage of ["header", "body"] as const) {
      const problem = readTimeoutProblem(config.requestReadTimeout[stage]);
      if (problem) {
        report("RequestReadTimeout", `Cannot set RequestReadTimeout: ${stage} ${problem}`);
      }
    }
  }
  if (!failed.has("App")) { for (const host of config.hosts) checkApps(host, report); }
  const balanced = failed.has("BalancerMember") || failed.has("ProxySet")
    ? config.hosts
    : checkBalancers(config, report);
  const engineWarnings = failed.has("HttpEngine") ? [] : checkEngine(input, report);
  const hosts = balanced.map((host): HostConfig => ({
    ...host,
    customLogs: host.customLogs.map((log) =>
      resolveFormat(log, config.logFormats, failed.has("CustomLog") ? null : report)
    ),
  }));
  if (errors.length > 0) throw new ConfigErrors(errors);
  return {
    config: {
      ...config,
      // httpd's ap_set_keepalive() keeps a connection only while keep_alive_timeout > 0.
      keepAlive: config.keepAlive && config.keepAliveTimeoutMs > 0,
      hosts: [hosts[0]!, ...hosts.slice(1)],
    },
    // The active MPM's clamping rules (httpd's *_check_config): the MPM runs with the
    // clamped values; the warnings say which values were changed and why.
    warnings: [
      ...engineWarnings,
      ...MPMS[config.mpm].check(config.mpmDirectives).warnings.map((warning) =>
        locateClampWarning(warning, locations, file)
      ),
    ],
  };
}

/**
 * An MPM's clamping warning where the config's warnings are: at the line that set its
 * directive, or, for a directive left at its default, at the file, saying so (the value in
 * the message was never written there).
 */
export function locateClampWarning(
  warning: ClampWarning,
  locations: Readonly<Record<string, ConfigLocation>>,
  file: ConfigLocation,
): string {
  const at = locations[warning.directive];
  return at === undefined
    ? `${
      formatLocation(file)
    }: ${warning.text} (${warning.directive} is not set: that is its default)`
    : `${formatLocation(at)}: ${warning.text}`;
}

type Report = (directive: string, detail: string) => void;

function checkListen(config: ServerConfig, report: Report): void {
  if (config.listen.length === 0) {
    report("Listen", 'Cannot listen: no Listen address is set (add one, e.g. "Listen: 8080")');
  }
  const seen = new Map<string, string>();
  for (const address of config.listen) {
    // Port 0 asks the OS for a fresh port each time, so it can repeat.
    if (address.port === 0) continue;
    const text = formatListenAddress(address);
    const first = seen.get(text);
    if (first === undefined) seen.set(text, address.origin);
    else {
      report(
        "Listen",
        `Cannot use Listen ${text} twice (${first} and ${address.origin}): the second bind would fail`,
      );
    }
  }
}

/**
 * The directives Deno's native engine does not apply: hyper keeps its own timeouts and head
 * limits, and adds no Server field to an app's response.
 */
const NATIVE_ENGINE_IGNORES = [
  "Timeout",
  "KeepAliveTimeout",
  "MaxKeepAliveRequests",
  "RequestReadTimeout",
  "LimitRequestLine",
  "LimitRequestFieldSize",
  "LimitRequestFields",
] as const;

/**
 * HttpEngine native runs under an MPM whose slots hold requests (event): Deno's server takes
 * every connection its listener is handed, so a slot cannot hold one connection at a time.
 * The directives it does not apply get a warning where they are written.
 */
function checkEngine(input: CheckConfigInput, report: Report): string[] {
  const { config, locations } = input;
  if (config.httpEngine !== "native") return [];
  const https = config.listen.find((address) => address.protocol === "https");
  if (https !== undefined) {
    report(
      "HttpEngine",
      `Cannot use HttpEngine native with Listen ${formatListenAddress(https)} https: TLS ` +
        "connections on shared listening sockets are served by mpmd's engine only (use " +
        "HttpEngine mpmd)",
    );
    return [];
  }
  if (!MPMS[config.mpm].caps.async) {
    report(
      "HttpEngine",
      `Cannot use HttpEngine native under the ${config.mpm} MPM: Deno's engine serves many ` +
        "connections in one slot, which only the event MPM's slots allow (use MPM event, or " +
        "HttpEngine mpmd)",
    );
    return [];
  }
  return NATIVE_ENGINE_IGNORES.filter((name) => locations[name] !== undefined).map((name) =>
    `${formatLocation(locations[name]!)}: ${name} does not apply under HttpEngine native ` +
    "(Deno's engine keeps its own limits and timeouts)"
  );
}

/** One Location, one module: a second mount on it could never be reached. */
function checkApps(host: HostConfig, report: Report): void {
  const seen = new Map<string, string>();
  for (const app of host.apps) {
    const first = seen.get(app.location);
    if (first === undefined) seen.set(app.location, app.module);
    else {
      report(
        "App",
        `Cannot mount ${app.module} on ${app.location}: ${first} is already mounted there`,
      );
    }
  }
}

/**
 * A balancer needs members, each backend once; a ProxyPass or ProxyPassReverse names a balancer
 * that exists. Returns the hosts with each ProxyPassReverse of a balancer URL written out as one
 * line per member URL, as httpd applies it.
 */
function checkBalancers(config: ServerConfig, report: Report): HostConfig[] {
  const byName = new Map(config.balancers.map((b) => [b.name, b]));
  const unknown = (directive: string, what: string, name: string) =>
    report(directive, `Cannot ${what}: no BalancerMember defines balancer://${name}`);
  const hosts = config.hosts.map((host) => {
    for (const rule of host.proxy.rules) {
      const name = rule.target === null ? null : balancerOfTarget(rule.target);
      if (name !== null && !byName.has(name)) {
        const directive = rule.kind === "prefix" ? "ProxyPass" : "ProxyPassMatch";
        unknown(directive, `proxy ${rule.match} to ${rule.target}`, name);
      }
    }
    const reverse = host.proxy.reverse.flatMap((rule) => {
      const name = balancerOfTarget(rule.backend);
      if (name === null) return [rule];
      const balancer = byName.get(name);
      if (balancer === undefined) {
        unknown("ProxyPassReverse", `rewrite ${rule.backend} URLs`, name);
        return [];
      }
      const path = rule.backend.slice(`balancer://${name}`.length).replace(/^\//, "");
      return balancer.members.map((m) => ({ ...rule, backend: new URL(path, m.url).href }));
    });
    return { ...host, proxy: { ...host.proxy, reverse } };
  });
  for (const balancer of config.balancers) {
    if (balancer.members.length === 0) {
      report(
        "ProxySet",
        `Cannot use balancer://${balancer.name} (${balancer.origin}): no BalancerMember belongs to it`,
      );
    }
    const seen = new Map<string, string>();
    for (const member of balancer.members) {
      const first = seen.get(member.url);
      if (first === undefined) seen.set(member.url, member.origin);
      else {
        report(
          "BalancerMember",
          `Cannot add ${member.url} to balancer://${balancer.name} twice (${first} and ${member.origin})`,
        );
      }
    }
  }
  return hosts;
}

/** httpd's rules for a range: a ceiling not below the timeout, and a MinRate to grow by. */
function readTimeoutProblem(t: ReadTimeout): string | null {
  if (t.maxMs < t.initialMs) {
    return `maximum ${formatDuration(t.maxMs)} is below its timeout ${formatDuration(t.initialMs)}`;
  }
  if (t.maxMs > t.initialMs && t.minRateBytesPerSec === 0) {
    return `range ${formatDuration(t.initialMs)}-${
      formatDuration(t.maxMs)
    } needs a MinRate (the deadline grows with the data received)`;
  }
  return null;
}

/**
 * A CustomLog's format is a LogFormat nickname or a format string. httpd treats an unknown
 * nickname as a literal format, logging the word itself on every line; a word without `%`
 * is almost surely a misspelt nickname, so mpmd refuses it.
 */
function resolveFormat(
  log: CustomLog,
  formats: Readonly<Record<string, string>>,
  report: Report | null,
): CustomLog {
  const named = Object.hasOwn(formats, log.format) ? formats[log.format] : undefined;
  if (named !== undefined) return checkFormat({ ...log, format: named }, report);
  if (!log.format.includes("%") && report) {
    const hint = didYouMeanHint(log.format, Object.keys(formats));
    report(
      "CustomLog",
      `Cannot use CustomLog ${log.path}: no LogFormat is named ${
        JSON.stringify(log.format)
      }${hint}`,
    );
    return log;
  }
  return checkFormat(log, report);
}

/** Compiles the format once here so that `mpmd -t` catches what would fail at startup. */
function checkFormat(log: CustomLog, report: Report | null): CustomLog {
  try {
    compileLogFormat(log.format);
  } catch (error) {
    if (!(error instanceof LogFormatError)) throw error;
    report?.("CustomLog", `Cannot use CustomLog ${log.path}: ${error.message}`);
  }
  return log;
}
