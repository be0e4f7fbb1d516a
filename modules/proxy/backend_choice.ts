/**
 * The seam between the proxy and whatever picks its backends: a plain `ProxyPass` target is a
 * picker of one backend; a `balancer://` target is a picker over its members.
 *
 * @module
 */

import type { ServerRequest } from "../../server/http/mod.ts";

/** The backend one proxied request goes to, and where its outcome is reported. */
export interface BackendChoice {
  /** The backend's base URL (scheme http, host, port, path prefix) the request path is joined to. */
  readonly url: URL;
  /** Response header fields to add for the client (e.g. a sticky-session cookie); may be empty. */
  readonly responseHeaders: ReadonlyArray<readonly [string, string]>;
  /** Called exactly once when the exchange ends: whether the backend failed (connect error, 502, 504),
   * and bytes moved both ways (for lbmethod=bytraffic). */
  finished(outcome: { readonly failed: boolean; readonly bytes: number }): void;
  /**
   * Called in place of `finished` when this backend could not be reached (no connection:
   * nothing was sent): it counts as failed, and another backend for the same request is
   * returned — a balancer's next member within its maxattempts. `null` when there is none to
   * try; `finished` is then called as usual.
   */
  retry(): BackendChoice | null;
}

/** Chooses a backend for each request; `null` means none is usable (the proxy answers 503). */
export interface BackendPicker {
  /** The backend for `request`, or `null` when none is usable. */
  pick(request: ServerRequest): BackendChoice | null;
}

const NO_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);

/**
 * The picker of a plain `http://` ProxyPass target: always that one backend; nothing to report.
 *
 * @param url The backend's base URL.
 */
export function singleBackend(url: URL): BackendPicker {
  const choice: BackendChoice = {
    url,
    responseHeaders: NO_HEADERS,
    finished() {},
    retry: () => null,
  };
  return { pick: () => choice };
}
