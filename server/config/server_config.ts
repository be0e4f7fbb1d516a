/**
 * The validated configuration: one immutable, serialisable object that the parent hands to
 * every child and thread. Readers (YAML now, httpd.conf later) produce it; nothing else
 * parses configuration. Server-wide settings sit at the top; per-host settings sit in
 * {@link HostConfig}, with the default host first, so that virtual hosts can be added
 * without reshaping it.
 *
 * @module
 */

import type { ErrorLogFormat, LogLevel } from "../log/mod.ts";
import type { BalancerConfig } from "./balancer_config.ts";

/** The six MPMs, in httpd's order of appearance in its manual. */
export const MPM_NAMES = ["prefork", "worker", "event", "winnt", "netware", "mpmt_os2"] as const;
/** One of {@link MPM_NAMES}. */
export type MpmName = typeof MPM_NAMES[number];

/** What chose the active MPM, in precedence order. */
export const MPM_SOURCES = ["--mpm", "MPM directive", "platform default"] as const;
/** One of {@link MPM_SOURCES}. */
export type MpmSource = typeof MPM_SOURCES[number];

/** httpd's ServerTokens values, from least to most revealing. */
export const SERVER_TOKENS = ["Prod", "Major", "Minor", "Min", "OS", "Full"] as const;
/** One of {@link SERVER_TOKENS}. */
export type ServerTokens = typeof SERVER_TOKENS[number];

/**
 * httpd's ServerSignature values: no footer on server-generated pages, a footer naming the
 * server, or that footer with the host's name as a mailto: link to ServerAdmin.
 */
export const SERVER_SIGNATURES = ["Off", "On", "EMail"] as const;
/** One of {@link SERVER_SIGNATURES}. */
export type ServerSignature = typeof SERVER_SIGNATURES[number];

/**
 * The HTTP engines a slot can serve with: mpmd's own HTTP/1.1 engine over `Deno.listen`
 * (every limit and connection state of httpd), or Deno's built-in server (`Deno.serve`,
 * Rust's hyper), faster, with Deno's own limits.
 */
export const HTTP_ENGINES = ["mpmd", "native"] as const;
/** One of {@link HTTP_ENGINES}. */
export type HttpEngineName = typeof HTTP_ENGINES[number];

/**
 * What a `Listen` address speaks: plain HTTP, or HTTP over TLS (httpd's `Listen 443 https`),
 * whose certificates come from the SSLEngine hosts on that address.
 */
export const LISTEN_PROTOCOLS = ["http", "https"] as const;
/** One of {@link LISTEN_PROTOCOLS}. */
export type ListenProtocol = typeof LISTEN_PROTOCOLS[number];

/**
 * What httpd's Protocols directive names: HTTP/2 over TLS (`h2`, chosen by ALPN), HTTP/2 over
 * plain TCP (`h2c`, read but not served) and HTTP/1.1 (which covers HTTP/1.0).
 */
export const HTTP_PROTOCOLS = ["h2", "h2c", "http/1.1"] as const;
/** One of {@link HTTP_PROTOCOLS}. */
export type HttpProtocol = typeof HTTP_PROTOCOLS[number];

/** The TLS versions mpmd's TLS library (rustls, through Deno) has, oldest first. */
export const TLS_VERSIONS = ["TLSv1.2", "TLSv1.3"] as const;
/** One of {@link TLS_VERSIONS}. */
export type TlsVersion = typeof TLS_VERSIONS[number];

/** SSLProtocol: the TLS versions a host offers, and those asked for that are never offered. */
export interface TlsProtocols {
  /** The oldest version offered. */
  readonly min: TlsVersion;
  /** The newest version offered. */
  readonly max: TlsVersion;
  /** Versions written with `+` or alone that the TLS library does not have (`TLSv1.1`). */
  readonly unavailable: readonly string[];
}

/** mod_ssl's settings of one host. */
export interface HostTls {
  /** SSLEngine: whether the host answers TLS connections on its https addresses. */
  readonly engine: boolean;
  /** SSLCertificateFile: PEM certificate, its chain after it; `null` when not set. */
  readonly certificateFile: string | null;
  /** SSLCertificateKeyFile: PEM private key; `null` for a key inside the certificate file. */
  readonly keyFile: string | null;
  /**
   * SSLCertificateChainFile (deprecated in httpd 2.4.8): PEM intermediates sent after the
   * certificate; `null` when not set.
   */
  readonly chainFile: string | null;
  /** SSLProtocol: the versions offered. */
  readonly protocols: TlsProtocols;
  /**
   * The certificate (chain included) and key as read when the configuration was loaded, by the
   * parent before it hands its slots to the User (httpd reads keys as root, too); `null` when
   * the configuration was read without file access, and the slot then reads the files itself.
   */
  readonly credentials: TlsCredentials | null;
}

