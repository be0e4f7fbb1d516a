/**
 * The handler chain of one virtual host: each module in turn may answer; `null` falls
 * through to the next (and past the last, to the engine's 404).
 *
 * @module
 */

import type { HostConfig } from "../server/config/mod.ts";
import type { Handler } from "../server/http/mod.ts";
import type { Logger } from "../server/log/mod.ts";
import { createStaticHandler } from "./static/mod.ts";

/** What modules receive from the server besides their host's configuration. */
export interface ModuleContext {
  /** Where modules report errors (tagged with their module name). */
  readonly logger: Logger;
}

/**
 * Builds the handler chain for one host. Today that is the static-file module; modules that
 * claim URL prefixes (status, applications) go before it.
 */
export function createHostHandler(host: HostConfig, context: ModuleContext): Handler {
  return createStaticHandler(host, { logger: context.logger.withModule("static") });
}
