/**
 * ErrorDocument (httpd core): a host's own answers for error statuses, around its module chain.
 *
 * @example
 * ```ts
 * import { withErrorDocuments } from "./mod.ts";
 * import type { HostConfig } from "../../server/config/mod.ts";
 * import type { Handler } from "../../server/http/mod.ts";
 * import type { Logger } from "../../server/log/mod.ts";
 *
 * declare const host: HostConfig;
 * declare const chain: Handler;
 * declare const logger: Logger;
 * const handler = withErrorDocuments(chain, host, { logger });
 * ```
 *
 * @module
 */

export { type ErrorDocumentOptions, withErrorDocuments } from "./error_documents.ts";
