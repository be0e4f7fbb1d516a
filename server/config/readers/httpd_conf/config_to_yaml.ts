/**
 * `mpmd --convert`: writes a validated configuration back as mpmd's YAML, leaving out what
 * equals the default, so that the file reads like one written by hand. The YAML loads back to
 * the same configuration (with the same `--mpm` and `-D` flags): it holds the effective values,
 * with every IfModule, IfDefine, Define and Include already settled.
 *
 * @module
 */

import { stringify } from "../_yaml_package.ts";
import { quoteArg } from "./_reader_state.ts";
import { MPM_DIRECTIVES } from "../../../../mpm/mod.ts";
import { resolve } from "node:path";
import {
  type AccessSection,
  type AliasRule,
  type AllowOverride,
  type CompressionConfig,
  DEFAULT_AUTOINDEX,
  DEFAULT_COMPRESSION,
  DEFAULT_PROXY_CONFIG,
  DEFAULT_PROXY_WORKER,
  DEFAULT_REQUEST_READ_TIMEOUT,
  formatBalancerLines,
  formatDuration,
  formatListen,
  formatListingOrder,
  formatVirtualHostAddress,
  type HeaderRule,
  HOST_DIRECTIVES,
  type HostConfig,
  OVERRIDE_CLASSES,
  PATH_SECTION_KINDS,
  type ProxyConfig,
  type ProxyRule,
  type ReadTimeout,
  type RedirectRule,
  type Requirement,
  SERVER_DIRECTIVES,
  type ServerConfig,
  TLS_VERSIONS,
} from "../../mod.ts";

/** Options of {@link configToYaml}. */
export interface ConfigToYamlOptions {
  /**
   * Where the configuration was read from, named in the header comment.
   * @default {config.file}
   */
  readonly source?: string;
}

type Entries = Record<string, unknown>;

/** Server-wide directives kept in milliseconds, written back as durations. */
const DURATIONS: ReadonlySet<string> = new Set([
  "Timeout",
  "KeepAliveTimeout",
  "GracefulShutdownTimeout",
  "RequestTimeout",
  "MaintenanceInterval",
]);

