/**
 * mod_log_config's `%` directives as data: each letter maps to a factory that, given the
 * directive's `{argument}`, returns the field function run per request. Everything that can
 * be decided from the format string (header names lower-cased, time units, strftime
 * patterns) is decided here, once.
 *
 * @module
 */

import { escapeLogItem } from "./escape_log_item.ts";
import { compileStrftime } from "./_strftime.ts";
import { formatClfTime, pad, type TimeParts, timeParts } from "./_time_format.ts";
import type { AccessRecord, TlsRecord } from "./access_record.ts";
import { basicCredentials } from "./basic_credentials.ts";

/** One field of a log line; `null` is written as `-`, as httpd does for a missing value. */
export type LogField = (record: AccessRecord) => string | null;

/** What a directive factory may know when the format is compiled. */
export interface DirectiveContext {
  /** The `{…}` argument, or `null` when there is none. */
  readonly arg: string | null;
  readonly pid: number;
  readonly tid: number;
  /** UTC offset (minutes east) in force at a time. */
  readonly offsetAt: (ms: number) => number;
  /** Rejects the directive with a reason (throws a `LogFormatError` naming the column). */
  fail(reason: string): never;
}

type DirectiveFactory = (ctx: DirectiveContext) => LogField;

const dash: LogField = () => null;

/** Escapes a request-derived value, writing `-` for an empty one (httpd's NULL). */
const escapedOrDash = (value: string): string | null => value === "" ? null : escapeLogItem(value);

function requireArg(ctx: DirectiveContext, letter: string, example: string): string {
  if (ctx.arg === null || ctx.arg === "") ctx.fail(`%${letter} needs a name, as in ${example}`);
  return ctx.arg;
}

function responseHeader(ctx: DirectiveContext): LogField {
  const name = requireArg(ctx, "o", "%{Content-Type}o").toLowerCase();
  return (record) => {
    let value: string | null = null;
    for (const [field, fieldValue] of record.responseHeaders) {
      if (field.length !== name.length || field.toLowerCase() !== name) continue;
      // Repeated fields (Set-Cookie) are joined rather than losing all but one.
      value = value === null ? fieldValue : `${value}, ${fieldValue}`;
    }
    return value === null ? null : escapeLogItem(value);
  };
}

/** mod_ssl's variables that a TLS connection fills; `-` on plain HTTP, as in httpd. */
const TLS_VARIABLES: Readonly<Record<string, (tls: TlsRecord) => string | null>> = {
  SSL_PROTOCOL: (tls) => tls.protocol,
  SSL_CIPHER: (tls) => tls.cipher,
  SSL_TLS_SNI: (tls) => tls.serverName,
};

function tlsVariable(ctx: DirectiveContext): LogField {
  const name = requireArg(ctx, "x", "%{SSL_PROTOCOL}x");
  const read = TLS_VARIABLES[name];
  if (read === undefined) {
    ctx.fail(
      `%{${name}}x is not a TLS variable mpmd records (${Object.keys(TLS_VARIABLES).join(", ")})`,
    );
  }
  return (record) => record.tls === null ? null : read(record.tls);
}

function cookie(ctx: DirectiveContext): LogField {
  const name = requireArg(ctx, "C", "%{session}C");
  return (record) => {
    const header = record.requestHeaders.get("cookie");
    if (header === undefined) return null;
    for (const pair of header.split(";")) {
      const eq = pair.indexOf("=");
      if (eq !== -1 && pair.slice(0, eq).trim() === name) {
        return escapeLogItem(pair.slice(eq + 1).trim());
      }
    }
    return null;
  };
}

/** `%V`: the host the client asked for (UseCanonicalName Off), without port, lower-cased. */
const requestedHost: LogField = (record) => {
  const host = record.requestHeaders.get("host");
  if (host === undefined || host === "") return escapeLogItem(record.serverName);
  const end = host.startsWith("[") ? host.indexOf("]") + 1 : host.indexOf(":");
  return escapeLogItem((end > 0 ? host.slice(0, end) : host).toLowerCase());
};

const TIME_UNITS: Readonly<Record<string, number>> = { s: 1_000_000, ms: 1_000, us: 1 };

function duration(ctx: DirectiveContext): LogField {
  const divisor = TIME_UNITS[ctx.arg ?? "s"];
  if (divisor === undefined) {
    ctx.fail(`unknown time unit "${ctx.arg}" in %{${ctx.arg}}T (use s, ms or us)`);
  }
  return (record) => String(Math.trunc(record.durationUs / divisor));
}

/** `%t`: the bracketed CLF time, recomputed only when the second changes. */
function clfTime(ctx: DirectiveContext): LogField {
  let cachedSecond = Number.NaN;
  let cachedText = "";
  return (record) => {
    const second = Math.floor(record.startedAt / 1000);
    if (second !== cachedSecond) {
      const ms = second * 1000;
      cachedText = `[${formatClfTime(timeParts(ms, ctx.offsetAt(ms)))}]`;
      cachedSecond = second;
    }
    return cachedText;
  };
}

