/**
 * Assembles a {@link ServerConfig} from resolved directive values. Cross-directive rules are
 * `checkConfig()`'s; this only maps directive values to fields.
 *
 * @module
 */

import { resolve } from "node:path";
import type { Resolution } from "./_resolve.ts";
import {
  assembleBalancers,
  type ConfigLocation,
  DEFAULT_AUTOINDEX,
  DEFAULT_REQUEST_READ_TIMEOUT,
  type Directive,
  formatLocation,
  HOST_DIRECTIVES,
  type HostConfig,
  INDEX_OPTION_FLAGS,
  indexOptionFlags,
  PATH_SECTION_KINDS,
  SERVER_DIRECTIVES,
  type ServerConfig,
  type VirtualHostAddress,
} from "../mod.ts";

/** What the config records about where it came from. */
export interface BuildSource {
  /** Absolute path of the config file, or `null` for the embedded default. */
  readonly file: string | null;
  /** `-D` names in force. */
  readonly defines: readonly string[];
  /** The loadable modules in effect. */
  readonly loadedModules: readonly string[];
}

/** Maps resolved values to a configuration; CustomLog formats may still be nicknames. */
export function buildConfig(r: Resolution, source: BuildSource): ServerConfig {
  // Every core directive has a value in `r.core`, produced by that directive's parse().
  const get = <T>(d: Directive<T>): T => (r.core.has(d.name) ? r.core.get(d.name) as T : d.default);
  const inRoot = (p: string) => resolve(r.serverRoot, p);
  const S = SERVER_DIRECTIVES;
  const readTimeout = get(S.RequestReadTimeout);
  const mainAt = { file: source.file ?? "embedded default", line: null, column: null };
  const main = hostConfig(get, inRoot, [], mainAt);
  const virtualHosts = r.virtualHosts.map((host) =>
    hostConfig(
      <T>(d: Directive<T>) => host.values.get(d.name) as T,
      inRoot,
      host.addresses,
      host.at,
    )
  );
  return {
    file: source.file,
    serverRoot: r.serverRoot,
    defines: source.defines,
    loadedModules: source.loadedModules,
    mpm: r.mpm,
    mpmChosenBy: r.mpmChosenBy,
    mpmDirectives: r.mpmDirectives,
    httpEngine: get(S.HttpEngine),
    listen: get(S.Listen),
    timeoutMs: get(S.Timeout),
    keepAlive: get(S.KeepAlive),
    keepAliveTimeoutMs: get(S.KeepAliveTimeout),
    maxKeepAliveRequests: get(S.MaxKeepAliveRequests),
    requestReadTimeout: {
      header: readTimeout.header ?? DEFAULT_REQUEST_READ_TIMEOUT.header,
      body: readTimeout.body ?? DEFAULT_REQUEST_READ_TIMEOUT.body,
    },
    limitRequestLine: get(S.LimitRequestLine),
    limitRequestFieldSize: get(S.LimitRequestFieldSize),
    limitRequestFields: get(S.LimitRequestFields),
    limitRequestBodyBytes: get(S.LimitRequestBody),
    serverTokens: get(S.ServerTokens),
    gracefulShutdownTimeoutMs: get(S.GracefulShutdownTimeout),
    gracefulSigterm: get(S.GracefulSigterm),
    healthLocation: get(S.Health),
    requestTimeoutMs: get(S.RequestTimeout),
    maintenanceIntervalMs: get(S.MaintenanceInterval),
    maxMemoryPerChildBytes: get(S.MaxMemoryPerChild),
    maxConnectionsPerChildJitter: get(S.MaxConnectionsPerChildJitter),
    extendedStatus: get(S.ExtendedStatus),
    pidFile: get(S.PidFile),
    // Its types are read by parseConfigText(), which has the file access.
    typesConfig: get(S.TypesConfig) === null ? null : { path: get(S.TypesConfig)!, types: {} },
    // Looked up by parseConfigText(), which has the user database.
    runAs: null,
    errorLog: main.errorLog,
    errorLogFormat: get(S.ErrorLogFormat),
    logLevel: main.logLevel,
    logFormats: get(S.LogFormat),
    balancers: assembleBalancers(get(S.BalancerMember), get(S.ProxySet)),
    hosts: [main, ...virtualHosts],
  };
}

