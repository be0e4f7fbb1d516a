/**
 * Config text for every server the benchmark starts: nginx, Apache httpd (one MPM at a time)
 * and mpmd. Pure builders: the caller writes the text to a file.
 *
 * Fairness rules applied to all servers alike: no access log, loopback only, the same
 * keep-alive request limit per connection, `.txt` served as text/plain, everything else
 * left at the shipped defaults.
 *
 * @module
 */

/** Where one server's files live and what it serves. */
export interface SiteLayout {
  /** The temp dir holding configs, pid files and logs. */
  readonly dir: string;
  /** File-name stem of this server's files in `dir` (`nginx`, `httpd_event`, `mpmd_1`). */
  readonly stem: string;
  /** DocumentRoot / nginx root. */
  readonly docRoot: string;
  /** Loopback TCP port the server listens on. */
  readonly port: number;
  /** Requests allowed on one keep-alive connection (httpd's MaxKeepAliveRequests; 0: no limit). */
  readonly keepAliveRequests: number;
  /** Unprivileged user the worker processes switch to, or `null` when not running as root. */
  readonly runAsUser: string | null;
  /** The app module answering every request (`--app`); absent: the DocumentRoot's files. */
  readonly appModule?: string;
  /** Pools of exactly this many slots for every MPM (`--slots`); absent: the usual pools. */
  readonly slots?: number;
  /**
   * gzip of text/html on the fly at this zlib level (`--gzip`): nginx's `gzip on`, Apache's
   * mod_deflate, mpmd's DEFLATE filter; absent: no compression.
   */
  readonly gzipLevel?: number;
  /** The loopback port of the backend every request is proxied to (`--proxy`); absent: none. */
  readonly proxyTo?: number;
  /** A second, https listener with this certificate (the HTTPS cases); absent: plain only. */
  readonly tls?: TlsListener;
}

/** An https listener of a benchmarked server: its port and the certificate every server uses. */
export interface TlsListener {
  /** Loopback TCP port of the https listener. */
  readonly port: number;
  /** PEM certificate (ECDSA P-256, self-signed, made by the run). */
  readonly certificateFile: string;
  /** Its PEM private key. */
  readonly keyFile: string;
}

/** Apache httpd MPMs shipped by Debian's apache2 package. */
export const HTTPD_MPMS = ["event", "worker", "prefork"] as const;
/** One of {@link HTTPD_MPMS}. */
export type HttpdMpm = typeof HTTPD_MPMS[number];

/** Where Debian's apache2 package installs its shared modules. */
export const DEBIAN_HTTPD_MODULES_DIR = "/usr/lib/apache2/modules";

/**
 * The MPM directives Debian ships in /etc/apache2/mods-available/mpm_<name>.conf, so that
 * Apache runs as a Debian user gets it (httpd's compiled-in defaults differ a little).
 */
export const DEBIAN_HTTPD_MPM_DIRECTIVES: Readonly<
  Record<HttpdMpm, Readonly<Record<string, number>>>
> = {
  event: {
    StartServers: 2,
    MinSpareThreads: 25,
    MaxSpareThreads: 75,
    ThreadLimit: 64,
    ThreadsPerChild: 25,
    MaxRequestWorkers: 150,
    MaxConnectionsPerChild: 0,
  },
  worker: {
    StartServers: 2,
    MinSpareThreads: 25,
    MaxSpareThreads: 75,
    ThreadLimit: 64,
    ThreadsPerChild: 25,
    MaxRequestWorkers: 150,
    MaxConnectionsPerChild: 0,
  },
  prefork: {
    StartServers: 5,
    MinSpareServers: 5,
    MaxSpareServers: 10,
    MaxRequestWorkers: 150,
    MaxConnectionsPerChild: 0,
  },
};

/**
 * nginx ends keep-alive after `keepalive_requests` requests and has no "unlimited" value, so
 * httpd's 0 (unlimited) becomes a count no benchmark reaches.
 */
const NGINX_UNLIMITED_KEEPALIVE_REQUESTS = 1_000_000_000;