const EPOCH_FORMATS: Readonly<Record<string, (us: number) => string>> = {
  sec: (us) => String(Math.floor(us / 1e6)),
  msec: (us) => String(Math.floor(us / 1e3)),
  usec: (us) => String(us),
  msec_frac: (us) => pad(Math.floor(us / 1e3) % 1000, 3),
  usec_frac: (us) => pad(us % 1e6, 6),
};

/** `%{format}t`: `sec`, `msec`, `usec`, `msec_frac`, `usec_frac` or a strftime pattern, optionally prefixed by `begin:` (the default) or `end:`. */
function formattedTime(ctx: DirectiveContext, arg: string): LogField {
  const atEnd = arg.startsWith("end:");
  const pattern = atEnd ? arg.slice(4) : arg.startsWith("begin:") ? arg.slice(6) : arg;
  const momentMs = (record: AccessRecord): number =>
    atEnd ? record.startedAt + record.durationUs / 1000 : record.startedAt;
  const epoch = EPOCH_FORMATS[pattern];
  if (epoch !== undefined) return (record) => epoch(Math.floor(momentMs(record) * 1000));
  const compiled = compileStrftime(pattern);
  if ("unsupported" in compiled) {
    ctx.fail(`unsupported strftime conversion ${compiled.unsupported} in %{${arg}}t`);
  }
  return (record) => {
    const ms = momentMs(record);
    const parts: TimeParts = timeParts(ms, ctx.offsetAt(ms));
    return compiled.format(parts);
  };
}

function pickArg<T>(ctx: DirectiveContext, letter: string, choices: Record<string, T>): T {
  const choice = choices[ctx.arg ?? ""];
  if (choice === undefined) {
    const known = Object.keys(choices).filter((k) => k !== "").join(", ");
    ctx.fail(`unknown argument "${ctx.arg}" in %{${ctx.arg}}${letter} (use ${known})`);
  }
  return choice;
}

/** The directives mpmd implements, by letter. `%>s` and `%<s` reach `s` with the modifier parsed off. */
export const LOG_DIRECTIVES: Readonly<Record<string, DirectiveFactory>> = {
  a: () => (record) => record.remote.hostname,
  h: () => (record) => record.remote.hostname,
  A: () => (record) => record.local.hostname,
  l: () => dash,
  // Whenever Basic credentials are sent, as nginx's $remote_user (httpd: where it checks them).
  u: () => (record) => {
    const credentials = basicCredentials(record.requestHeaders.get("authorization"));
    return credentials === null ? null : escapedOrDash(credentials.user);
  },
  t: (ctx) => ctx.arg === null ? clfTime(ctx) : formattedTime(ctx, ctx.arg),
  r: () => (record) => escapedOrDash(record.requestLine),
  // No internal redirects exist, so the original and final status are the same.
  s: () => (record) => String(record.status),
  b: () => (record) => record.bodyBytes === 0 ? null : String(record.bodyBytes),
  B: () => (record) => String(record.bodyBytes),
  D: () => (record) => String(Math.trunc(record.durationUs)),
  T: duration,
  i: (ctx) => {
    const name = requireArg(ctx, "i", "%{User-Agent}i").toLowerCase();
    return (record) => {
      const value = record.requestHeaders.get(name);
      return value === undefined ? null : escapeLogItem(value);
    };
  },
  o: responseHeader,
  C: cookie,
  P: (ctx) => {
    const text = pickArg(ctx, "P", {
      "": String(ctx.pid),
      pid: String(ctx.pid),
      tid: String(ctx.tid),
      hextid: ctx.tid.toString(16),
    });
    return () => text;
  },
  p: (ctx) => {
    const remote = pickArg(ctx, "p", { "": false, canonical: false, local: false, remote: true });
    return remote ? (record) => String(record.remote.port) : (record) => String(record.local.port);
  },
  v: () => (record) => escapedOrDash(record.serverName),
  V: () => requestedHost,
  U: () => (record) => escapedOrDash(record.path),
  q: () => (record) => record.query === "" ? "" : `?${escapeLogItem(record.query)}`,
  m: () => (record) => escapedOrDash(record.method),
  H: () => (record) => escapedOrDash(record.protocol),
  // mod_logio writes 0 rather than `-` for a request that moved no byte.
  I: () => (record) => String(record.receivedBytes),
  O: () => (record) => String(record.sentBytes),
  S: () => (record) => String(record.receivedBytes + record.sentBytes),
  k: () => (record) => String(record.keepAliveRequests),
  X: () => (record) => record.connectionStatus,
  x: tlsVariable,
};

/** httpd directives that mpmd knows but cannot fill, with the reason given at compile time. */
export const UNSUPPORTED_DIRECTIVES: Readonly<Record<string, string>> = {
  e: "there are no environment variables per request",
  n: "there are no module notes",
  f: "the file name is not recorded",
  R: "the handler name is not recorded",
  L: "there are no error-log IDs",
  "^ti": "request trailers are not recorded",
  "^to": "response trailers are not recorded",
};
