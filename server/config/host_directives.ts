/**
 * The core directives that belong to a host (httpd's "virtual host" context), with httpd
 * 2.4's defaults unless noted. A `<VirtualHost>` sets them for itself; what it leaves unset is
 * the main server's.
 *
 * @module
 */

import {
  describeValue,
  type Directive,
  DirectiveValueError,
  list,
  parseFlag,
  parseText,
  path,
  text,
} from "./directive.ts";
import { ACCESS_SECTIONS } from "./_access.ts";
import { ADD_TYPE } from "./_add_type.ts";
import { ALIAS, ALIAS_MATCH, SCRIPT_ALIAS } from "./_alias.ts";
import { ERROR_DOCUMENT } from "./_error_document.ts";
import { HEADER, REQUEST_HEADER } from "./_headers.ts";
import { APP } from "./_app.ts";
import { CUSTOM_LOG } from "./_logs.ts";
import { DIRECTORY_INDEX, FILE_NAME } from "./_directory_index.ts";
import { OPTIONS } from "./_options.ts";
import { REDIRECT_DIRECTIVES } from "./_redirect.ts";
import { STATUS } from "./_status.ts";

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
  AccessFileName: ACCESS_FILE_NAME,
  AddType: ADD_TYPE,
  AddDefaultCharset: ADD_DEFAULT_CHARSET,
  ...REDIRECT_DIRECTIVES,
  Alias: ALIAS,
  AliasMatch: ALIAS_MATCH,
  ScriptAlias: SCRIPT_ALIAS,
  ...ACCESS_SECTIONS,
  ErrorDocument: ERROR_DOCUMENT,
  Header: HEADER,
  RequestHeader: REQUEST_HEADER,
  CustomLog: CUSTOM_LOG,
  App: APP,
  Status: STATUS,
} as const;
