import assert from "node:assert/strict";
import { errorsOf, withListen } from "./_parse_yaml.ts";

const NOT_A_DURATION = "is not a duration (seconds, or a number with ms/s)";
const NOT_ADDRESS = "(a port, host:port or [IPv6]:port)";
const NOT_ERROR_LOG_FORMAT = "is not default or json (httpd's format strings are not supported)";
const RRT_SYNTAX = "(stage=timeout[-maxtimeout][,MinRate=rate], stage header or body)";

/** Each invalid value, written on line 2 (line 1 for Listen), and the exact message. */
const INVALID: { yaml: string; error: string }[] = [
  { yaml: "Timeout: five", error: `Cannot set Timeout: "five" ${NOT_A_DURATION}` },
  { yaml: "Timeout: -1", error: `Cannot set Timeout: -1 ${NOT_A_DURATION}` },
  { yaml: "Timeout: 0", error: "Cannot set Timeout: 0 is below the minimum (1ms)" },
  { yaml: "Timeout: [1]", error: `Cannot set Timeout: a list ${NOT_A_DURATION}` },
  {
    yaml: "KeepAliveTimeout: 99999999",
    error: "Cannot set KeepAliveTimeout: 99999999 is above the maximum (2147483s)",
  },
  {
    yaml: "KeepAliveTimeout: 5 min",
    error: `Cannot set KeepAliveTimeout: "5 min" ${NOT_A_DURATION}`,
  },
  {
    yaml: "GracefulShutdownTimeout: soon",
    error: `Cannot set GracefulShutdownTimeout: "soon" ${NOT_A_DURATION}`,
  },
  { yaml: "KeepAlive: maybe", error: 'Cannot set KeepAlive: "maybe" is not On or Off' },
  { yaml: "KeepAlive: yes", error: 'Cannot set KeepAlive: "yes" is not On or Off' },
  { yaml: "KeepAlive: 1", error: "Cannot set KeepAlive: 1 is not On or Off" },
  { yaml: "KeepAlive:", error: "Cannot set KeepAlive: an empty value is not On or Off" },
  {
    yaml: "MaxKeepAliveRequests: -1",
    error: "Cannot set MaxKeepAliveRequests: -1 is below the minimum (0)",
  },
  {
    yaml: "MaxKeepAliveRequests: 2.5",
    error: "Cannot set MaxKeepAliveRequests: 2.5 is not an integer",
  },
  {
    yaml: "MaxKeepAliveRequests: ten",
    error: 'Cannot set MaxKeepAliveRequests: "ten" is not an integer',
  },
  {
    yaml: "LimitRequestFields: 40000",
    error: "Cannot set LimitRequestFields: 40000 is above the maximum (32767)",
  },
  { yaml: "LimitRequestLine: 0", error: "Cannot set LimitRequestLine: 0 is below the minimum (1)" },
  {
    yaml: "LimitRequestBody: 1e30",
    error: "Cannot set LimitRequestBody: 1e+30 is above the maximum (9007199254740991)",
  },
  {
    yaml: "ServerTokens: verbose",
    error: 'Cannot set ServerTokens: "verbose" is not one of Prod, Major, Minor, Min, OS, Full',
  },
  {
    yaml: "LogLevel: loud",
    error:
      'Cannot set LogLevel: "loud" is not one of emerg, alert, crit, error, warn, notice, info, debug, trace1, trace2, trace3, trace4, trace5, trace6, trace7, trace8',
  },
  {
    yaml: "ErrorLogFormat: logfmt",
    error: `Cannot set ErrorLogFormat: "logfmt" ${NOT_ERROR_LOG_FORMAT}`,
  },
  {
    yaml: 'ErrorLogFormat: "[%t] [%l] [pid %P] %M"',
    error: `Cannot set ErrorLogFormat: "[%t] [%l] [pid %P] %M" ${NOT_ERROR_LOG_FORMAT}`,
  },
  {
    yaml: "ErrorLogFormat: [json]",
    error: `Cannot set ErrorLogFormat: a list ${NOT_ERROR_LOG_FORMAT}`,
  },
  {
    yaml: "HttpEngine: hyper",
    error: 'Cannot set HttpEngine: "hyper" is not one of mpmd, native',
  },
  {
    yaml: "MPM: fork",
    error: 'Cannot set MPM: "fork" is not one of prefork, worker, event, winnt, netware, mpmt_os2',
  },
  {
    yaml: "Listen: localhost:80",
    error:
      'Cannot set Listen: "localhost:80" does not start with an IP address (mpmd binds numeric addresses, not host names)',
  },
  {
    yaml: "Listen: 300.1.1.1:80",
    error:
      'Cannot set Listen: "300.1.1.1:80" does not start with an IP address (mpmd binds numeric addresses, not host names)',
  },
  {
    yaml: "Listen: 70000",
    error: "Cannot set Listen: 70000 has no valid port (an integer from 0 to 65535)",
  },
  {
    yaml: "Listen: 127.0.0.1:99999",
    error: 'Cannot set Listen: "127.0.0.1:99999" has no valid port (an integer from 0 to 65535)',
  },
  {
    yaml: 'Listen: "[::g]:80"',
    error: 'Cannot set Listen: "[::g]:80" has an invalid IPv6 address',
  },
  { yaml: "Listen: ::1:80", error: `Cannot set Listen: "::1:80" is not an address ${NOT_ADDRESS}` },
  { yaml: "Listen: 80 443", error: `Cannot set Listen: "80 443" is not an address ${NOT_ADDRESS}` },
  { yaml: "Listen: {a: 1}", error: `Cannot set Listen: a map is not an address ${NOT_ADDRESS}` },
  {
    yaml: "Options: ExecCGI",
    error:
      'Cannot set Options: "ExecCGI" is not an option mpmd supports (Indexes, FollowSymLinks, All, None)',
  },
  {
    yaml: "Options: Indexes +FollowSymLinks",
    error:
      'Cannot set Options: "Indexes +FollowSymLinks" mixes +/- options with plain ones (httpd refuses this too)',
  },
  {
    yaml: "Options: None Indexes",
    error: 'Cannot set Options: "None" cannot be combined with other options',
  },
  { yaml: "Options: [{a: 1}]", error: "Cannot set Options: a map in the list is not an option" },
  {
    yaml: 'AddType: {bogus: [".x"]}',
    error: 'Cannot set AddType: "bogus" is not a media type (type/subtype)',
  },
  {
    yaml: 'AddType: {"text/x-a": [".a/b"]}',
    error: 'Cannot set AddType: ".a/b" is not a file extension',
  },
  { yaml: "AddType: text/plain", error: "Cannot set AddType: text/plain has no extensions" },
  {
    yaml: "AddType: [a]",
    error: "Cannot set AddType: a list is not a map of media types to extensions",
  },
  {
    yaml: "AddDefaultCharset: utf 8",
    error: 'Cannot set AddDefaultCharset: "utf 8" is not On, Off or a charset name',
  },
  {
    yaml: "DirectoryIndex: {a: 1}",
    error: "Cannot set DirectoryIndex: a map is not a list of file names",
  },
  {
    yaml: "DirectoryIndex: a/b.html",
    error: 'Cannot set DirectoryIndex: "a/b.html" is not a file name',
  },
  {
    yaml: 'DirectoryIndex: "index\\0.html"',
    error: 'Cannot set DirectoryIndex: "index\\u0000.html" is not a file name',
  },
  { yaml: "ServerAlias: [a/b]", error: 'Cannot set ServerAlias: "a/b" is not a host name' },
  {
    yaml: 'DocumentRoot: "/srv/a\\0b"',
    error: 'Cannot set DocumentRoot: "/srv/a\\u0000b" holds a control character',
  },
  {
    yaml: 'ServerName: "a\\x01b"',
    error: 'Cannot set ServerName: "a\\u0001b" holds a control character',
  },
  { yaml: "DocumentRoot: [a]", error: "Cannot set DocumentRoot: a list is not a string" },
  { yaml: 'DocumentRoot: ""', error: "Cannot set DocumentRoot: the value is empty" },
  { yaml: "ServerName: bad name", error: 'Cannot set ServerName: "bad name" is not a host name' },
  { yaml: "ServerRoot: 5", error: "Cannot set ServerRoot: 5 is not a string" },
  { yaml: "PidFile: {}", error: "Cannot set PidFile: a map is not a string" },
  { yaml: "GracefulSigterm: soon", error: 'Cannot set GracefulSigterm: "soon" is not On or Off' },
  { yaml: "Health: healthz", error: 'Cannot set Health: "healthz" does not start with /' },
  { yaml: "Health: /", error: 'Cannot set Health: "/" would hide the whole site' },
  { yaml: "Health: /ready/", error: 'Cannot set Health: "/ready/" ends with / (write /ready)' },
  {
    yaml: "RequestReadTimeout: header=abc",
    error:
      'Cannot set RequestReadTimeout: header: "abc" is not a timeout in seconds (timeout or timeout-maxtimeout)',
  },
  {
    yaml: "RequestReadTimeout: handshake=5",
    error: 'Cannot set RequestReadTimeout: "handshake" is not a stage mpmd supports (header, body)',
  },
  {
    yaml: "RequestReadTimeout: header=10,Rate=5",
    error:
      'Cannot set RequestReadTimeout: header: "Rate=5" is not MinRate=<bytes per second, at least 1>',
  },
  {
    yaml: "RequestReadTimeout: header",
    error: `Cannot set RequestReadTimeout: "header" is not ${RRT_SYNTAX}`,
  },
  {
    yaml: "RequestReadTimeout: 20",
    error: `Cannot set RequestReadTimeout: 20 is not ${RRT_SYNTAX}`,
  },
  {
    yaml: "RequestReadTimeout: header=9999999",
    error: 'Cannot set RequestReadTimeout: header: "9999999" is above the maximum (2147483s)',
  },
  {
    yaml: "RequestReadTimeout: header=20-40",
    error:
      "Cannot set RequestReadTimeout: header range 20s-40s needs a MinRate (the deadline grows with the data received)",
  },
  {
    yaml: "RequestReadTimeout: body=20-10,MinRate=5",
    error: "Cannot set RequestReadTimeout: body maximum 10s is below its timeout 20s",
  },
  {
    yaml: "ErrorLog: '|rotatelogs'",
    error: 'Cannot set ErrorLog: "|rotatelogs" is not supported here (use a file or stderr)',
  },
  {
    yaml: "ErrorLog: stdout",
    error: 'Cannot set ErrorLog: "stdout" is not supported here (use a file or stderr)',
  },
  { yaml: "LogFormat: {x: [1]}", error: "Cannot set LogFormat: x: a list is not a format string" },
  {
    yaml: "LogFormat: '\"%h\"'",
    error: 'Cannot set LogFormat: "\\"%h\\"" is not a quoted format followed by a nickname',
  },
  {
    yaml: "CustomLog: a.log",
    error:
      'Cannot set CustomLog: "a.log" is not "path format-or-nickname" (quote a format that has spaces)',
  },
  {
    yaml: "CustomLog: [{path: a.log}]",
    error: "Cannot set CustomLog: a CustomLog map needs a path and a format, both strings",
  },
  {
    yaml: "CustomLog: [{path: a, format: b, when: c}]",
    error: 'Cannot set CustomLog: "when" is not a CustomLog key (path, format)',
  },
  {
    yaml: "CustomLog: [[a]]",
    error: 'Cannot set CustomLog: a list is not a log ("path format" or a map)',
  },
  {
    yaml: "CustomLog: a.log comon",
    error: 'Cannot use CustomLog /srv/a.log: no LogFormat is named "comon" (did you mean common?)',
  },
  {
    yaml: "CustomLog: a.log nonsense",
    error: 'Cannot use CustomLog /srv/a.log: no LogFormat is named "nonsense"',
  },
  {
    yaml: "CustomLog: [{path: a.log, format: '%h %Z'}]",
    error:
      'Cannot use CustomLog /srv/a.log: Cannot compile LogFormat "%h %Z": unknown directive %Z at column 4',
  },
  {
    yaml: "App: {Location: api, Module: a.ts}",
    error: 'Cannot set App: Location "api" does not start with /',
  },
  {
    yaml: "App: {Location: /api/, Module: a.ts}",
    error: 'Cannot set App: Location "/api/" ends with / (write /api)',
  },
  {
    yaml: "App: {Location: /a/../b, Module: a.ts}",
    error: 'Cannot set App: Location "/a/../b" holds a . or .. segment',
  },
  {
    yaml: "App: {Location: /a/., Module: a.ts}",
    error: 'Cannot set App: Location "/a/." holds a . or .. segment',
  },
  {
    yaml: "App: {Location: /a//b, Module: a.ts}",
    error: 'Cannot set App: Location "/a//b" holds an empty segment',
  },
  {
    yaml: 'App: {Location: "/a\\x01", Module: a.ts}',
    error: 'Cannot set App: Location "/a\\u0001" holds a control character',
  },
  {
    yaml: "App: {Location: /caf%C3%A9, Module: a.ts}",
    error:
      `Cannot set App: Location "/caf%C3%A9" holds "%" (letters, digits and -._~!$&'()*+,;=:@ only)`,
  },
  {
    yaml: "App: {Location: /api, Module: ''}",
    error: "Cannot set App: Module is empty",
  },
  {
    yaml: 'App: {Location: /api, Module: "a\\0.ts"}',
    error: 'Cannot set App: Module "a\\u0000.ts" holds a control character',
  },
  {
    yaml: "App: {Location: /api, Module: a.ts, Methods: GET}",
    error: 'Cannot set App: "Methods" is not an App key (Location, Module)',
  },
  {
    yaml: "App: {location: /api, module: a.ts}",
    error: 'Cannot set App: "location" is not an App key (Location, Module)',
  },
  {
    yaml: "App: {Location: /api}",
    error: "Cannot set App: an App map needs a Location and a Module, both strings",
  },
  {
    yaml: "App: {Location: /api, Module: 3}",
    error: "Cannot set App: an App map needs a Location and a Module, both strings",
  },
  { yaml: "App: /api", error: 'Cannot set App: "/api" is not "Location Module"' },
  {
    yaml: "App: [[/api, a.ts]]",
    error: 'Cannot set App: a list is not an app ({Location, Module} or "Location Module")',
  },
  {
    yaml: "App: 7",
    error: 'Cannot set App: 7 is not an app ({Location, Module} or "Location Module")',
  },
  {
    yaml: "App: [{Location: /api, Module: a.ts}, {Location: /api, Module: b.ts}]",
    error: "Cannot mount /srv/b.ts on /api: /srv/a.ts is already mounted there",
  },
];

