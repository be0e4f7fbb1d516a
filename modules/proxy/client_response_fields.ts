/**
 * The fields of a backend's answer as the client receives them: hop-by-hop fields removed
 * (RFC 9110 §7.6.1), ProxyPassReverse applied to Location, Content-Location and URI, and
 * ProxyPassReverseCookieDomain / ProxyPassReverseCookiePath to each Set-Cookie. Pure.
 *
 * @module
 */

import type { ProxyReverseRule } from "../../server/config/mod.ts";
import type { ResponseHeaders } from "../../server/http/mod.ts";
import { connectionOptions, isHopByHop } from "./_hop_by_hop.ts";

/** The URL fields ProxyPassReverse rewrites, lower-case. */
const URL_FIELDS: ReadonlySet<string> = new Set(["location", "content-location", "uri"]);

/** How the answers of one host are rewritten. */
export interface ResponseRewrite {
  /** ProxyPassReverse lines. */
  readonly reverse: readonly ProxyReverseRule[];
  /** ProxyPassReverseCookieDomain lines. */
  readonly cookieDomains: readonly ProxyReverseRule[];
  /** ProxyPassReverseCookiePath lines. */
  readonly cookiePaths: readonly ProxyReverseRule[];
}

/**
 * The client's copy of a backend's fields.
 *
 * @param fields The backend's fields, in order.
 * @param rewrite The host's rewriting lines.
 * @param self This host's own URL (`http://name:port`), which a rewritten URL starts with.
 */
export function clientResponseFields(
  fields: ResponseHeaders,
  rewrite: ResponseRewrite,
  self: string,
): ResponseHeaders {
  // The names a Connection field lists: a token or two (`keep-alive`), so a list, not a Set.
  let named: string[] | null = null;
  for (const [name, value] of fields) {
    if (name.length === 10 && name.toLowerCase() === "connection") {
      named = named === null ? connectionOptions(value) : named.concat(connectionOptions(value));
    }
  }
  const out: ResponseHeaders = [];
  for (const field of fields) {
    const lower = field[0].toLowerCase();
    if (isHopByHop(lower)) continue;
    if (named !== null && named.includes(lower)) continue;
    if (URL_FIELDS.has(lower) && rewrite.reverse.length > 0) {
      out.push([field[0], reverseUrl(field[1], rewrite.reverse, self)]);
    } else if (
      lower === "set-cookie" && rewrite.cookieDomains.length + rewrite.cookiePaths.length
    ) {
      out.push([field[0], reverseCookie(field[1], rewrite)]);
    } else out.push(field);
  }
  return out;
}

/** A backend URL under a ProxyPassReverse line, as this host's; others unchanged. */
export function reverseUrl(url: string, rules: readonly ProxyReverseRule[], self: string): string {
  for (const rule of rules) {
    if (url.startsWith(rule.backend)) {
      const rest = url.slice(rule.backend.length);
      const path = rule.public.endsWith("/") && rest.startsWith("/")
        ? rule.public + rest.slice(1)
        : rule.public + rest;
      return self + path;
    }
  }
  return url;
}

/** A Set-Cookie value with its Domain and Path attributes rewritten (RFC 6265 §5.2). */
export function reverseCookie(value: string, rewrite: ResponseRewrite): string {
  const parts = value.split(";");
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const attribute = part.slice(eq + 1).trim();
    if (key === "domain") {
      const rule = rewrite.cookieDomains.find((r) =>
        r.backend.toLowerCase() === attribute.replace(/^\./, "").toLowerCase()
      );
      if (rule !== undefined) parts[i] = `${part.slice(0, eq + 1)}${rule.public}`;
    } else if (key === "path") {
      const rule = rewrite.cookiePaths.find((r) => attribute.startsWith(r.backend));
      if (rule !== undefined) {
        parts[i] = `${part.slice(0, eq + 1)}${rule.public}${attribute.slice(rule.backend.length)}`;
      }
    }
  }
  return parts.join(";");
}