/** The configuration as mpmd's YAML, with a header comment. */
export function configToYaml(config: ServerConfig, options: ConfigToYamlOptions = {}): string {
  const S = SERVER_DIRECTIVES;
  const entries: Entries = { ServerRoot: config.serverRoot };
  if (config.mpmChosenBy === "MPM directive") entries.MPM = config.mpm;
  entries.Listen = config.listen.map(formatListen);
  const scalars: readonly (readonly [keyof typeof S, unknown])[] = [
    ["HttpEngine", config.httpEngine],
    ["Timeout", config.timeoutMs],
    ["KeepAlive", config.keepAlive],
    ["KeepAliveTimeout", config.keepAliveTimeoutMs],
    ["MaxKeepAliveRequests", config.maxKeepAliveRequests],
    ["LimitRequestLine", config.limitRequestLine],
    ["LimitRequestFieldSize", config.limitRequestFieldSize],
    ["LimitRequestFields", config.limitRequestFields],
    ["LimitRequestBody", config.limitRequestBodyBytes],
    ["ServerTokens", config.serverTokens],
    ["GracefulShutdownTimeout", config.gracefulShutdownTimeoutMs],
    ["GracefulSigterm", config.gracefulSigterm],
    ["Health", config.healthLocation],
    ["RequestTimeout", config.requestTimeoutMs],
    ["MaintenanceInterval", config.maintenanceIntervalMs],
    ["MaxConnectionsPerChildJitter", config.maxConnectionsPerChildJitter],
    ["ExtendedStatus", config.extendedStatus],
    ["ErrorLogFormat", config.errorLogFormat],
  ];
  for (const [name, value] of scalars) {
    const shown = DURATIONS.has(name) ? formatDuration(value as number) : value;
    putChanged(entries, name, value, S[name].default, shown);
  }
  putChanged(entries, "PidFile", config.pidFile, null);
  putChanged(entries, "TypesConfig", config.typesConfig?.path ?? null, null);
  putChanged(entries, "User", config.runAs?.user ?? null, null);
  putChanged(entries, "Group", config.runAs?.group ?? null, null);
  const stages: Entries = {};
  for (const stage of ["header", "body"] as const) {
    const t = config.requestReadTimeout[stage];
    if (!same(t, DEFAULT_REQUEST_READ_TIMEOUT[stage])) stages[stage] = readTimeoutSpec(t);
  }
  if (Object.keys(stages).length > 0) entries.RequestReadTimeout = stages;
  const formats = Object.fromEntries(
    Object.entries(config.logFormats).filter(([name, format]) =>
      S.LogFormat.default[name] !== format
    ),
  );
  if (Object.keys(formats).length > 0) entries.LogFormat = formats;
  for (const [name, lines] of Object.entries(formatBalancerLines(config.balancers))) {
    if (lines.length > 0) entries[name] = lines;
  }
  const [main, ...virtualHosts] = config.hosts;
  Object.assign(entries, hostEntries(main, defaultHost(config.serverRoot)));
  if (virtualHosts.length > 0) {
    // What a virtual host leaves unset is the main server's: it writes only what differs.
    entries.VirtualHost = virtualHosts.map((host) => ({
      Address: host.addresses.map(formatVirtualHostAddress).join(" "),
      ...hostEntries(host, main),
    }));
  }

  const mpmSection: Entries = {};
  for (const d of MPM_DIRECTIVES[config.mpm]) {
    const value = config.mpmDirectives[d.name];
    if (value !== undefined && value !== d.default) mpmSection[d.name] = value;
  }
  if (Object.keys(mpmSection).length > 0) entries[config.mpm] = mpmSection;

  const source = options.source ?? config.file ?? "the embedded default";
  const header = `# mpmd configuration converted from ${source}\n` +
    "# (IfModule, IfDefine, Define and Include already applied; defaults left out)\n";
  return header + stringify(entries, { lineWidth: 0 });
}

/** The host every directive's default makes: what the main server's entries differ from. */
function defaultHost(serverRoot: string): HostConfig {
  const H = HOST_DIRECTIVES;
  return {
    addresses: [],
    declaredAt: "",
    serverName: H.ServerName.default,
    serverAliases: H.ServerAlias.default,
    serverAdmin: H.ServerAdmin.default,
    documentRoot: resolve(serverRoot, H.DocumentRoot.default),
    directoryIndex: H.DirectoryIndex.default,
    indexes: H.Options.default.indexes ?? false,
    followSymLinks: H.Options.default.followSymLinks ?? false,
    autoindex: DEFAULT_AUTOINDEX,
    accessFileNames: H.AccessFileName.default,
    addType: H.AddType.default,
    addCharset: H.AddCharset.default,
    forceType: H.ForceType.default,
    addDefaultCharset: H.AddDefaultCharset.default,
    serverSignature: H.ServerSignature.default,
    useCanonicalName: H.UseCanonicalName.default,
    redirects: [],
    aliases: [],
    sections: [],
    errorDocuments: {},
    compression: DEFAULT_COMPRESSION,
    headers: [],
    requestHeaders: [],
    errorLog: H.ErrorLog.default,
    logLevel: H.LogLevel.default,
    customLogs: H.CustomLog.default,
    apps: H.App.default,
    status: H.Status.default,
    tls: {
      engine: H.SSLEngine.default,
      certificateFile: H.SSLCertificateFile.default,
      keyFile: H.SSLCertificateKeyFile.default,
      chainFile: H.SSLCertificateChainFile.default,
      protocols: H.SSLProtocol.default,
      credentials: null,
    },
    proxy: DEFAULT_PROXY_CONFIG,
  };
}

