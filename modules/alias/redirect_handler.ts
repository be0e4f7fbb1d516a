/**
 * mod_alias's redirects: the first rule whose URL path (`Redirect`) or regular expression
 * (`RedirectMatch`) matches the request's path answers with its status and `Location`; no
 * match falls through to the host's other modules.
 *
 * @module
 */

import type { RedirectRule } from "../../server/config/mod.ts";
import { errorResponse, type Handler, type ServerRequest } from "../../server/http/mod.ts";

/**
 * Where `path` continues after the URL path `prefix`, as httpd's `alias_matches()`: runs of
 * `/` count as one on both sides, and the prefix ends at a segment boundary (`/old` matches
 * `/old` and `/old/x`, not `/older`). Returns the index in `path` where the match ends, or -1.
 */
export function matchUrlPrefix(path: string, prefix: string): number {
  let p = 0;
  let a = 0;
  while (a < prefix.length) {
    if (prefix[a] === "/") {
      if (path[p] !== "/") return -1;
      while (prefix[a] === "/") a++;
      while (path[p] === "/") p++;
    } else {
      if (path[p] !== prefix[a]) return -1;
      a++;
      p++;
    }
  }
  // The prefix ended: at a slash of its own, or where the path has a slash or ends.
  if (prefix.endsWith("/") || p === path.length || path[p] === "/") return p;
  return -1;
}

/** `$0`…`$9` in `target` replaced by the match's groups (an absent group is empty). */
function substitute(target: string, match: RegExpExecArray): string {
  return target.replace(/\$(\d)/g, (_, digit: string) => match[Number(digit)] ?? "");
}

/** Where a rule sends a request for `path` (with `query`), or `undefined` when it does not match. */
function locationOf(
  rule: RedirectRule & { readonly regex: RegExp | null },
  path: string,
  query: string,
): string | null | undefined {
  if (rule.regex === null) {
    const end = matchUrlPrefix(path, rule.match);
    if (end < 0) return undefined;
    if (rule.target === null) return null;
    // As httpd's Redirect: the rest of the path, then the query, carry over.
    return rule.target + path.slice(end) + (query === "" ? "" : `?${query}`);
  }
  const match = rule.regex.exec(path);
  if (match === null) return undefined;
  return rule.target === null ? null : substitute(rule.target, match);
}

/** Options of {@link createRedirectHandler}. */
export interface RedirectOptions {
  /**
   * The `Location` of a target that is a path on this host (UseCanonicalName decides).
   *
   * @default the path itself
   */
  readonly selfLocation?: (request: ServerRequest, path: string) => string;
}

/**
 * The handler of a host's redirect rules, or `null` when it has none (the chain then skips
 * it). Regular expressions are compiled once, here.
 */
export function createRedirectHandler(
  rules: readonly RedirectRule[],
  options: RedirectOptions = {},
): Handler | null {
  if (rules.length === 0) return null;
  const { selfLocation = (_request, path) => path } = options;
  const compiled = rules.map((rule) => ({
    ...rule,
    regex: rule.kind === "regex" ? new RegExp(rule.match) : null,
  }));
  return (request) => {
    for (const rule of compiled) {
      const location = locationOf(rule, request.path, request.query);
      if (location === undefined) continue;
      if (location === null) return errorResponse(rule.status);
      const absolute = location.startsWith("/") ? selfLocation(request, location) : location;
      return errorResponse(rule.status, [["Location", absolute]]);
    }
    return null;
  };
}
