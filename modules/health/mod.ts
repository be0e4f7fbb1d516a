/**
 * The health endpoint a load balancer or an orchestrator probes (Health).
 *
 * @example
 * ```ts
 * import { createHealthHandler } from "./mod.ts";
 * const handler = createHealthHandler("/healthz", () => false);
 * ```
 *
 * @module
 */

export { createHealthHandler } from "./health_handler.ts";