/** A host's directives that differ from `base`'s. */
function hostEntries(host: HostConfig, base: HostConfig): Entries {
  const entries: Entries = {};
  const put = <K extends keyof HostConfig>(key: string, field: K, shown: unknown = host[field]) =>
    putChanged(entries, key, host[field], base[field], shown);
  put("ServerName", "serverName");
  put("ServerAlias", "serverAliases");
  put("ServerAdmin", "serverAdmin");
  put("DocumentRoot", "documentRoot");
  put(
    "DirectoryIndex",
    "directoryIndex",
    host.directoryIndex.length === 0 ? "disabled" : host.directoryIndex,
  );
  const options = [
    ...(host.indexes ? ["Indexes"] : []),
    ...(host.followSymLinks ? ["FollowSymLinks"] : []),
  ];
  if (host.indexes !== base.indexes || host.followSymLinks !== base.followSymLinks) {
    entries.Options = options.length > 0 ? options : "None";
  }
  put("AccessFileName", "accessFileNames");
  Object.assign(entries, autoindexEntries(host.autoindex, base.autoindex));
  for (const [key, field] of [["AddType", "addType"], ["AddCharset", "addCharset"]] as const) {
    // A virtual host's map adds to the main server's: it writes what it changes.
    const byValue: Record<string, string[]> = {};
    for (const [extension, value] of Object.entries(host[field])) {
      if (base[field][extension] !== value) (byValue[value] ??= []).push(extension);
    }
    if (Object.keys(byValue).length > 0) entries[key] = byValue;
  }
  put("ForceType", "forceType", host.forceType ?? "None");
  put("AddDefaultCharset", "addDefaultCharset", host.addDefaultCharset ?? "Off");
  put("ServerSignature", "serverSignature");
  put("UseCanonicalName", "useCanonicalName", host.useCanonicalName ? "On" : "Off");
  // A virtual host tries its own redirects, then the main server's: it writes its own.
  const ownRedirects = host.redirects.filter((r) => !base.redirects.some((b) => same(b, r)));
  if (ownRedirects.length > 0) {
    const rules = (kind: RedirectRule["kind"]) =>
      ownRedirects.filter((r) => r.kind === kind).map((r) =>
        [String(r.status), quoteArg(r.match), ...(r.target === null ? [] : [quoteArg(r.target)])]
          .join(" ")
      );
    for (const [key, kind] of [["Redirect", "prefix"], ["RedirectMatch", "regex"]] as const) {
      if (rules(kind).length > 0) entries[key] = rules(kind);
    }
  }
  // As redirects: a virtual host tries its own aliases first, and writes those.
  const ownAliases = host.aliases.filter((r) => !base.aliases.some((b) => same(b, r)));
  const aliasKeys = [["ScriptAlias", "script"], ["Alias", "prefix"], ["AliasMatch", "regex"]];
  for (const [key, kind] of aliasKeys as [string, AliasRule["kind"]][]) {
    const rules = ownAliases.filter((r) => r.kind === kind).map((r) =>
      `${quoteArg(r.match)} ${quoteArg(r.target)}`
    );
    if (rules.length > 0) entries[key] = rules;
  }
  // As aliases, but a virtual host's sections come after the main server's.
  const ownSections = host.sections.filter((r) => !base.sections.some((b) => same(b, r)));
  for (const kind of PATH_SECTION_KINDS) {
    const sections = ownSections.filter((section) => section.kind === kind).map(sectionEntry);
    const patterns = sections.map((entry) => Object.keys(entry)[0]);
    if (sections.length === 0) continue;
    // A map when every pattern is written once; a list of one-entry maps otherwise.
    entries[kind] = new Set(patterns).size === patterns.length
      ? Object.assign({}, ...sections)
      : sections;
  }
  const documents = Object.entries(host.errorDocuments).filter(([status, d]) =>
    !same(d, base.errorDocuments[Number(status)] ?? null) ||
    !(Number(status) in base.errorDocuments)
  );
  if (documents.length > 0) {
    entries.ErrorDocument = Object.fromEntries(documents.map(([status, d]) => [
      status,
      d === null ? "default" : d.kind === "text" ? `"${d.value.replace(/"/g, '\\"')}"` : d.value,
    ]));
  }
  // As sections: the main server's lines first, a virtual host writes its own.
  const headerLine = (r: HeaderRule) =>
    [...(r.when === "always" ? ["always"] : []), r.action, r.name, r.value ?? ""]
      .filter((w) => w !== "").map(quoteArg).join(" ");
  for (
    const [key, field] of [["Header", "headers"], ["RequestHeader", "requestHeaders"]] as const
  ) {
    const own = host[field].slice(base[field].length);
    const prefixed = same(host[field].slice(0, base[field].length), base[field]);
    const lines = (prefixed ? own : host[field]).map(headerLine);
    if (lines.length > 0) entries[key] = lines;
  }
  Object.assign(entries, compressionEntries(host.compression, base.compression));
  put("ErrorLog", "errorLog");
  put("LogLevel", "logLevel");
  put(
    "CustomLog",
    "customLogs",
    host.customLogs.map((log) => ({ path: log.path, format: log.format })),
  );
  put("App", "apps", host.apps.map((app) => ({ Location: app.location, Module: app.module })));
  if (host.status !== null) {
    put("Status", "status", {
      Location: host.status.location,
      Metrics: host.status.metricsLocation ?? "Off",
      Allow: host.status.allow,
    });
  } else put("Status", "status", "Off");
  Object.assign(entries, tlsEntries(host.tls, base.tls));
  Object.assign(entries, proxyEntries(host.proxy, base.proxy));
  return entries;
}

