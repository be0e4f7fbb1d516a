/**
 * The reverse proxy's upgrade tunnel (httpd's mod_proxy_http `upgrade=`, 2.4.47+): a request
 * that asks to switch to a protocol a ProxyPass lets through is sent to the backend on a
 * connection of its own; the backend's `101` turns both connections into one byte tunnel.
 *
 * @example Tunnel WebSocket requests to a backend
 * ```ts
 * import { proxyUpgrade, upgradeWanted } from "./mod.ts";
 * import type { Handler } from "../../server/http/mod.ts";
 * import type { Logger } from "../../server/log/mod.ts";
 *
 * function websocketProxy(logger: Logger): Handler {
 *   return (request) => {
 *     const upgrade = upgradeWanted(request, "websocket");
 *     if (upgrade === null) return null;
 *     const target = new URL(request.target, "http://127.0.0.1:8081");
 *     return proxyUpgrade(request, {
 *       target,
 *       upgrade,
 *       serverName: "localhost",
 *       timeoutMs: 60_000,
 *       logger,
 *     });
 *   };
 * }
 * ```
 *
 * @module
 */

export { type BackendHead, headEndOf, parseBackendHead } from "./backend_head.ts";
export {
  ANY_PROTOCOL,
  type UpgradeHeadOptions,
  upgradeRequestHead,
  upgradeWanted,
} from "./upgrade_request.ts";
export { proxyUpgrade, type UpgradeTunnelOptions } from "./upgrade_tunnel.ts";
