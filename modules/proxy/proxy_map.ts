/**
 * Which ProxyPass or ProxyPassMatch rule a request path falls under, and the backend URL it
 * maps to: httpd's `proxy_trans`. Pure.
 *
 * @module
 */

import type { ProxyRule } from "../../server/config/mod.ts";

/** A rule ready to match: its regular expression compiled once. */
export interface CompiledRule {
  /** The rule as configured. */
  readonly rule: ProxyRule;
  /** A ProxyPassMatch rule's expression; `null` for ProxyPass. */
  readonly regex: RegExp | null;
}

/**
 * Where a path goes: its rule and the request target for the backend (path and query, the
 * target URL's own path included), or `excluded` (`!`), or `null` (no rule).
 */
export type ProxyMapping =
  | { readonly rule: ProxyRule; readonly target: string }
  | "excluded"
  | null;

/** Compiles the rules of a host, in order. */
export function compileRules(rules: readonly ProxyRule[]): CompiledRule[] {
  return rules.map((rule) => ({
    rule,
    regex: rule.kind === "regex" ? new RegExp(rule.match) : null,
  }));
}

/**
 * Maps a request path (still percent-encoded) to a backend's request target by the first rule
 * that matches; the backend itself (the target URL's scheme and authority) is a picker's choice.
 * A ProxyPass prefix matches as httpd's does: the path starts with it, so `/app` also takes
 * `/apple` (write `/app/` to keep it to the folder). Its remainder is appended to the target.
 * A ProxyPassMatch target takes `$1`…; a target without `$` gets the whole path appended, as
 * in httpd. The query follows in both.
 *
 * @param rules The host's compiled rules, in order.
 * @param path The request's path.
 * @param query The request's query without `?` (`""` for none).
 */
export function mapToBackend(
  rules: readonly CompiledRule[],
  path: string,
  query: string,
): ProxyMapping {
  for (const { rule, regex } of rules) {
    let url: string;
    if (regex === null) {
      if (!path.startsWith(rule.match)) continue;
      if (rule.target === null) return "excluded";
      url = joinPath(rule.target, path.slice(rule.match.length));
    } else {
      const m = regex.exec(path);
      if (m === null) continue;
      if (rule.target === null) return "excluded";
      url = rule.target.includes("$")
        ? rule.target.replace(/\$(\d)/g, (_, n: string) => m[Number(n)] ?? "")
        : rule.target + path;
    }
    const pathStart = url.indexOf("/", url.indexOf("//") + 2);
    const target = pathStart < 0 ? "/" : url.slice(pathStart);
    return { rule, target: query === "" ? target : `${target}?${query}` };
  }
  return null;
}

/** The scheme and authority of a rule's target URL: the backend a plain target names. */
export function targetOrigin(target: string): string {
  const pathStart = target.indexOf("/", target.indexOf("//") + 2);
  return pathStart < 0 ? target : target.slice(0, pathStart);
}

/** `base` followed by `rest`, with one slash where both have one. */
function joinPath(base: string, rest: string): string {
  return base.endsWith("/") && rest.startsWith("/") ? base + rest.slice(1) : base + rest;
}