/** mod_deflate's and mod_brotli's directives of a host that differ from `base`'s. */
function compressionEntries(
  compression: CompressionConfig,
  base: CompressionConfig,
): Entries {
  const entries: Entries = {};
  // As Header lines: the main server's lines first, a virtual host writes its own.
  const inherited = same(compression.byType.slice(0, base.byType.length), base.byType);
  const own = inherited ? compression.byType.slice(base.byType.length) : compression.byType;
  if (own.length > 0) {
    entries.AddOutputFilterByType = own.map((rule) =>
      [rule.filters.join(";"), ...rule.types].join(" ")
    );
  }
  const always = compression.always.length === 0 ? "none" : compression.always.join(";");
  putChanged(entries, "SetOutputFilter", compression.always, base.always, always);
  const scalars = [
    ["DeflateCompressionLevel", "deflateLevel"],
    ["BrotliCompressionQuality", "brotliQuality"],
    ["DeflateMinLength", "minLengthBytes"],
    ["DeflateAlterETag", "deflateAlterETag"],
    ["BrotliAlterETag", "brotliAlterETag"],
  ] as const;
  for (const [key, field] of scalars) {
    putChanged(entries, key, compression[field], base[field]);
  }
  return entries;
}

/** mod_autoindex's directives of a host that differ from `base`'s. */
function autoindexEntries(
  autoindex: HostConfig["autoindex"],
  base: HostConfig["autoindex"],
): Entries {
  const entries: Entries = {};
  const { flags, nameWidth, charset } = autoindex;
  // Flags without a sign replace what a virtual host inherits: the whole set is written.
  if (!same([flags, nameWidth, charset], [base.flags, base.nameWidth, base.charset])) {
    const words = [
      ...flags,
      // A width left out would be the main server's, not the default.
      ...(nameWidth === DEFAULT_AUTOINDEX.nameWidth && base.nameWidth === nameWidth
        ? []
        : [`NameWidth=${nameWidth}`]),
      ...(charset === null ? [] : [`Charset=${charset}`]),
    ];
    entries.IndexOptions = flags.length === 0 ? ["None", ...words] : words;
  }
  if (!same(autoindex.orderDefault, base.orderDefault)) {
    entries.IndexOrderDefault = formatListingOrder(autoindex.orderDefault);
  }
  // As Header lines: the main server's patterns first, a virtual host writes its own.
  const inherited = same(autoindex.ignore.slice(0, base.ignore.length), base.ignore);
  const ignore = inherited ? autoindex.ignore.slice(base.ignore.length) : autoindex.ignore;
  if (ignore.length > 0) entries.IndexIgnore = ignore;
  for (
    const [key, field] of [["HeaderName", "headerName"], ["ReadmeName", "readmeName"]] as const
  ) {
    if (autoindex[field] !== base[field]) entries[key] = autoindex[field];
  }
  return entries;
}