/** A host's certificate chain and private key, PEM. */
export interface TlsCredentials {
  /** The certificate, then the rest of its chain. */
  readonly certificate: string;
  /** The unencrypted private key. */
  readonly key: string;
}

/** User and Group as the serving processes take them. */
export interface RunAs {
  /** The User as written. */
  readonly user: string;
  /** The Group as written, or `null` for the user's own. */
  readonly group: string | null;
  /** The User's id. */
  readonly uid: number;
  /** The Group's id (the User's own group when no Group is written). */
  readonly gid: number;
}

/** One `Listen` address. */
export interface ListenAddress {
  /** Numeric address to bind (`0.0.0.0`, `127.0.0.1`, `::1`, `::`). */
  readonly hostname: string;
  /** TCP port; 0 asks the OS for a free one (tests). */
  readonly port: number;
  /** What it speaks: `https` when written so, or for port 443 with nothing written (httpd's). */
  readonly protocol: ListenProtocol;
  /** Where this address was configured (`mpmd.yaml:3`, `-c argument`), for bind errors. */
  readonly origin: string;
}

/** One phase of mod_reqtimeout's RequestReadTimeout (`header=20-40,MinRate=500`). */
export interface ReadTimeout {
  /** Time allowed before any extension; 0 disables the limit. */
  readonly initialMs: number;
  /**
   * Hard ceiling the deadline may be extended to; equal to `initialMs` when there is no range
   * and no MinRate. httpd sets no ceiling for a MinRate without a range (`body=20,MinRate=500`):
   * that is `Number.MAX_SAFE_INTEGER` here, so `Math.min` needs no special case.
   */
  readonly maxMs: number;
  /** Each time this many bytes arrive the deadline moves 1 s further (0: no extension). */
  readonly minRateBytesPerSec: number;
}

/** One CustomLog: a file (or `stderr`/`stdout`) and the LogFormat string to write. */
export interface CustomLog {
  /** Absolute path, or `stdout` / `stderr`. */
  readonly path: string;
  /** The resolved format string (nicknames already replaced). */
  readonly format: string;
}

/**
 * One `App` mount: a handler module in the `deno serve` convention (`export default { fetch }`)
 * that answers the requests whose path is `location` or below it.
 */
export interface AppMount {
  /** URL path prefix: `/` or `/seg/…` without a trailing slash, no `.`/`..` or empty segment. */
  readonly location: string;
  /** Absolute path of the module file. */
  readonly module: string;
}

/** The Status directive: where the status page and the metrics are served, and to whom. */
export interface StatusConfig {
  /** URL path of the status page (`?auto`, `?json`, `?refresh=N`, `?notable` below it). */
  readonly location: string;
  /** URL path of the Prometheus metrics, or `null` for none. */
  readonly metricsLocation: string | null;
  /** Client ranges allowed to read both, canonical (`127.0.0.0/8`, `::1/128`). */
  readonly allow: readonly string[];
}

/**
 * One redirect of mod_alias: a URL-path prefix (`Redirect`) or a regular expression
 * (`RedirectMatch`), the status, and where to send the client.
 */
export interface RedirectRule {
  /** `prefix`: the path is `match` or below it; `regex`: `match` finds itself in the path. */
  readonly kind: "prefix" | "regex";
  /** The URL path (`/old`) or the regular expression's source. */
  readonly match: string;
  /** 301, 302, 303, another 3xx, or a 4xx/5xx such as 410 (gone) that sends no Location. */
  readonly status: number;
  /** Where to: a URL, or a path on this host; `$1`… from a regex's groups; `null` for 4xx/5xx. */
  readonly target: string | null;
}

/** An ErrorDocument: a local URL path, an external URL, or a text. */
export interface ErrorDocument {
  /** `path`: served with the error's status; `url`: a 302 to it; `text`: the body itself. */
  readonly kind: "path" | "url" | "text";
  /** The path, the URL or the text. */
  readonly value: string;
}

