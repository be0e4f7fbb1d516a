/**
 * The route a sticky request names (httpd's find_session_route): a session value `xyz.route`
 * in the URL (a `;name=` path parameter or a `name=` query parameter) or, failing that, in
 * the session cookie. Pure.
 *
 * @module
 */

import type { StickySession } from "../../server/config/mod.ts";

/** What of a request names its session. */
export interface SessionCarrier {
  /** The path, still percent-encoded. */
  readonly path: string;
  /** The query without `?`, or `""`. */
  readonly query: string;
  /** The Cookie field (fields joined with `; `), or `undefined`. */
  readonly cookie: string | undefined;
}

/**
 * The route after the first `separator` of the session value the request carries, or `null`
 * when it carries none (or a value without a route).
 */
export function sessionRoute(
  request: SessionCarrier,
  sticky: StickySession,
  separator: string,
): string | null {
  const value = pathParameter(request.path, sticky.urlParameter) ??
    parameter(request.query.split("&"), sticky.urlParameter) ??
    (request.cookie === undefined ? null : parameter(request.cookie.split(";"), sticky.cookie));
  if (value === null) return null;
  const at = value.indexOf(separator);
  return at === -1 || at === value.length - 1 ? null : value.slice(at + 1);
}

/** The value of `;name=value` in a path (Tomcat's `;jsessionid=`), or `null`. */
function pathParameter(path: string, name: string): string | null {
  for (const segment of path.split(";").slice(1)) {
    const eq = segment.indexOf("=");
    if (eq !== -1 && segment.slice(0, eq) === name) return segment.slice(eq + 1).split("/")[0]!;
  }
  return null;
}

/** The value of the first `name=value` among `pairs` (spaces around a pair ignored), or `null`. */
function parameter(pairs: readonly string[], name: string): string | null {
  for (const pair of pairs) {
    const text = pair.trim();
    const eq = text.indexOf("=");
    if (eq !== -1 && text.slice(0, eq) === name) {
      return text.slice(eq + 1).replace(/^"(.*)"$/, "$1");
    }
  }
  return null;
}
