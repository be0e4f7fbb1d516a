/**
 * The core directives that apply to the whole server (httpd's "server config" context), with
 * httpd 2.4's defaults unless noted.
 *
 * @module
 */

import { type Directive, duration, flag, integer, oneOf, path, size, text } from "./directive.ts";
import { LISTEN } from "./_listen.ts";
import { ERROR_LOG_FORMAT, LOG_FORMAT } from "./_logs.ts";
import { REQUEST_READ_TIMEOUT } from "./request_read_timeout.ts";
import { HEALTH } from "./_health.ts";
import { BALANCER_MEMBER, PROXY_SET } from "./_balancer.ts";
import {
  HTTP_ENGINES,
  type HttpEngineName,
  MPM_NAMES,
  type MpmName,
  SERVER_TOKENS,
  type ServerTokens,
} from "./server_config.ts";

const INT_MAX = 2_147_483_647;

/** MPM: no default of its own; `null` lets the platform's choice apply. */
const MPM: Directive<MpmName | null> = {
  ...oneOf<MpmName>({
    name: "MPM",
    help: "The Multi-Processing Module to run (--mpm overrides it)",
    default: "event",
    values: MPM_NAMES,
  }),
  default: null,
};

/**
 * PidFile: no default of its own. `null` writes none in the foreground; a server started with
 * `-k start` writes one where `-k` looks for it (the platform's per-user runtime directory).
 */
const PID_FILE: Directive<string | null> = {
  ...path({
    name: "PidFile",
    help: "File that records the parent's process id (default: none, or a per-user file for -k)",
    default: "",
  }),
  default: null,
};

/** TypesConfig: a mime.types file whose types come before mime-db's (AddType still wins). */
const TYPES_CONFIG: Directive<string | null> = {
  ...path({
    name: "TypesConfig",
    help: "A mime.types file: media types by extension, over the built-in table",
    default: "",
  }),
  default: null,
};
// A user or group name as the system database spells one, or httpd's `#id`.
const ACCOUNT = /^(#\d+|[A-Za-z_][A-Za-z0-9_.-]*\$?)$/;

/** User and Group: no default (httpd's `#-1`): the processes keep who started them. */
function account(name: "User" | "Group", help: string): Directive<string | null> {
  return {
    ...text({
      name,
      help,
      default: "",
      pattern: ACCOUNT,
      expected: `a ${name.toLowerCase()} name or #id`,
    }),
    default: null,
  };
}

/** The server-wide directives, by name. */
export const SERVER_DIRECTIVES = {
  ServerRoot: path({
    name: "ServerRoot",
    help: "Directory that relative paths are resolved against (default: the config file's)",
    default: ".",
  }),
  MPM,
  HttpEngine: oneOf<HttpEngineName>({
    name: "HttpEngine",
    help: "Which HTTP engine the slots serve with: mpmd's own, or Deno's native (event only)",
    default: "mpmd",
    values: HTTP_ENGINES,
  }),
  Listen: LISTEN,
  Timeout: duration({
    name: "Timeout",
    help: "Idle time allowed on a read or write while a request is active",
    default: 60_000,
    minMs: 1,
  }),
  KeepAlive: flag({
    name: "KeepAlive",
    help: "Whether a connection may carry several requests",
    default: true,
  }),
  KeepAliveTimeout: duration({
    name: "KeepAliveTimeout",
    help: "Idle time allowed between requests on a kept-alive connection",
    default: 5_000,
    minMs: 0,
  }),
  MaxKeepAliveRequests: integer({
    name: "MaxKeepAliveRequests",
    help: "Requests allowed on one connection (0: unlimited)",
    default: 100,
    min: 0,
    max: INT_MAX,
  }),
  RequestReadTimeout: REQUEST_READ_TIMEOUT,
  LimitRequestLine: integer({
    name: "LimitRequestLine",
    help: "Largest request line in bytes",
    default: 8190,
    min: 1,
    max: INT_MAX,
  }),
  LimitRequestFieldSize: integer({
    name: "LimitRequestFieldSize",
    help: "Largest request header field in bytes",
    default: 8190,
    min: 1,
    max: INT_MAX,
  }),
  LimitRequestFields: integer({
    name: "LimitRequestFields",
    help: "Most header fields in a request (0: unlimited)",
    default: 100,
    min: 0,
    max: 32767,
  }),
  LimitRequestBody: integer({
    name: "LimitRequestBody",
    help: "Largest request body in bytes (0: unlimited)",
    default: 1_073_741_824,
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
  }),
  ServerTokens: oneOf<ServerTokens>({
    name: "ServerTokens",
    help: "How much the Server header reveals",
    default: "Full",
    values: SERVER_TOKENS,
    aliases: { productonly: "Prod", minimal: "Min" },
  }),
  GracefulShutdownTimeout: duration({
    name: "GracefulShutdownTimeout",
    help: "How long a graceful stop waits for in-flight requests (0: no limit)",
    default: 0,
    minMs: 0,
  }),
  GracefulSigterm: flag({
    name: "GracefulSigterm",
    help: "Whether SIGTERM stops gracefully, as SIGWINCH does (the container setting)",
    default: false,
  }),
  Health: HEALTH,
  RequestTimeout: duration({
    name: "RequestTimeout",
    help: "How long a slot may stay stuck (its isolate not running) before it is replaced",
    default: 60_000,
    minMs: 100,
  }),
  MaintenanceInterval: duration({
    name: "MaintenanceInterval",
    help: "Time between two spare-server maintenance cycles of the parent",
    default: 1_000,
    minMs: 10,
  }),
  MaxMemoryPerChild: size({
    name: "MaxMemoryPerChild",
    help: "Resident memory past which a child process is replaced gracefully (0: no bound)",
    default: 0,
  }),
  MaxConnectionsPerChildJitter: integer({
    name: "MaxConnectionsPerChildJitter",
    help: "Up to this many connections added at random to each child's MaxConnectionsPerChild",
    default: 0,
    min: 0,
    max: INT_MAX,
  }),
  ExtendedStatus: flag({
    name: "ExtendedStatus",
    help: "Record each request's line, client and host in the scoreboard for the status page",
    default: true,
  }),
  PidFile: PID_FILE,
  TypesConfig: TYPES_CONFIG,
  User: account(
    "User",
    "The user the serving processes run as, when the server is started as root",
  ),
  Group: account("Group", "The group the serving processes run as (default: the User's own)"),
  ErrorLogFormat: ERROR_LOG_FORMAT,
  LogFormat: LOG_FORMAT,
  BalancerMember: BALANCER_MEMBER,
  ProxySet: PROXY_SET,
} as const;