/** What a Header or RequestHeader line does to its field. */
export type HeaderAction = "set" | "append" | "add" | "merge" | "setifempty" | "unset";

/** One Header or RequestHeader line. */
export interface HeaderRule {
  /** `onsuccess` (the default): 2xx and 304 responses; `always`: every response. */
  readonly when: "onsuccess" | "always";
  /** What it does to the field. */
  readonly action: HeaderAction;
  /** The field name as written. */
  readonly name: string;
  /** The value, as written; `null` for unset. */
  readonly value: string | null;
}

/**
 * The output filters mpmd has: mod_deflate's `DEFLATE` (gzip) and mod_brotli's
 * `BROTLI_COMPRESS` (br).
 */
export const OUTPUT_FILTERS = ["DEFLATE", "BROTLI_COMPRESS"] as const;
/** One of {@link OUTPUT_FILTERS}. */
export type OutputFilter = typeof OUTPUT_FILTERS[number];

/** One `AddOutputFilterByType` line: its filters and the media types they apply to. */
export interface OutputFilterRule {
  /** The filters, in the order written. */
  readonly filters: readonly OutputFilter[];
  /** Media types without parameters, lower-case (`text/html`). */
  readonly types: readonly string[];
}

/** DeflateAlterETag / BrotliAlterETag: what compressing a response does to its ETag. */
export const ALTER_ETAG_MODES = ["AddSuffix", "NoChange", "Remove"] as const;
/** One of {@link ALTER_ETAG_MODES}. */
export type AlterETagMode = typeof ALTER_ETAG_MODES[number];

/** mod_deflate's and mod_brotli's settings of a host. */
export interface CompressionConfig {
  /** AddOutputFilterByType lines, in the order written (the main server's first). */
  readonly byType: readonly OutputFilterRule[];
  /** SetOutputFilter: filters for every response whatever its type; empty for none. */
  readonly always: readonly OutputFilter[];
  /** DeflateCompressionLevel: zlib's level, 1–9. */
  readonly deflateLevel: number;
  /** BrotliCompressionQuality: 0–11. */
  readonly brotliQuality: number;
  /** DeflateMinLength (mpmd's own): a body known to be shorter is left as it is. */
  readonly minLengthBytes: number;
  /** DeflateAlterETag: what gzip does to an ETag. */
  readonly deflateAlterETag: AlterETagMode;
  /** BrotliAlterETag: what br does to an ETag. */
  readonly brotliAlterETag: AlterETagMode;
}

/** A ProxyPass worker's settings (httpd's `key=value` parameters after the URL). */
export interface ProxyWorker {
  /** `timeout=`: how long to wait for the backend; `null` for ProxyTimeout. */
  readonly timeoutMs: number | null;
  /** `connectiontimeout=`: how long to wait for a connection; `null` for the timeout's. */
  readonly connectionTimeoutMs: number | null;
  /** `keepalive=`: TCP keep-alive probes on backend connections. */
  readonly tcpKeepAlive: boolean;
  /** `max=`: open connections to the backend per slot (more requests wait for one). */
  readonly max: number;
  /** `ttl=`: how long an idle pooled connection is kept; 0: until the backend closes it. */
  readonly ttlMs: number;
  /**
   * `upgrade=`: the protocol a request may switch to through this rule (`websocket`), or `ANY`
   * for whichever it asks; `null`: upgrades are not passed (the request goes as an ordinary one).
   */
  readonly upgrade: string | null;
}

/** One ProxyPass or ProxyPassMatch rule. */
export interface ProxyRule {
  /** `prefix`: the path starts with `match` (ProxyPass); `regex`: `match` finds itself in it. */
  readonly kind: "prefix" | "regex";
  /** The URL path or the regular expression's source. */
  readonly match: string;
  /** The backend URL (`$1`… from a regex's groups), or `null` for `!` (not proxied). */
  readonly target: string | null;
  /** The worker's settings. */
  readonly worker: ProxyWorker;
}

/** One ProxyPassReverse, ProxyPassReverseCookieDomain or ProxyPassReverseCookiePath line. */
export interface ProxyReverseRule {
  /** What the backend writes: a URL, a cookie domain or a cookie path. */
  readonly backend: string;
  /** What the client is shown instead: a path on this host, or a domain. */
  readonly public: string;
}

