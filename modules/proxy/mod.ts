/**
 * The reverse proxy (httpd's mod_proxy and mod_proxy_http): ProxyPass targets answered by
 * HTTP/1.1 backends, chosen through a {@link BackendPicker}.
 *
 * @example A plain target is a picker of one backend
 * ```ts
 * import { singleBackend } from "./mod.ts";
 * const picker = singleBackend(new URL("http://127.0.0.1:8081/app/"));
 * ```
 *
 * @module
 */

export { type BackendChoice, type BackendPicker, singleBackend } from "./backend_choice.ts";
