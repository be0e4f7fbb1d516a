import assert from "node:assert/strict";
import {
  DEFAULT_AUTOINDEX,
  DEFAULT_COMPRESSION,
  type ServerConfig,
} from "../../../../server/config/mod.ts";
import { parseYaml, withListen } from "./_parse_yaml.ts";

const host = (c: ServerConfig) => c.hosts[0];
const MAX = Number.MAX_SAFE_INTEGER;

const VALID: { yaml: string; get: (c: ServerConfig) => unknown; want: unknown }[] = [
  { yaml: "ServerName: example.com", get: (c) => host(c).serverName, want: "example.com" },
  {
    yaml: "ServerAlias: [a.example, b.example]",
    get: (c) => host(c).serverAliases,
    want: ["a.example", "b.example"],
  },
  {
    yaml: "ServerAlias: a.example b.example",
    get: (c) => host(c).serverAliases,
    want: ["a.example", "b.example"],
  },
  {
    yaml: "Listen: 8080",
    get: (c) => c.listen,
    want: [{ hostname: "0.0.0.0", port: 8080, protocol: "http", origin: "mpmd.yaml:1" }],
  },
  { yaml: 'Listen: "8080"', get: (c) => c.listen.map((l) => l.port), want: [8080] },
  {
    yaml: "Listen: 127.0.0.1:9000",
    get: (c) => c.listen.map((l) => [l.hostname, l.port]),
    want: [["127.0.0.1", 9000]],
  },
  {
    yaml: 'Listen:\n  - "[::1]:80"\n  - "*:81"\n  - "[::0001]:0"',
    get: (c) => c.listen,
    want: [
      { hostname: "::1", port: 80, protocol: "http", origin: "mpmd.yaml:2" },
      { hostname: "0.0.0.0", port: 81, protocol: "http", origin: "mpmd.yaml:3" },
      { hostname: "::1", port: 0, protocol: "http", origin: "mpmd.yaml:4" },
    ],
  },
  { yaml: "DocumentRoot: www", get: (c) => host(c).documentRoot, want: "/srv/www" },
  { yaml: "DocumentRoot: /var/www/", get: (c) => host(c).documentRoot, want: "/var/www" },
  { yaml: "DocumentRoot: /var/my site", get: (c) => host(c).documentRoot, want: "/var/my site" },
  {
    yaml: "DirectoryIndex: index.html index.htm",
    get: (c) => host(c).directoryIndex,
    want: ["index.html", "index.htm"],
  },
  {
    yaml: "DirectoryIndex: [default.htm]",
    get: (c) => host(c).directoryIndex,
    want: ["default.htm"],
  },
  { yaml: "DirectoryIndex: disabled", get: (c) => host(c).directoryIndex, want: [] },
  {
    yaml: "Options: Indexes",
    get: (c) => [host(c).indexes, host(c).followSymLinks],
    want: [true, false],
  },
  {
    yaml: "Options: indexes followsymlinks",
    get: (c) => [host(c).indexes, host(c).followSymLinks],
    want: [true, true],
  },
  {
    yaml: "Options: [All]",
    get: (c) => [host(c).indexes, host(c).followSymLinks],
    want: [true, true],
  },
  {
    yaml: "Options: None",
    get: (c) => [host(c).indexes, host(c).followSymLinks],
    want: [false, false],
  },
  {
    yaml: "Options: +FollowSymLinks",
    get: (c) => [host(c).indexes, host(c).followSymLinks],
    want: [false, true],
  },
  {
    yaml: 'AddType: {"text/x-foo": [.foo, BAR]}',
    get: (c) => host(c).addType,
    want: { foo: "text/x-foo", bar: "text/x-foo" },
  },
  {
    yaml: 'AddType: {"text/x-foo": ".foo .f"}',
    get: (c) => host(c).addType,
    want: { foo: "text/x-foo", f: "text/x-foo" },
  },
  { yaml: "AddDefaultCharset: Off", get: (c) => host(c).addDefaultCharset, want: null },
  { yaml: "AddDefaultCharset: On", get: (c) => host(c).addDefaultCharset, want: "iso-8859-1" },
  { yaml: "AddDefaultCharset: true", get: (c) => host(c).addDefaultCharset, want: "iso-8859-1" },
  { yaml: "AddDefaultCharset: utf-8", get: (c) => host(c).addDefaultCharset, want: "utf-8" },
  { yaml: "KeepAlive: Off", get: (c) => c.keepAlive, want: false },
  { yaml: "KeepAlive: false", get: (c) => c.keepAlive, want: false },
  { yaml: "KeepAlive: on", get: (c) => c.keepAlive, want: true },
  { yaml: "KeepAliveTimeout: 15", get: (c) => c.keepAliveTimeoutMs, want: 15_000 },
  { yaml: "KeepAliveTimeout: 500ms", get: (c) => c.keepAliveTimeoutMs, want: 500 },
  { yaml: "KeepAliveTimeout: 2s", get: (c) => c.keepAliveTimeoutMs, want: 2_000 },
  { yaml: "KeepAliveTimeout: 0.5", get: (c) => c.keepAliveTimeoutMs, want: 500 },
  { yaml: "KeepAliveTimeout: 0", get: (c) => c.keepAliveTimeoutMs, want: 0 },
  { yaml: "Timeout: 30", get: (c) => c.timeoutMs, want: 30_000 },
  { yaml: "MaxKeepAliveRequests: 0", get: (c) => c.maxKeepAliveRequests, want: 0 },
  { yaml: 'MaxKeepAliveRequests: "50"', get: (c) => c.maxKeepAliveRequests, want: 50 },
  {
    yaml: "RequestReadTimeout: header=10 body=30",
    get: (c) => c.requestReadTimeout,
    want: {
      header: { initialMs: 10_000, maxMs: 10_000, minRateBytesPerSec: 0 },
      body: { initialMs: 30_000, maxMs: 30_000, minRateBytesPerSec: 0 },
    },
  },
  {
    yaml: "RequestReadTimeout: body=10,MinRate=1000",
    get: (c) => c.requestReadTimeout,
    want: {
      header: { initialMs: 20_000, maxMs: 40_000, minRateBytesPerSec: 500 },
      body: { initialMs: 10_000, maxMs: MAX, minRateBytesPerSec: 1000 },
    },
  },
  {
    yaml: 'RequestReadTimeout: {header: "10-30,MinRate=500", body: 0}',
    get: (c) => c.requestReadTimeout,
    want: {
      header: { initialMs: 10_000, maxMs: 30_000, minRateBytesPerSec: 500 },
      body: { initialMs: 0, maxMs: 0, minRateBytesPerSec: 0 },
    },
  },
  { yaml: "LimitRequestLine: 4094", get: (c) => c.limitRequestLine, want: 4094 },
  { yaml: "LimitRequestFieldSize: 16380", get: (c) => c.limitRequestFieldSize, want: 16380 },
  { yaml: "LimitRequestFields: 0", get: (c) => c.limitRequestFields, want: 0 },
  { yaml: "LimitRequestBody: 0", get: (c) => c.limitRequestBodyBytes, want: 0 },
  { yaml: "ServerTokens: prod", get: (c) => c.serverTokens, want: "Prod" },
  { yaml: "ServerTokens: ProductOnly", get: (c) => c.serverTokens, want: "Prod" },
  { yaml: "HttpEngine: native", get: (c) => c.httpEngine, want: "native" },
  { yaml: "HttpEngine: MPMD", get: (c) => c.httpEngine, want: "mpmd" },
  { yaml: "LogLevel: DEBUG", get: (c) => c.logLevel, want: "debug" },
  { yaml: "LogLevel: trace8", get: (c) => c.logLevel, want: "trace8" },
  { yaml: "ErrorLog: logs/error.log", get: (c) => c.errorLog, want: "/srv/logs/error.log" },
  { yaml: "ErrorLog: stderr", get: (c) => c.errorLog, want: "stderr" },
  { yaml: "ErrorLogFormat: json", get: (c) => c.errorLogFormat, want: "json" },
  { yaml: "ErrorLogFormat: JSON", get: (c) => c.errorLogFormat, want: "json" },
  { yaml: "ErrorLogFormat: default", get: (c) => c.errorLogFormat, want: "default" },
  { yaml: "PidFile: /run/mpmd.pid", get: (c) => c.pidFile, want: "/run/mpmd.pid" },
  { yaml: "PidFile: run/mpmd.pid", get: (c) => c.pidFile, want: "/srv/run/mpmd.pid" },
  { yaml: "GracefulShutdownTimeout: 10", get: (c) => c.gracefulShutdownTimeoutMs, want: 10_000 },
  { yaml: "GracefulShutdownTimeout: 250ms", get: (c) => c.gracefulShutdownTimeoutMs, want: 250 },
  { yaml: "GracefulSigterm: On", get: (c) => c.gracefulSigterm, want: true },
  { yaml: "GracefulSigterm: off", get: (c) => c.gracefulSigterm, want: false },
  { yaml: "Health: /healthz", get: (c) => c.healthLocation, want: "/healthz" },
  { yaml: "Health: /_/ready", get: (c) => c.healthLocation, want: "/_/ready" },
  { yaml: "Health: Off", get: (c) => c.healthLocation, want: null },
  { yaml: "RequestTimeout: 2", get: (c) => c.requestTimeoutMs, want: 2_000 },
  { yaml: "MaintenanceInterval: 50ms", get: (c) => c.maintenanceIntervalMs, want: 50 },
  {
    yaml: "MaxConnectionsPerChildJitter: 10",
    get: (c) => c.maxConnectionsPerChildJitter,
    want: 10,
  },
  { yaml: "MPM: Worker", get: (c) => c.mpm, want: "worker" },
  {
    yaml: "ServerRoot: /opt/site",
    get: (c) => [c.serverRoot, host(c).documentRoot, c.pidFile],
    want: ["/opt/site", "/opt/site/htdocs", null],
  },
  {
    yaml: "ServerRoot: sub\nDocumentRoot: www",
    get: (c) => [c.serverRoot, host(c).documentRoot],
    want: ["/srv/sub", "/srv/sub/www"],
  },
  {
    yaml: 'LogFormat: {short: "%h %r"}\nCustomLog: logs/access.log short',
    get: (c) => [Object.keys(c.logFormats), host(c).customLogs],
    want: [["common", "combined", "short"], [{ path: "/srv/logs/access.log", format: "%h %r" }]],
  },
  {
    yaml: "CustomLog: [stdout common]",
    get: (c) => host(c).customLogs,
    want: [{ path: "stdout", format: '%h %l %u %t "%r" %>s %b' }],
  },
  {
    yaml: 'CustomLog:\n  - {path: stderr, format: "%h"}\n  - \'a.log "%h %r"\'',
    get: (c) => host(c).customLogs,
    want: [{ path: "stderr", format: "%h" }, { path: "/srv/a.log", format: "%h %r" }],
  },
  {
    yaml: "App: {Location: /api, Module: ./apps/api.ts}",
    get: (c) => host(c).apps,
    want: [{ location: "/api", module: "/srv/apps/api.ts" }],
  },
  {
    yaml:
      'App:\n  - {Location: /, Module: /opt/app.ts}\n  - {Location: "/v1/a-b_c~d.e@f:g", Module: x.ts}',
    get: (c) => host(c).apps,
    want: [
      { location: "/", module: "/opt/app.ts" },
      { location: "/v1/a-b_c~d.e@f:g", module: "/srv/x.ts" },
    ],
  },
  {
    yaml: "App: '/api \"apps/my api.ts\"'",
    get: (c) => host(c).apps,
    want: [{ location: "/api", module: "/srv/apps/my api.ts" }],
  },
  { yaml: "LogLevel: info", get: (c) => host(c).apps, want: [] },
];