/** mod_proxy's settings of a host. */
export interface ProxyConfig {
  /** ProxyPass, then ProxyPassMatch rules, each in the order written: the first match wins. */
  readonly rules: readonly ProxyRule[];
  /** ProxyPassReverse: backend URL prefixes in Location, Content-Location and URI rewritten. */
  readonly reverse: readonly ProxyReverseRule[];
  /** ProxyPassReverseCookieDomain: Set-Cookie domains rewritten. */
  readonly cookieDomains: readonly ProxyReverseRule[];
  /** ProxyPassReverseCookiePath: Set-Cookie path prefixes rewritten. */
  readonly cookiePaths: readonly ProxyReverseRule[];
  /** ProxyPreserveHost: the backend gets the client's Host rather than its own name. */
  readonly preserveHost: boolean;
  /** ProxyTimeout: how long to wait for a backend; `null` for Timeout. */
  readonly timeoutMs: number | null;
  /** ProxyAddHeaders: X-Forwarded-For, -Host and -Server added to the backend's request. */
  readonly addHeaders: boolean;
  /** ProxyForwarded (mpmd's own): an RFC 7239 Forwarded field added too. */
  readonly forwarded: boolean;
}

/** httpd's per-path sections. */
export const PATH_SECTION_KINDS = [
  "Directory",
  "DirectoryMatch",
  "Files",
  "FilesMatch",
  "Location",
  "LocationMatch",
] as const;
/** One of {@link PATH_SECTION_KINDS}. */
export type PathSectionKind = typeof PATH_SECTION_KINDS[number];

/**
 * An authorization rule of mod_authz_core: a `Require` line, or a container of them (`any` is
 * RequireAny, and several Require lines together; `all-of` is RequireAll; `none` RequireNone).
 */
export type Requirement =
  | { readonly kind: "all"; readonly granted: boolean }
  /** `Require [not] ip …` and `Require [not] local`: canonical CIDR ranges. */
  | { readonly kind: "ip"; readonly ranges: readonly string[]; readonly not: boolean }
  | { readonly kind: "valid-user" }
  | { readonly kind: "user"; readonly names: readonly string[]; readonly not: boolean }
  | { readonly kind: "any" | "all-of" | "none"; readonly rules: readonly Requirement[] };

/** httpd's override classes: the groups of directives AllowOverride lets an access file hold. */
export const OVERRIDE_CLASSES = ["AuthConfig", "FileInfo", "Indexes", "Limit", "Options"] as const;
/** One of {@link OVERRIDE_CLASSES}. */
export type OverrideClass = typeof OVERRIDE_CLASSES[number];

/** The options mpmd implements, by their field names in {@link HostConfig}. */
export type OptionName = "indexes" | "followSymLinks";

/** AllowOverride: what the access files (`.htaccess`) of a directory and below may set. */
export interface AllowOverride {
  /** The classes allowed; empty for `None` (then no access file is read). */
  readonly classes: readonly OverrideClass[];
  /** With `Options` allowed: the options an access file's Options line may set (`Options=…`). */
  readonly options: readonly OptionName[];
}

/** One per-path section and the access rules it sets (`null`: left as an outer section says). */
export interface AccessSection {
  /** Which section it is. */
  readonly kind: PathSectionKind;
  /**
   * What it matches: an absolute directory (Directory, wildcards `*` `?` allowed), a file name
   * (Files, wildcards allowed), a URL path (Location), or a regular expression (…Match).
   */
  readonly match: string;
  /** Require: who may read; `null` keeps the outer sections' rule. */
  readonly require: Requirement | null;
  /** AuthType: `Basic`, or `None` to turn an outer section's off. */
  readonly authType: "Basic" | "None" | null;
  /** AuthName: the realm a Basic challenge names. */
  readonly authName: string | null;
  /** AuthUserFile: absolute path of an htpasswd file. */
  readonly authUserFile: string | null;
  /**
   * Options of a Directory or DirectoryMatch section (`null` parts: as the outer sections
   * say), for the directories it holds.
   */
  readonly options:
    | { readonly indexes: boolean | null; readonly followSymLinks: boolean | null }
    | null;
  /** DirectoryIndex of a Directory or DirectoryMatch section, for the directories it holds. */
  readonly directoryIndex: readonly string[] | null;
  /** AllowOverride of a Directory section (never a DirectoryMatch one, as in httpd). */
  readonly allowOverride: AllowOverride | null;
}

