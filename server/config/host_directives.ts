/**
 * The core directives that belong to a host (httpd's "virtual host" context), with httpd
 * 2.4's defaults unless noted. A `<VirtualHost>` sets them for itself; what it leaves unset is
 * the main server's.
 *
 * @module
 */

import { LOG_LEVELS, type LogLevel } from "../log/mod.ts";
import {
  describeValue,
  type Directive,
  DirectiveValueError,
  list,
  oneOf,
  parseFlag,
  parseText,
  path,
  singleText,
  text,
} from "./directive.ts";
import { ACCESS_SECTIONS } from "./_access.ts";
import { ADD_CHARSET, ADD_TYPE, FORCE_TYPE } from "./_mod_mime.ts";
import {
  FANCY_INDEXING,
  HEADER_NAME,
  INDEX_IGNORE,
  INDEX_OPTIONS,
  INDEX_ORDER_DEFAULT,
  README_NAME,
} from "./_autoindex.ts";
import { ALIAS, ALIAS_MATCH, SCRIPT_ALIAS } from "./_alias.ts";
import { ERROR_DOCUMENT } from "./_error_document.ts";
import { HEADER, REQUEST_HEADER } from "./_headers.ts";
import { COMPRESSION_DIRECTIVES } from "./_compression.ts";
import { APP } from "./_app.ts";
import { PROXY_DIRECTIVES } from "./_proxy.ts";
import { CUSTOM_LOG, ERROR_LOG } from "./_logs.ts";
import { DIRECTORY_INDEX, FILE_NAME } from "./_directory_index.ts";
import { OPTIONS } from "./_options.ts";
import { REDIRECT_DIRECTIVES } from "./_redirect.ts";
import { STATUS } from "./_status.ts";
import { SSL_DIRECTIVES } from "./_ssl.ts";
import { SERVER_SIGNATURES, type ServerSignature } from "./server_config.ts";

// RFC 9110 section 5.6.2 token: what a charset name may hold.
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
// deno-lint-ignore no-control-regex -- control characters are what it refuses
const HOST_NAME = /^[^\s/\x00-\x1f\x7f]+$/;

/** AddDefaultCharset: Off, On (httpd's iso-8859-1) or a charset name. */
const ADD_DEFAULT_CHARSET: Directive<string | null> = {
  name: "AddDefaultCharset",
  help: "Charset added to text/plain and text/html responses: Off, On or a charset name",
  default: null,
  parse(value, ctx) {
    if (typeof value === "boolean") return value ? "iso-8859-1" : null;
    const t = parseText(value, ctx);
    if (/^(on|off)$/i.test(t)) return parseFlag(t, ctx) ? "iso-8859-1" : null;
    if (!TOKEN.test(t)) {
      throw new DirectiveValueError(`${describeValue(value)} is not On, Off or a charset name`);
    }
    return t;
  },
};

const SERVER_SIGNATURE_WORD = oneOf<ServerSignature>({
  name: "ServerSignature",
  help: "Footer line of server-generated pages: Off, On, or EMail (the name links to ServerAdmin)",
  default: "Off",
  values: SERVER_SIGNATURES,
});

/** ServerSignature: Off, On or EMail; a YAML boolean is On or Off. */
const SERVER_SIGNATURE: Directive<ServerSignature> = {
  ...SERVER_SIGNATURE_WORD,
  parse: (value, ctx) =>
    typeof value === "boolean" ? (value ? "On" : "Off") : SERVER_SIGNATURE_WORD.parse(value, ctx),
};

/**
 * Why mpmd refuses the values of HostnameLookups and UseCanonicalName that ask for DNS: a
 * setting accepted and then ignored would be a lie.
 */
const NO_REVERSE_LOOKUPS = "mpmd does not do reverse DNS lookups";

/** Throws the refusal of a value that needs a reverse DNS lookup, with what to write instead. */
function refuseLookups(value: unknown, instead: string): never {
  const why = `needs a reverse DNS lookup and ${NO_REVERSE_LOOKUPS}`;
  throw new DirectiveValueError(`${describeValue(value)} ${why} (write ${instead})`);
}