/** nginx.conf for `nginx -p <dir> -c <file>`: one worker per core, master process, no daemon. */
export function nginxConfig(site: SiteLayout): string {
  const base = `${site.dir}/${site.stem}`;
  return [
    ...(site.runAsUser ? [`user ${site.runAsUser};`] : []),
    "worker_processes auto;",
    "daemon off;",
    "master_process on;",
    `pid ${base}.pid;`,
    `error_log ${base}_error.log warn;`,
    "events {}",
    "http {",
    "  types { text/plain txt; text/html html; }",
    "  default_type application/octet-stream;",
    // gzip_types holds text/html always; gzip_vary as Apache's and mpmd's filters vary.
    ...(site.gzipLevel === undefined
      ? []
      : ["  gzip on;", `  gzip_comp_level ${site.gzipLevel};`, "  gzip_vary on;"]),
    "  access_log off;",
    "  sendfile on;",
    `  keepalive_requests ${site.keepAliveRequests || NGINX_UNLIMITED_KEEPALIVE_REQUESTS};`,
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) =>
      `  ${kind}_temp_path ${base}_temp/${kind};`
    ),
    // Kept-alive connections to the backend, as httpd's mod_proxy and mpmd pool theirs.
    ...(site.proxyTo === undefined
      ? []
      : [`  upstream backend { server 127.0.0.1:${site.proxyTo}; keepalive 64; }`]),
    "  server {",
    `    listen 127.0.0.1:${site.port};`,
    ...(site.tls === undefined ? [] : [
      // The same server on TLS: nginx's defaults otherwise (TLS 1.2 and 1.3, its own tickets).
      `    listen 127.0.0.1:${site.tls.port} ssl;`,
      `    ssl_certificate ${site.tls.certificateFile};`,
      `    ssl_certificate_key ${site.tls.keyFile};`,
      "    ssl_protocols TLSv1.2 TLSv1.3;",
    ]),
    "    server_name localhost;",
    `    root ${site.docRoot};`,
    ...(site.proxyTo === undefined ? [] : [
      "    location / {",
      "      proxy_pass http://backend;",
      "      proxy_http_version 1.1;",
      '      proxy_set_header Connection "";',
      "    }",
    ]),
    "  }",
    "}",
    "",
  ].join("\n");
}

/**
 * An Apache pool of exactly `slots` slots that neither grows nor shrinks: prefork with that
 * many children, worker and event with one child of that many threads.
 */
export function httpdSlotDirectives(mpm: HttpdMpm, slots: number): Record<string, number> {
  return mpm === "prefork"
    ? {
      StartServers: slots,
      MinSpareServers: slots,
      MaxSpareServers: slots + 1,
      ServerLimit: slots,
      MaxRequestWorkers: slots,
    }
    : {
      StartServers: 1,
      ServerLimit: 1,
      ThreadLimit: slots,
      ThreadsPerChild: slots,
      MaxRequestWorkers: slots,
      MinSpareThreads: 1,
      MaxSpareThreads: slots + 1,
    };
}

/**
 * mpmd's MPM sections for pools of `slots` slots, the same shapes as
 * {@link httpdSlotDirectives}: prefork with that many children, worker and winnt with one
 * child of that many threads, netware with that many threads, mpmt_os2 with one child
 * starting that many (it adds threads when all are busy, as httpd's does).
 */
export function mpmdSlotSections(slots: number): Record<string, Record<string, number>> {
  return {
    prefork: httpdSlotDirectives("prefork", slots),
    worker: httpdSlotDirectives("worker", slots),
    winnt: { ThreadsPerChild: slots },
    netware: { StartThreads: slots, MinSpareThreads: 1, MaxSpareThreads: slots, MaxThreads: slots },
    mpmt_os2: { StartServers: 1, MinSpareThreads: slots, MaxSpareThreads: slots + 1 },
  };
}

/** A self-contained httpd.conf for `apache2 -f <file> -DFOREGROUND` with the given MPM. */
export function httpdConfig(site: SiteLayout, mpm: HttpdMpm): string {
  const base = `${site.dir}/${site.stem}`;
  // reqtimeout: Debian enables it by default; it is Apache's answer to slow clients (--hostile).
  const modules = [
    `mpm_${mpm}`,
    "authz_core",
    "mime",
    "reqtimeout",
    ...(site.tls === undefined ? [] : ["socache_shmcb", "ssl"]),
    ...(site.gzipLevel === undefined ? [] : ["filter", "deflate"]),
    ...(site.proxyTo === undefined ? [] : ["proxy", "proxy_http"]),
  ];
  const mpmDirectives = Object.entries(
    site.slots === undefined
      ? DEBIAN_HTTPD_MPM_DIRECTIVES[mpm]
      : httpdSlotDirectives(mpm, site.slots),
  );
  return [
    `ServerRoot "${site.dir}"`,
    // Mutexes and the scoreboard land here; without it httpd uses ServerRoot/logs.
    `DefaultRuntimeDir "${base}_run"`,
    `PidFile "${base}.pid"`,
    `ErrorLog "${base}_error.log"`,
    "LogLevel warn",
    ...modules.map((m) => `LoadModule ${m}_module ${DEBIAN_HTTPD_MODULES_DIR}/mod_${m}.so`),
    ...(site.runAsUser ? [`User ${site.runAsUser}`, `Group ${site.runAsUser}`] : []),
    "ServerName localhost",
    `Listen 127.0.0.1:${site.port}`,
    // No CustomLog: mod_log_config writes nothing without one, matching `access_log off`.
    "TypesConfig /dev/null",
    "AddType text/plain .txt",
    "AddType text/html .html",
    ...(site.gzipLevel === undefined ? [] : [
      "AddOutputFilterByType DEFLATE text/html",
      `DeflateCompressionLevel ${site.gzipLevel}`,
    ]),
    "KeepAlive On",
    `MaxKeepAliveRequests ${site.keepAliveRequests}`,
    "KeepAliveTimeout 5",
    ...mpmDirectives.map(([name, value]) => `${name} ${value}`),
    `DocumentRoot "${site.docRoot}"`,
    ...(site.tls === undefined ? [] : [
      // Debian's ssl.conf's session cache and protocols; the host alike otherwise.
      `Listen 127.0.0.1:${site.tls.port} https`,
      `SSLSessionCache "shmcb:${base}_run/ssl_scache(512000)"`,
      "SSLProtocol all -SSLv3 -TLSv1 -TLSv1.1",
      `<VirtualHost *:${site.tls.port}>`,
      "  SSLEngine on",
      `  SSLCertificateFile "${site.tls.certificateFile}"`,
      `  SSLCertificateKeyFile "${site.tls.keyFile}"`,
      "</VirtualHost>",
    ]),
    "<Directory />",
    "  AllowOverride None",
    "  Require all denied",
    "</Directory>",
    `<Directory "${site.docRoot}">`,
    "  Require all granted",
    "</Directory>",
    ...(site.proxyTo === undefined ? [] : [`ProxyPass / http://127.0.0.1:${site.proxyTo}/`]),
    "",
  ].join("\n");
}

