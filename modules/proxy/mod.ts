/**
 * The reverse proxy (httpd's mod_proxy and mod_proxy_http): ProxyPass and ProxyPassMatch
 * targets answered by HTTP/1.1 backends chosen through a {@link BackendPicker}, over a pool of
 * keep-alive connections per slot, bodies streamed both ways.
 *
 * @example A host's proxy module
 * ```ts
 * import { BackendPool, createProxyHandler } from "./mod.ts";
 * import type { HostConfig } from "../../server/config/mod.ts";
 * import type { Logger } from "../../server/log/mod.ts";
 * declare const host: HostConfig;
 * declare const logger: Logger;
 * const proxy = createProxyHandler(host, {
 *   logger,
 *   timeoutMs: 60_000,
 *   pool: new BackendPool(),
 *   balancers: { get: () => undefined },
 * });
 * ```
 *
 * @module
 */

export { type BackendChoice, type BackendPicker, singleBackend } from "./backend_choice.ts";
export { createProxyHandler, pickerOf, type ProxyContext } from "./proxy_handler.ts";
export { type Acquired, BackendPool, type ConnectTarget } from "./backend_pool.ts";
export { type BackendAddress, backendAddress } from "./backend_address.ts";
export { Silence, SilenceWatch, SWEEP_MS } from "./silence_watch.ts";
export { BackendConnection, BackendError, RESPONSE_HEAD_LIMITS } from "./backend_connection.ts";
export { type BackendHeadOptions, backendRequestHead } from "./backend_request.ts";
export { type ExchangeOptions, proxyExchange } from "./proxy_exchange.ts";
export {
  clientResponseFields,
  type ResponseRewrite,
  reverseCookie,
  reverseUrl,
} from "./client_response_fields.ts";
export { type CompiledRule, compileRules, mapToBackend, type ProxyMapping } from "./proxy_map.ts";
export { ANY_PROTOCOL, switchedProtocol, upgradeWanted } from "./upgrade_request.ts";
export { type TunnelOptions, tunnelResponse } from "./upgrade_tunnel.ts";