/**
 * A section as YAML writes it: `{ pattern: { Require, AuthType, AuthName, AuthUserFile,
 * Options, DirectoryIndex, AllowOverride } }`.
 */
function sectionEntry(section: AccessSection): Entries {
  const body: Entries = {};
  if (section.require !== null) {
    body.Require = section.require.kind === "any"
      ? section.require.rules.map(requirementEntry)
      : requirementEntry(section.require);
  }
  if (section.authType !== null) body.AuthType = section.authType;
  if (section.authName !== null) body.AuthName = section.authName;
  if (section.authUserFile !== null) body.AuthUserFile = section.authUserFile;
  if (section.options !== null) {
    // Relative words keep an outer section's choice where this one says nothing.
    const word = (on: boolean | null, name: string) =>
      on === null ? [] : [`${on ? "+" : "-"}${name}`];
    body.Options = [
      ...word(section.options.indexes, "Indexes"),
      ...word(section.options.followSymLinks, "FollowSymLinks"),
    ];
  }
  if (section.directoryIndex !== null) {
    body.DirectoryIndex = section.directoryIndex.length === 0 ? "disabled" : section.directoryIndex;
  }
  if (section.allowOverride !== null) {
    body.AllowOverride = allowOverrideWords(section.allowOverride);
  }
  return { [section.match]: body };
}

/** AllowOverride as its words: `None`, `All`, or the classes (`Options=Indexes`). */
function allowOverrideWords({ classes, options }: AllowOverride): string | string[] {
  if (classes.length === 0) return "None";
  const everyOption = options.length === 2;
  if (classes.length === OVERRIDE_CLASSES.length && everyOption) return "All";
  const optionWords = options.map((o) => o === "indexes" ? "Indexes" : "FollowSymLinks");
  return classes.map((c) =>
    c !== "Options" || everyOption
      ? c
      : `Options=${optionWords.length === 0 ? "None" : optionWords.join(",")}`
  );
}

/** A requirement as a Require line, or a container of them. */
function requirementEntry(rule: Requirement): unknown {
  const not = "not" in rule && rule.not ? "not " : "";
  switch (rule.kind) {
    case "all":
      return `all ${rule.granted ? "granted" : "denied"}`;
    case "ip":
      return `${not}ip ${rule.ranges.join(" ")}`;
    case "valid-user":
      return "valid-user";
    case "user":
      return `${not}user ${rule.names.map(quoteArg).join(" ")}`;
    default: {
      const name = { any: "RequireAny", "all-of": "RequireAll", none: "RequireNone" }[rule.kind];
      return { [name]: rule.rules.map(requirementEntry) };
    }
  }
}

/** Sets `entries[key]` to `shown` unless `value` is the default. */
function putChanged(
  entries: Entries,
  key: string,
  value: unknown,
  defaultValue: unknown,
  shown: unknown = value,
): void {
  if (!same(value, defaultValue)) entries[key] = shown;
}

/** Whether two plain values (numbers, strings, lists, maps of them) are equal. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A RequestReadTimeout stage in httpd's words: `20-40,MinRate=500`. */
function readTimeoutSpec(t: ReadTimeout): string {
  const seconds = (ms: number) => String(ms / 1000);
  const range = t.maxMs !== t.initialMs && t.maxMs !== Number.MAX_SAFE_INTEGER
    ? `-${seconds(t.maxMs)}`
    : "";
  const rate = t.minRateBytesPerSec > 0 ? `,MinRate=${t.minRateBytesPerSec}` : "";
  return `${seconds(t.initialMs)}${range}${rate}`;
}

