/**
 * The pure decisions of an upgrade through the proxy (mod_proxy_http's `upgrade=` in httpd
 * 2.4.47+): whether a request asks for a protocol that a ProxyPass lets through, and the
 * request head sent to the backend for it.
 *
 * @module
 */

import type { ServerRequest } from "../../server/http/mod.ts";

/** The `upgrade=` value that lets any protocol through, as httpd's. */
export const ANY_PROTOCOL = "ANY";

/**
 * Hop-by-hop fields (RFC 9110 §7.6.1) and the proxy's own: never passed on as received. An
 * upgrade sends `Connection` and `Upgrade` again, written by the proxy.
 */
const NOT_FORWARDED = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

/** The connection options of a `Connection` field value, lower case. */
function connectionOptions(value: string | undefined): string[] {
  return value === undefined ? [] : value.toLowerCase().split(",").map((option) => option.trim());
}

/**
 * The `Upgrade` value to pass to the backend when `request` asks to switch protocols
 * (`Upgrade` with the `upgrade` connection option, HTTP/1.1) to one `allowed` names — a
 * protocol name (`websocket`), compared without case and version, or {@link ANY_PROTOCOL} —
 * else `null`: the request is proxied as an ordinary one.
 */
export function upgradeWanted(request: ServerRequest, allowed: string): string | null {
  if (request.version !== "HTTP/1.1") return null;
  const upgrade = request.headers.get("upgrade");
  if (upgrade === undefined) return null;
  if (!connectionOptions(request.headers.get("connection")).includes("upgrade")) return null;
  if (allowed.toUpperCase() === ANY_PROTOCOL) return upgrade;
  const wanted = allowed.toLowerCase();
  const offered = upgrade.split(",").map((protocol) =>
    protocol.trim().split("/")[0]!.toLowerCase()
  );
  return offered.includes(wanted) ? upgrade : null;
}

/** What the backend's request head is built from besides the client's request. */
export interface UpgradeHeadOptions {
  /** The backend URL the request goes to: its host and port, its path and query. */
  readonly target: URL;
  /** The `Upgrade` value to send ({@link upgradeWanted}). */
  readonly upgrade: string;
  /** The name of the server that proxies (`X-Forwarded-Server`). */
  readonly serverName: string;
  /**
   * Send the client's `Host` rather than the backend's (ProxyPreserveHost).
   * @default false
   */
  readonly preserveHost?: boolean;
}

/**
 * The request head sent to the backend for an upgrade: the request line with the target's path
 * and query, `Host`, the client's end-to-end fields, the `X-Forwarded-For`, `-Host` and
 * `-Server` fields mod_proxy adds (an existing `X-Forwarded-For` is extended), then
 * `Connection: Upgrade` and the `Upgrade` asked for.
 */
export function upgradeRequestHead(request: ServerRequest, options: UpgradeHeadOptions): string {
  const { target } = options;
  const host = options.preserveHost === true && request.host !== "" ? request.host : target.host;
  let head = `${request.method} ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${host}\r\n`;
  const dropped = new Set(NOT_FORWARDED);
  // Fields the client's Connection field names are hop-by-hop too (RFC 9110 §7.6.1).
  for (const option of connectionOptions(request.headers.get("connection"))) dropped.add(option);
  let forwardedFor = request.remote.hostname;
  for (const [name, value] of request.headers) {
    if (dropped.has(name)) continue;
    if (name === "x-forwarded-for") {
      forwardedFor = `${value}, ${forwardedFor}`;
      continue;
    }
    head += `${name}: ${value}\r\n`;
  }
  head += `X-Forwarded-For: ${forwardedFor}\r\n`;
  if (request.host !== "") head += `X-Forwarded-Host: ${request.host}\r\n`;
  head += `X-Forwarded-Server: ${options.serverName}\r\n`;
  return `${head}Connection: Upgrade\r\nUpgrade: ${options.upgrade}\r\n\r\n`;
}
