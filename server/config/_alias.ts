/**
 * mod_alias's mappings of URL paths to the file system: `Alias URL-path path` and
 * `AliasMatch regex path` (`$1`… from the groups), each line one rule, in YAML (a string, or a
 * list of them) as in httpd.conf. `ScriptAlias` is read so that its URL path is refused with 403:
 * mpmd runs no CGI programs, and must never send a program's source instead.
 *
 * @module
 */

import { resolve } from "node:path";
import {
  argsOf,
  checkRegExp,
  describeValue,
  type Directive,
  DirectiveValueError,
  itemList,
} from "./directive.ts";
import type { AliasRule } from "./server_config.ts";

function parseAlias(value: unknown, kind: AliasRule["kind"], serverRoot: string): AliasRule {
  if (typeof value !== "string") {
    throw new DirectiveValueError(`${describeValue(value)} is not an alias (URL-path path)`);
  }
  const words = argsOf(value);
  const what = kind === "prefix" ? "URL path" : "regular expression";
  if (words.length !== 2) {
    throw new DirectiveValueError(
      `${JSON.stringify(value)} is not a ${what} followed by a file system path`,
    );
  }
  const [match, target] = words as [string, string];
  if (kind !== "regex" && !match.startsWith("/")) {
    throw new DirectiveValueError(`${JSON.stringify(match)} is not a URL path starting with /`);
  }
  if (kind === "regex") checkRegExp(match);
  return { kind, match, target: resolve(serverRoot, target) };
}

/** Alias: URL path → file or directory. */
export const ALIAS: Directive<readonly AliasRule[]> = itemList(
  {
    name: "Alias",
    help: "Serves a URL path from a directory or file outside DocumentRoot: URL-path path",
    default: [],
  },
  (item, ctx) => parseAlias(item, "prefix", ctx.serverRoot),
);

/** AliasMatch: regular expression → path with `$1`…. */
export const ALIAS_MATCH: Directive<readonly AliasRule[]> = itemList(
  {
    name: "AliasMatch",
    help: "Serves the paths a regular expression matches from the file system: regex path",
    default: [],
  },
  (item, ctx) => parseAlias(item, "regex", ctx.serverRoot),
);

/** ScriptAlias: a URL path whose requests are refused (403), as mpmd runs no CGI programs. */
export const SCRIPT_ALIAS: Directive<readonly AliasRule[]> = itemList(
  {
    name: "ScriptAlias",
    help: "CGI programs: mpmd runs none, and answers 403 under the URL path",
    default: [],
  },
  (item, ctx) => parseAlias(item, "script", ctx.serverRoot),
);
