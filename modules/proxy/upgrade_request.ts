/**
 * The pure decisions of an upgrade through the proxy (mod_proxy_http's `upgrade=` in httpd
 * 2.4.47+): whether a request asks for a protocol that a ProxyPass lets through, and which
 * protocol a backend's `101` switched to.
 *
 * @module
 */

import type { ResponseHead, ServerRequest } from "../../server/http/mod.ts";
import { connectionOptions } from "./_hop_by_hop.ts";

/** The `upgrade=` value that lets any protocol through, as httpd's. */
export const ANY_PROTOCOL = "ANY";

/**
 * The `Upgrade` value to pass to the backend when `request` asks to switch protocols
 * (`Upgrade` with the `upgrade` connection option, HTTP/1.1) to one `allowed` names — a
 * protocol name (`websocket`), compared without case and version, or {@link ANY_PROTOCOL} —
 * else `null`: the request (one with a body too) is proxied as an ordinary one.
 */
export function upgradeWanted(request: ServerRequest, allowed: string): string | null {
  // What follows a request's body would be the new protocol's: mpmd tunnels bodiless ones only.
  if (request.version !== "HTTP/1.1" || request.body.present) return null;
  const upgrade = request.headers.get("upgrade");
  if (upgrade === undefined) return null;
  if (!connectionOptions(request.headers.get("connection") ?? "").includes("upgrade")) return null;
  if (allowed.toUpperCase() === ANY_PROTOCOL) return upgrade;
  const wanted = allowed.toLowerCase();
  const offered = upgrade.split(",").map((protocol) =>
    protocol.trim().split("/")[0]!.toLowerCase()
  );
  return offered.includes(wanted) ? upgrade : null;
}

/**
 * The protocol a backend's `101` switched to (its `Upgrade` field), or `null` when the answer
 * is not a `101` or names none (RFC 9110 §15.2.2: a `101` must).
 */
export function switchedProtocol(head: ResponseHead): string | null {
  if (head.status !== 101) return null;
  const upgrade = head.fields.find(([name]) => name.toLowerCase() === "upgrade");
  return upgrade === undefined || upgrade[1] === "" ? null : upgrade[1];
}
