/**
 * Request handlers ("modules", as in httpd) and the per-host chain that runs them.
 *
 * @example
 * ```ts
 * import { createHostHandler } from "./mod.ts";
 * // const handler = await createHostHandler(config.hosts[0], { logger });
 * ```
 *
 * @module
 */

export { createHostHandler } from "./host_handler.ts";
export { withFailuresLoggedTo } from "./_answer.ts";
export { type AppContext, AppModuleError, importAppModule, loadAppHandler } from "./app/mod.ts";
export type { ModuleContext } from "./host_handler.ts";
export { createHealthHandler } from "./health/mod.ts";
export { type BalancerSet, startBalancers } from "./balancer/mod.ts";
export { BackendPool } from "./proxy/mod.ts";
export { createStaticHandler } from "./static/mod.ts";
export { createStatusHandler } from "./status/mod.ts";
export type { ServerFacts, StatusContext } from "./status/mod.ts";
export type { StaticOptions } from "./static/mod.ts";