/**
 * One mapping of mod_alias: a URL-path prefix (`Alias`), a regular expression (`AliasMatch`), or
 * a ScriptAlias prefix, which mpmd refuses (no CGI).
 */
export interface AliasRule {
  /**
   * `prefix`: the path is `match` or below it; `regex`: `match` finds itself in the path;
   * `script`: as `prefix`, answered 403.
   */
  readonly kind: "prefix" | "regex" | "script";
  /** The URL path (`/icons/`) or the regular expression's source. */
  readonly match: string;
  /** Absolute file system path: a directory or a file; `$1`… from a regex's groups. */
  readonly target: string;
}

/** The IndexOptions flags mpmd implements, in httpd's manual's order. */
export const INDEX_OPTION_FLAGS = [
  "FancyIndexing",
  "FoldersFirst",
  "HTMLTable",
  "IgnoreCase",
  "SuppressColumnSorting",
  "SuppressHTMLPreamble",
  "SuppressLastModified",
  "SuppressSize",
  "VersionSort",
] as const;
/** One of {@link INDEX_OPTION_FLAGS}. */
export type IndexOptionFlag = typeof INDEX_OPTION_FLAGS[number];

/** The columns a listing sorts by, as its query names them: Name, Modified, Size, Description. */
export const SORT_KEYS = ["N", "M", "S", "D"] as const;
/** One of {@link SORT_KEYS}. */
export type SortKey = typeof SORT_KEYS[number];

/** The order of a listing: a column and a direction. */
export interface ListingOrder {
  /** The column sorted by (names break ties). */
  readonly key: SortKey;
  /** Smallest first. */
  readonly ascending: boolean;
}

/** mod_autoindex's settings of a host: how a directory listing looks. */
export interface AutoindexConfig {
  /** IndexOptions flags in force (FancyIndexing also from the FancyIndexing directive). */
  readonly flags: readonly IndexOptionFlag[];
  /** IndexOptions NameWidth: characters of a name shown, or `*` for the longest name's. */
  readonly nameWidth: number | "*";
  /** IndexOptions Charset: the listing's charset, or `null` for UTF-8. */
  readonly charset: string | null;
  /** IndexOrderDefault: the order of a listing whose query names none. */
  readonly orderDefault: ListingOrder;
  /** IndexIgnore: wildcard patterns of names left out. */
  readonly ignore: readonly string[];
  /** HeaderName: a file of the listed directory shown above it, or `null`. */
  readonly headerName: string | null;
  /** ReadmeName: a file of the listed directory shown below it, or `null`. */
  readonly readmeName: string | null;
}

/** One address of a `<VirtualHost>`; `null` parts match any address or port. */
export interface VirtualHostAddress {
  /** Numeric address, canonical (`127.0.0.1`, `::1`), or `null` for `*` and `_default_`. */
  readonly hostname: string | null;
  /** TCP port, or `null` for `*` (or none written). */
  readonly port: number | null;
}

/**
 * Settings that belong to one host: the main server (`hosts[0]`, which has no addresses) or a
 * `<VirtualHost>`, whose unset directives are the main server's, as in httpd.
 */
