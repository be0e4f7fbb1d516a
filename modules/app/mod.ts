/**
 * App modules: users' handler modules in the `deno serve` convention
 * (`export default { fetch(request, info) { … } }`), each mounted on a URL prefix of a host
 * by the `App` directive. The app sees the full request URL (the prefix is not stripped).
 *
 * @example
 * ```ts
 * import { loadAppHandler } from "./mod.ts";
 * import type { Logger } from "../../server/log/mod.ts";
 *
 * declare const logger: Logger;
 *
 * const api = await loadAppHandler({ location: "/api", module: "/srv/apps/api.ts" }, {
 *   logger,
 *   requestTimeoutMs: 60_000,
 * });
 * // api(request) answers /api, /api/ and /api/…; any other path gets null (falls through).
 * ```
 *
 * @module
 */

export {
  type AppContext,
  importAppModule,
  loadAppHandler,
  type ServeDefault,
} from "./app_handler.ts";
export { AppModuleError } from "./app_module_error.ts";