/** One host's settings from its directive values. */
function hostConfig(
  get: <T>(d: Directive<T>) => T,
  inRoot: (path: string) => string,
  addresses: readonly VirtualHostAddress[],
  declaredAt: ConfigLocation,
): HostConfig {
  const H = HOST_DIRECTIVES;
  const options = get(H.Options);
  const errorLog = get(H.ErrorLog);
  return {
    addresses,
    declaredAt: formatLocation(declaredAt),
    serverName: get(H.ServerName),
    serverAliases: get(H.ServerAlias),
    serverAdmin: get(H.ServerAdmin),
    documentRoot: inRoot(get(H.DocumentRoot)),
    directoryIndex: get(H.DirectoryIndex),
    indexes: options.indexes ?? false,
    followSymLinks: options.followSymLinks ?? false,
    autoindex: autoindexConfig(get),
    accessFileNames: get(H.AccessFileName),
    addType: get(H.AddType),
    addCharset: get(H.AddCharset),
    forceType: get(H.ForceType),
    addDefaultCharset: get(H.AddDefaultCharset),
    serverSignature: get(H.ServerSignature),
    useCanonicalName: get(H.UseCanonicalName),
    redirects: [
      ...get(H.Redirect),
      ...get(H.RedirectPermanent),
      ...get(H.RedirectTemp),
      ...get(H.RedirectMatch),
    ],
    aliases: [...get(H.ScriptAlias), ...get(H.Alias), ...get(H.AliasMatch)],
    sections: PATH_SECTION_KINDS.flatMap((kind) => get(H[kind])),
    errorDocuments: get(H.ErrorDocument),
    compression: {
      byType: get(H.AddOutputFilterByType),
      always: get(H.SetOutputFilter),
      deflateLevel: get(H.DeflateCompressionLevel),
      brotliQuality: get(H.BrotliCompressionQuality),
      minLengthBytes: get(H.DeflateMinLength),
      deflateAlterETag: get(H.DeflateAlterETag),
      brotliAlterETag: get(H.BrotliAlterETag),
    },
    headers: get(H.Header),
    requestHeaders: get(H.RequestHeader),
    errorLog: errorLog === "stderr" ? errorLog : inRoot(errorLog),
    logLevel: get(H.LogLevel),
    customLogs: get(H.CustomLog),
    apps: get(H.App),
    status: get(H.Status),
    tls: {
      engine: get(H.SSLEngine),
      certificateFile: get(H.SSLCertificateFile),
      keyFile: get(H.SSLCertificateKeyFile),
      chainFile: get(H.SSLCertificateChainFile),
      protocols: get(H.SSLProtocol),
      // Read by parseConfigText(), which has the file access.
      credentials: null,
    },
    proxy: {
      rules: [...get(H.ProxyPass), ...get(H.ProxyPassMatch)],
      reverse: get(H.ProxyPassReverse),
      cookieDomains: get(H.ProxyPassReverseCookieDomain),
      cookiePaths: get(H.ProxyPassReverseCookiePath),
      preserveHost: get(H.ProxyPreserveHost),
      timeoutMs: get(H.ProxyTimeout),
      addHeaders: get(H.ProxyAddHeaders),
      forwarded: get(H.ProxyForwarded),
    },
    protocols: get(H.Protocols),
  };
}

/** mod_autoindex's settings from IndexOptions and its neighbours. */
function autoindexConfig(get: <T>(d: Directive<T>) => T): HostConfig["autoindex"] {
  const H = HOST_DIRECTIVES;
  const options = get(H.IndexOptions);
  const on = new Set(indexOptionFlags(options));
  const fancy = get(H.FancyIndexing);
  if (fancy === true) on.add("FancyIndexing");
  if (fancy === false) on.delete("FancyIndexing");
  return {
    flags: INDEX_OPTION_FLAGS.filter((f) => on.has(f)),
    nameWidth: options.nameWidth ?? DEFAULT_AUTOINDEX.nameWidth,
    charset: options.charset,
    orderDefault: get(H.IndexOrderDefault),
    ignore: get(H.IndexIgnore),
    headerName: get(H.HeaderName),
    readmeName: get(H.ReadmeName),
  };
}