/** mpmd's YAML config (httpd directive names as keys); strings are JSON, which YAML accepts. */
export function mpmdConfig(site: SiteLayout): string {
  const base = `${site.dir}/${site.stem}`;
  return [
    `Listen: [${
      [
        `127.0.0.1:${site.port}`,
        ...(site.tls === undefined ? [] : [`127.0.0.1:${site.tls.port} https`]),
      ].map((address) => JSON.stringify(address)).join(", ")
    }]`,
    `DocumentRoot: ${JSON.stringify(site.docRoot)}`,
    ...(site.tls === undefined ? [] : [
      "SSLEngine: on",
      `SSLCertificateFile: ${JSON.stringify(site.tls.certificateFile)}`,
      `SSLCertificateKeyFile: ${JSON.stringify(site.tls.keyFile)}`,
    ]),
    "LogLevel: warn",
    `PidFile: ${JSON.stringify(`${base}.pid`)}`,
    `ErrorLog: ${JSON.stringify(`${base}_error.log`)}`,
    `MaxKeepAliveRequests: ${site.keepAliveRequests}`,
    ...(site.gzipLevel === undefined ? [] : [
      `AddOutputFilterByType: "DEFLATE text/html"`,
      `DeflateCompressionLevel: ${site.gzipLevel}`,
    ]),
    // event on this 2-core class of machine: one isolate per core, as nginx's worker_processes
    // auto; an event thread serves many connections, so more isolates only add switching.
    "event:",
    "  StartServers: 2",
    "  ThreadsPerChild: 1",
    "  MinSpareThreads: 1",
    "  MaxSpareThreads: 2",
    "  ServerLimit: 2",
    "  MaxRequestWorkers: 2",
    // `-D VHOSTS`: the same file behind three name-based virtual hosts (wrk's Host names none,
    // so the first answers) and five <Directory> sections, against the one-host run.
    "IfDefine:",
    "  VHOSTS:",
    "    VirtualHost:",
    ...["a", "b", "c"].flatMap((name) => [
      `      - Address: "*"`,
      `        ServerName: ${name}.bench.test`,
      `        DocumentRoot: ${JSON.stringify(site.docRoot)}`,
    ]),
    "    Directory:",
    `      "/": { Require: all denied }`,
    `      ${JSON.stringify(site.docRoot)}: { Require: all granted, Options: [FollowSymLinks] }`,
    `      ${JSON.stringify(`${site.docRoot}/assets`)}: { Require: all granted }`,
    `      ${JSON.stringify(`${site.docRoot}/private`)}: { Require: all denied }`,
    `      ${JSON.stringify(`${site.docRoot}/*/drafts`)}: { Require: ip 10.0.0.0/8 }`,
    ...(site.slots === undefined ? [] : Object.entries(mpmdSlotSections(site.slots)).flatMap((
      [mpm, section],
    ) => [`${mpm}:`, ...Object.entries(section).map(([name, value]) => `  ${name}: ${value}`)])),
    ...(site.proxyTo === undefined
      ? []
      : [`ProxyPass: [${JSON.stringify(`/ http://127.0.0.1:${site.proxyTo}/`)}]`]),
    ...(site.appModule === undefined ? [] : [
      "App:",
      "  - Location: /",
      `    Module: ${JSON.stringify(site.appModule)}`,
      // prefork holds a connection per process and each is an isolate (~90 MB): more
      // processes than connections served at once would only cost memory here.
      "prefork:",
      "  StartServers: 8",
      "  MinSpareServers: 2",
      "  MaxSpareServers: 16",
      "  ServerLimit: 16",
      "  MaxRequestWorkers: 16",
    ]),
    "",
  ].join("\n");
}