Deno.test("parseConfigText() accepts each directive's valid YAML values", async (t) => {
  for (const c of VALID) {
    await t.step(c.yaml, () => {
      assert.deepEqual(c.get(parseYaml(withListen(c.yaml)).config), c.want);
    });
  }
});

Deno.test("parseConfigText() fills httpd 2.4's defaults (and mpmd's own choices)", () => {
  const { config, warnings } = parseYaml("Listen: 8080\n");
  assert.deepEqual(warnings, []);
  assert.deepEqual(config, {
    file: "/srv/mpmd.yaml",
    serverRoot: "/srv",
    defines: [],
    loadedModules: ["ssl_module"],
    mpm: "event",
    mpmChosenBy: "platform default",
    mpmDirectives: {
      StartServers: 3,
      MinSpareThreads: 75,
      MaxSpareThreads: 250,
      ThreadsPerChild: 25,
      ThreadLimit: 64,
      ServerLimit: 16,
      MaxRequestWorkers: 400,
      MaxRequestsPerThread: 0,
      MaxConnectionsPerChild: 0,
      MaxReadingPerThread: 256,
      AsyncRequestWorkerFactor: 2,
    },
    httpEngine: "mpmd",
    listen: [{ hostname: "0.0.0.0", port: 8080, protocol: "http", origin: "mpmd.yaml:1" }],
    timeoutMs: 60_000,
    keepAlive: true,
    keepAliveTimeoutMs: 5_000,
    maxKeepAliveRequests: 100,
    maxMemoryPerChildBytes: 0,
    requestReadTimeout: {
      header: { initialMs: 20_000, maxMs: 40_000, minRateBytesPerSec: 500 },
      body: { initialMs: 20_000, maxMs: MAX, minRateBytesPerSec: 500 },
    },
    limitRequestLine: 8190,
    limitRequestFieldSize: 8190,
    limitRequestFields: 100,
    limitRequestBodyBytes: 1_073_741_824,
    serverTokens: "Full",
    gracefulShutdownTimeoutMs: 0,
    gracefulSigterm: false,
    healthLocation: null,
    requestTimeoutMs: 60_000,
    runAs: null,
    maintenanceIntervalMs: 1_000,
    maxConnectionsPerChildJitter: 0,
    extendedStatus: true,
    pidFile: null,
    typesConfig: null,
    errorLog: "stderr",
    errorLogFormat: "default",
    logLevel: "warn",
    logFormats: {
      common: '%h %l %u %t "%r" %>s %b',
      combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
    },
    balancers: [],
    hosts: [{
      addresses: [],
      declaredAt: "/srv/mpmd.yaml",
      serverName: "localhost",
      serverAliases: [],
      serverAdmin: "[no address given]",
      documentRoot: "/srv/htdocs",
      directoryIndex: ["index.html"],
      // mpmd differs from httpd (FollowSymLinks): no Options by default.
      indexes: false,
      followSymLinks: false,
      autoindex: DEFAULT_AUTOINDEX,
      accessFileNames: [".htaccess"],
      addType: {},
      addCharset: {},
      forceType: null,
      addDefaultCharset: null,
      serverSignature: "Off",
      useCanonicalName: false,
      redirects: [],
      aliases: [],
      sections: [],
      errorDocuments: {},
      compression: DEFAULT_COMPRESSION,
      headers: [],
      requestHeaders: [],
      errorLog: "stderr",
      logLevel: "warn",
      customLogs: [],
      apps: [],
      status: null,
      tls: {
        engine: false,
        certificateFile: null,
        keyFile: null,
        chainFile: null,
        protocols: { min: "TLSv1.2", max: "TLSv1.3", unavailable: [] },
        credentials: null,
      },
      proxy: {
        rules: [],
        reverse: [],
        cookieDomains: [],
        cookiePaths: [],
        preserveHost: false,
        timeoutMs: null,
        addHeaders: true,
        forwarded: false,
      },
      protocols: ["http/1.1"],
    }],
  });
});

Deno.test("parseConfigText() returns plain data that survives JSON and structuredClone", () => {
  const { config } = parseYaml(
    'Listen: [8080, "[::1]:8081"]\nCustomLog: stdout combined\nAddType: {"text/x-a": .a}\n',
  );
  assert.deepEqual(JSON.parse(JSON.stringify(config)), config);
  assert.deepEqual(structuredClone(config), config);
});
