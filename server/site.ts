/**
 * The handler a serving slot answers with: the virtual-host router over each host's module
 * chain. Every slot (the `-X` process, a prefork child, a Worker) builds its own from the same
 * config, so no handler state is ever shared between isolates.
 *
 * @module
 */

import { createHostHandler } from "../modules/mod.ts";
import type { HostConfig, ServerConfig } from "./config/mod.ts";
import type { Handler } from "./http/mod.ts";
import type { Logger } from "./log/mod.ts";
import { createVirtualHostRouter, type VirtualHost } from "./virtual_hosts.ts";

/**
 * Builds the site's handler: name-based virtual hosts, each with its module chain. Modules may
 * load code (app modules), so a slot awaits this before it listens.
 *
 * @throws whatever a module throws while loading (an app module that cannot be imported).
 */
export async function createSiteHandler(config: ServerConfig, logger: Logger): Promise<Handler> {
  const virtualHost = async (host: HostConfig): Promise<VirtualHost> => ({
    config: host,
    handler: await createHostHandler(host, { logger }),
  });
  const [defaultHost, ...otherHosts] = config.hosts;
  return createVirtualHostRouter([
    await virtualHost(defaultHost),
    ...await Promise.all(otherHosts.map(virtualHost)),
  ]);
}