/** mod_proxy's directives of a host that differ from `base`'s (its own mappings, as redirects). */
function proxyEntries(proxy: ProxyConfig, base: ProxyConfig): Entries {
  const entries: Entries = {};
  const own = <T>(rules: readonly T[], baseRules: readonly T[]) =>
    rules.filter((r) => !baseRules.some((b) => same(b, r)));
  const rules = own(proxy.rules, base.rules);
  for (const [key, kind] of [["ProxyPass", "prefix"], ["ProxyPassMatch", "regex"]] as const) {
    const lines = rules.filter((r) => r.kind === kind).map(proxyRuleLine);
    if (lines.length > 0) entries[key] = lines;
  }
  const reverseKeys = [
    ["ProxyPassReverse", "reverse"],
    ["ProxyPassReverseCookieDomain", "cookieDomains"],
    ["ProxyPassReverseCookiePath", "cookiePaths"],
  ] as const;
  for (const [key, field] of reverseKeys) {
    const lines = own(proxy[field], base[field]).map((r) =>
      (key === "ProxyPassReverse" ? [r.public, r.backend] : [r.backend, r.public])
        .map(quoteArg).join(" ")
    );
    if (lines.length > 0) entries[key] = lines;
  }
  const flags = [
    ["ProxyPreserveHost", "preserveHost"],
    ["ProxyAddHeaders", "addHeaders"],
    ["ProxyForwarded", "forwarded"],
  ] as const;
  for (const [key, field] of flags) {
    if (proxy[field] !== base[field]) entries[key] = proxy[field] ? "On" : "Off";
  }
  if (proxy.timeoutMs !== base.timeoutMs && proxy.timeoutMs !== null) {
    entries.ProxyTimeout = formatDuration(proxy.timeoutMs);
  }
  return entries;
}

/** A ProxyPass or ProxyPassMatch line: what it matches, the target, the keys it sets. */
function proxyRuleLine(rule: ProxyRule): string {
  const w = rule.worker;
  const d = DEFAULT_PROXY_WORKER;
  const keys = [
    ...(w.timeoutMs !== d.timeoutMs ? [`timeout=${formatDuration(w.timeoutMs!)}`] : []),
    ...(w.connectionTimeoutMs !== d.connectionTimeoutMs
      ? [`connectiontimeout=${formatDuration(w.connectionTimeoutMs!)}`]
      : []),
    ...(w.tcpKeepAlive !== d.tcpKeepAlive ? ["keepalive=On"] : []),
    ...(w.max !== d.max ? [`max=${w.max}`] : []),
    ...(w.ttlMs !== d.ttlMs ? [`ttl=${formatDuration(w.ttlMs)}`] : []),
  ];
  return [quoteArg(rule.match), rule.target === null ? "!" : quoteArg(rule.target), ...keys]
    .join(" ");
}

/** mod_ssl's directives of a host that differ from `base`'s. */
function tlsEntries(tls: HostConfig["tls"], base: HostConfig["tls"]): Entries {
  const entries: Entries = {};
  if (tls.engine !== base.engine) entries.SSLEngine = tls.engine ? "On" : "Off";
  if (tls.certificateFile !== base.certificateFile && tls.certificateFile !== null) {
    entries.SSLCertificateFile = tls.certificateFile;
  }
  if (tls.keyFile !== base.keyFile && tls.keyFile !== null) {
    entries.SSLCertificateKeyFile = tls.keyFile;
  }
  if (tls.chainFile !== base.chainFile && tls.chainFile !== null) {
    entries.SSLCertificateChainFile = tls.chainFile;
  }
  const { min, max } = tls.protocols;
  if (min !== base.protocols.min || max !== base.protocols.max) {
    entries.SSLProtocol = ["-all", ...TLS_VERSIONS.filter((v) => v >= min && v <= max)]
      .map((v, i) => i === 0 ? v : `+${v}`).join(" ");
  }
  return entries;
}
