/**
 * mod_deflate and mod_brotli: a host's answers compressed on the fly, gzip and br, by
 * `AddOutputFilterByType` and `SetOutputFilter`, negotiated by Accept-Encoding.
 *
 * @example
 * ```ts
 * import { withCompression } from "./mod.ts";
 * import type { HostConfig } from "../../server/config/mod.ts";
 * import type { Handler } from "../../server/http/mod.ts";
 * import type { Logger } from "../../server/log/mod.ts";
 *
 * declare const host: HostConfig;
 * declare const chain: Handler;
 * declare const logger: Logger;
 * const handler = withCompression(chain, host, { logger });
 * ```
 *
 * @module
 */

export { type CompressionOptions, withCompression } from "./compression_filter.ts";
export { CONTENT_CODINGS, type ContentCoding } from "../_content_coding.ts";
export {
  type CompressionInput,
  type CompressionPlan,
  planCompression,
  withUnsuffixedTags,
} from "./compression_plan.ts";
