/**
 * mod_headers: a host's `Header` lines on its responses and `RequestHeader` lines on its
 * requests, around the host's module chain.
 *
 * @example
 * ```ts
 * import { withHeaderRules } from "./mod.ts";
 * import type { HostConfig } from "../../server/config/mod.ts";
 * import type { Handler } from "../../server/http/mod.ts";
 * import type { Logger } from "../../server/log/mod.ts";
 *
 * declare const host: HostConfig;
 * declare const chain: Handler;
 * declare const logger: Logger;
 * const handler = withHeaderRules(chain, host, { logger });
 * ```
 *
 * @module
 */

export { applyHeaderRules, type HeaderRulesOptions, withHeaderRules } from "./header_rules.ts";