Deno.test("parseConfigText() refuses each directive's invalid YAML values with the exact message", async (t) => {
  for (const c of INVALID) {
    await t.step(c.yaml, () => {
      const line = c.yaml.startsWith("Listen") ? 1 : 2;
      assert.deepEqual(errorsOf(withListen(c.yaml)), [`mpmd.yaml:${line}: ${c.error}`]);
    });
  }
});

Deno.test("parseConfigText() names the line of the refused item of a YAML list", async (t) => {
  const CASES = [
    {
      yaml: "Listen:\n  - 8080\n  - bogus",
      error: `mpmd.yaml:3: Cannot set Listen: "bogus" is not an address ${NOT_ADDRESS}`,
    },
    {
      yaml: "DirectoryIndex:\n  - index.html\n  - a/b.html",
      error: 'mpmd.yaml:4: Cannot set DirectoryIndex: "a/b.html" is not a file name',
    },
    {
      yaml: "ServerAlias:\n  - www.example.test\n  - [nested]",
      error: "mpmd.yaml:4: Cannot set ServerAlias: a list in the list is not a host name",
    },
    {
      yaml: "CustomLog:\n  - a.log common\n  - b.log",
      error:
        'mpmd.yaml:4: Cannot set CustomLog: "b.log" is not "path format-or-nickname" (quote a format that has spaces)',
    },
    {
      yaml: "App:\n  - {Location: /a, Module: a.ts}\n  - {Location: /b/, Module: b.ts}",
      error: 'mpmd.yaml:4: Cannot set App: Location "/b/" ends with / (write /b)',
    },
    {
      yaml: "DirectoryIndex: index.html a/b.html",
      error: 'mpmd.yaml:2: Cannot set DirectoryIndex: "a/b.html" is not a file name',
    },
  ];
  for (const c of CASES) {
    await t.step(c.yaml.replaceAll("\n", " "), () => {
      assert.deepEqual(errorsOf(withListen(c.yaml)), [c.error]);
    });
  }
});
