/**
 * mod_alias: the host's redirects (`Redirect`, `RedirectMatch`, `RedirectPermanent`,
 * `RedirectTemp`), tried before every other module of the host, as httpd maps a URL before
 * any handler runs, and its aliases (`Alias`, `AliasMatch`), which serve URL paths from
 * directories and files outside the DocumentRoot.
 *
 * @example
 * ```ts
 * import { createRedirectHandler } from "./mod.ts";
 *
 * const redirect = createRedirectHandler([
 *   { kind: "prefix", match: "/old", status: 301, target: "https://example.test/new" },
 * ]);
 * ```
 *
 * @module
 */

export { createRedirectHandler, matchUrlPrefix, type RedirectOptions } from "./redirect_handler.ts";
export { createAliasHandler } from "./alias_handler.ts";
export { AliasMap, type AliasMapping } from "./alias_map.ts";