export interface HostConfig {
  /**
   * The `<VirtualHost>` addresses whose connections try this host's names; empty for the
   * main server, which answers connections that no virtual host's address matches.
   */
  readonly addresses: readonly VirtualHostAddress[];
  /** Where the host was declared (`sites.conf:12`), or where the main server's file is. */
  readonly declaredAt: string;
  /** ServerAdmin: the address error pages and signatures name. */
  readonly serverAdmin: string;
  /** ServerName: the host's name, used in access logs and redirects. */
  readonly serverName: string;
  /** ServerAlias: further names that select this host. */
  readonly serverAliases: readonly string[];
  /** Absolute, normalised path without a trailing slash. */
  readonly documentRoot: string;
  /** File names tried, in order, for a request that maps to a directory. */
  readonly directoryIndex: readonly string[];
  /** `Options Indexes`: list a directory that has no index file. */
  readonly indexes: boolean;
  /** `Options FollowSymLinks`: follow symbolic links that lead outside DocumentRoot. */
  readonly followSymLinks: boolean;
  /** mod_autoindex: how a listing under `indexes` looks. */
  readonly autoindex: AutoindexConfig;
  /** AccessFileName: the names of the access files read where AllowOverride allows them. */
  readonly accessFileNames: readonly string[];
  /** AddType overrides: lower-case extension without the dot → media type. */
  readonly addType: Readonly<Record<string, string>>;
  /** AddCharset: lower-case extension without the dot → charset added to its Content-Type. */
  readonly addCharset: Readonly<Record<string, string>>;
  /** ForceType: the media type of every file the host serves, or `null` (None). */
  readonly forceType: string | null;
  /** AddDefaultCharset: charset added to text/plain and text/html responses, or `null` (Off). */
  readonly addDefaultCharset: string | null;
  /** ServerSignature: the footer of the host's error pages and directory listings. */
  readonly serverSignature: ServerSignature;
  /**
   * UseCanonicalName: `true` (On) names the host by ServerName and the connection's port in the
   * URLs and signatures it builds; `false` (Off) by the client's Host field.
   */
  readonly useCanonicalName: boolean;
  /**
   * Redirect, RedirectPermanent, RedirectTemp, then RedirectMatch rules, each in the order
   * written: the first that matches answers.
   */
  readonly redirects: readonly RedirectRule[];
  /** Alias, then AliasMatch rules, each in the order written: the first that matches serves. */
  readonly aliases: readonly AliasRule[];
  /**
   * Per-path sections in httpd's order of application: Directory, DirectoryMatch, Files,
   * FilesMatch, Location, LocationMatch, each in the order written.
   */
  readonly sections: readonly AccessSection[];
  /** Header lines, in the order written (the main server's first, as httpd merges them). */
  readonly headers: readonly HeaderRule[];
  /** RequestHeader lines, in the order written. */
  readonly requestHeaders: readonly HeaderRule[];
  /** mod_deflate and mod_brotli: which answers are compressed on the fly, and how. */
  readonly compression: CompressionConfig;
  /** ErrorDocument: status → document; `null` (`default`) for the built-in page. */
  readonly errorDocuments: Readonly<Record<number, ErrorDocument | null>>;
  /**
   * ErrorLog: where the error-log entries about this host's requests go (absolute path, or
   * `stderr`); the main server's unless the host sets its own.
   */
  readonly errorLog: string;
  /** LogLevel: least severe entries about this host's requests that are written. */
  readonly logLevel: LogLevel;
  /** Access logs of this host. */
  readonly customLogs: readonly CustomLog[];
  /** App: handler modules mounted on URL prefixes, in the order written. */
  readonly apps: readonly AppMount[];
  /** Status: the server-status page and metrics of this host, or `null` (Off). */
  readonly status: StatusConfig | null;
  /** SSLEngine and its companions: how the host answers TLS connections. */
  readonly tls: HostTls;
  /** mod_proxy: what the host passes to backends, and how it rewrites their answers. */
  readonly proxy: ProxyConfig;
  /**
   * Protocols: what the host speaks, in the order the server prefers them (ALPN on its https
   * addresses picks the first one the client offers too).
   */
  readonly protocols: readonly HttpProtocol[];
}

/** The whole validated configuration. Every field is filled: code never sees `undefined`. */
export interface ServerConfig {
  /** Absolute path of the file it came from, or `null` for the embedded default. */
  readonly file: string | null;
  /** Directory that relative paths were resolved against (httpd's ServerRoot). */
  readonly serverRoot: string;
  /** `-D` names in force when the config was read. */
  readonly defines: readonly string[];
  /**
   * The loadable modules in effect (`ssl_module`), which an access file's `<IfModule>` tests:
   * those an httpd.conf's LoadModule named, in that order; all of them for YAML, which has no
   * LoadModule.
   */
  readonly loadedModules: readonly string[];

  /** The active MPM, already decided: `--mpm` > `MPM:` > platform default. */
  readonly mpm: MpmName;
  /** What chose {@link mpm}: the command line, the config's `MPM:`, or the platform. */
  readonly mpmChosenBy: MpmSource;
  /** The active MPM's section with httpd's defaults filled in, e.g. `{ StartServers: 5 }`. */
  readonly mpmDirectives: Readonly<Record<string, number>>;