/**
 * UseCanonicalName: On names the host by its ServerName (and the port the connection came
 * to) in the URLs it builds; Off by the client's Host. DNS is refused.
 */
const USE_CANONICAL_NAME: Directive<boolean> = {
  name: "UseCanonicalName",
  help:
    "How the host names itself in the URLs it builds: On (ServerName) or Off (the client's Host)",
  default: false,
  parse(value, ctx) {
    if (typeof value === "string" && /^dns$/i.test(singleText(value, ctx))) {
      refuseLookups(value, "On or Off");
    }
    return parseFlag(value, ctx);
  },
};

/**
 * HostnameLookups: Off only, the default; On and Double are refused, since mpmd logs and
 * checks client addresses, never names.
 */
const HOSTNAME_LOOKUPS: Directive<false> = {
  name: "HostnameLookups",
  help: "Reverse DNS lookups of clients: Off only (mpmd never looks names up)",
  default: false,
  parse(value, ctx) {
    if (typeof value === "string" && /^double$/i.test(singleText(value, ctx))) {
      refuseLookups(value, "Off");
    }
    if (parseFlag(value, ctx)) refuseLookups(value, "Off");
    return false;
  },
};

/** AccessFileName: the names of the access files, as httpd's (a list; `.htaccess` by default). */
const ACCESS_FILE_NAME = list({
  name: "AccessFileName",
  help: "Names of the per-directory access files read where AllowOverride allows them",
  default: [".htaccess"],
  item: "file name",
  pattern: FILE_NAME,
});

/** The per-host directives, by name. */
export const HOST_DIRECTIVES = {
  ServerName: text({
    name: "ServerName",
    help: "The host's own name",
    default: "localhost",
    pattern: HOST_NAME,
    expected: "a host name",
  }),
  ServerAlias: list({
    name: "ServerAlias",
    help: "Other names the host answers to",
    default: [],
    item: "host name",
    pattern: HOST_NAME,
  }),
  ServerAdmin: text({
    name: "ServerAdmin",
    help: "The address error pages name for the host's administrator",
    default: "[no address given]",
  }),
  DocumentRoot: path({
    name: "DocumentRoot",
    help: "Directory the host serves files from",
    default: "htdocs",
  }),
  DirectoryIndex: DIRECTORY_INDEX,
  Options: OPTIONS,
  IndexOptions: INDEX_OPTIONS,
  FancyIndexing: FANCY_INDEXING,
  IndexOrderDefault: INDEX_ORDER_DEFAULT,
  IndexIgnore: INDEX_IGNORE,
  HeaderName: HEADER_NAME,
  ReadmeName: README_NAME,
  AccessFileName: ACCESS_FILE_NAME,
  AddType: ADD_TYPE,
  AddCharset: ADD_CHARSET,
  ForceType: FORCE_TYPE,
  AddDefaultCharset: ADD_DEFAULT_CHARSET,
  ServerSignature: SERVER_SIGNATURE,
  UseCanonicalName: USE_CANONICAL_NAME,
  HostnameLookups: HOSTNAME_LOOKUPS,
  ...REDIRECT_DIRECTIVES,
  Alias: ALIAS,
  AliasMatch: ALIAS_MATCH,
  ScriptAlias: SCRIPT_ALIAS,
  ...ACCESS_SECTIONS,
  ErrorDocument: ERROR_DOCUMENT,
  Header: HEADER,
  RequestHeader: REQUEST_HEADER,
  ...COMPRESSION_DIRECTIVES,
  ErrorLog: ERROR_LOG,
  LogLevel: oneOf<LogLevel>({
    name: "LogLevel",
    help: "Least severe error-log entries written",
    default: "warn",
    values: LOG_LEVELS,
  }),
  CustomLog: CUSTOM_LOG,
  App: APP,
  Status: STATUS,
  ...SSL_DIRECTIVES,
  ...PROXY_DIRECTIVES,
} as const;