  /**
   * HttpEngine (mpmd's own): mpmd's HTTP/1.1 engine, or Deno's native one (event only: a
   * native slot serves many connections at once).
   */
  readonly httpEngine: HttpEngineName;
  /** Listen: the addresses to bind, never empty. */
  readonly listen: readonly ListenAddress[];
  /** Timeout: idle time allowed on a read or write of an active request. */
  readonly timeoutMs: number;
  /** KeepAlive: whether a connection may carry several requests. */
  readonly keepAlive: boolean;
  /** KeepAliveTimeout: idle time allowed between requests. */
  readonly keepAliveTimeoutMs: number;
  /** 0 means unlimited, as in httpd. */
  readonly maxKeepAliveRequests: number;
  /** RequestReadTimeout: limits for receiving the head and the body. */
  readonly requestReadTimeout: { readonly header: ReadTimeout; readonly body: ReadTimeout };
  /** LimitRequestLine: longest request line in bytes (longer → 414). */
  readonly limitRequestLine: number;
  /** LimitRequestFieldSize: longest header field line in bytes. */
  readonly limitRequestFieldSize: number;
  /** LimitRequestFields: most header fields (0 means unlimited, as in httpd). */
  readonly limitRequestFields: number;
  /** 0 means unlimited. */
  readonly limitRequestBodyBytes: number;
  /** ServerTokens: how much the Server field reveals. */
  readonly serverTokens: ServerTokens;
  /** GracefulShutdownTimeout: how long a graceful stop waits for in-flight work; 0 waits forever. */
  readonly gracefulShutdownTimeoutMs: number;
  /**
   * GracefulSigterm (mpmd's own; default Off, as httpd): a SIGTERM stops gracefully, as
   * SIGWINCH does, bounded by GracefulShutdownTimeout. The setting for containers.
   */
  readonly gracefulSigterm: boolean;
  /**
   * Health (mpmd's own): the path answering 200 while the server takes requests and 503 once
   * it drains, on every host and to every client; `null` (Off) for none.
   */
  readonly healthLocation: string | null;
  /**
   * RequestTimeout (mpmd's own): a slot whose isolate has not run its timers for this long
   * (a handler in a busy loop) is terminated and replaced.
   */
  readonly requestTimeoutMs: number;
  /** MaintenanceInterval (mpmd's own; httpd's is a fixed second): the parent's cycle. */
  readonly maintenanceIntervalMs: number;
  /**
   * MaxMemoryPerChild (mpmd's own), in bytes: a child process whose resident memory passes it
   * finishes its requests and is replaced; 0: no bound.
   */
  readonly maxMemoryPerChildBytes: number;
  /**
   * MaxConnectionsPerChildJitter (mpmd's own, as gunicorn's max_requests_jitter): each child
   * adds a random 0…N to MaxConnectionsPerChild, so that children do not all recycle at once.
   */
  readonly maxConnectionsPerChildJitter: number;
  /**
   * ExtendedStatus: slots record each request's line, client and host for the status page
   * (httpd 2.4's default is On, as here).
   */
  readonly extendedStatus: boolean;

  /**
   * Absolute path of the PidFile, or `null` when none is configured: the server then writes
   * none unless `-k start` started it (which names one on its command line).
   */
  readonly pidFile: string | null;
  /**
   * TypesConfig: its path and the types it gives, extension → media type (read when the
   * configuration is loaded with file access; empty otherwise); `null` for none: mime-db's
   * table alone.
   */
  readonly typesConfig:
    | { readonly path: string; readonly types: Readonly<Record<string, string>> }
    | null;
  /**
   * User and Group, looked up: who the serving processes become when the server is started
   * as root (`null`: no User, or not looked up); the parent keeps root.
   */
  readonly runAs: RunAs | null;
  /**
   * The main server's ErrorLog (`hosts[0].errorLog`), absolute path or `stderr`: where entries
   * not tied to a request go.
   */
  readonly errorLog: string;
  /** ErrorLogFormat (keywords only): httpd's default layout, or one JSON object per line. */
  readonly errorLogFormat: ErrorLogFormat;
  /** The main server's LogLevel (`hosts[0].logLevel`), for entries not tied to a request. */
  readonly logLevel: LogLevel;
  /** LogFormat nicknames → format strings (includes `common` and `combined`). */
  readonly logFormats: Readonly<Record<string, string>>;

  /**
   * mod_proxy_balancer's balancers (BalancerMember, ProxySet), server-wide: every host's
   * `balancer://name` names one of them.
   */
  readonly balancers: readonly BalancerConfig[];

  /**
   * The main server (`hosts[0]`, always there) and then each `<VirtualHost>` in the order
   * written: for one connection, the first virtual host with its address is that address's
   * default.
   */
  readonly hosts: readonly [HostConfig, ...HostConfig[]];
}
