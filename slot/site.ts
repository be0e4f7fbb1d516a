/**
 * The handler a serving slot answers with: the health endpoint, then the virtual-host router
 * over each host's module chain. Every slot (the `-X` process, a prefork child, a Worker) builds its own from the same
 * config, so no handler state is ever shared between isolates.
 *
 * @module
 */

import { createHealthHandler, createHostHandler, type ServerFacts } from "../modules/mod.ts";
import type { ScoreboardDetail } from "../scoreboard/mod.ts";
import type { HostConfig, ServerConfig } from "../server/config/mod.ts";
import { builtAt, type Handler, serverBanner } from "../server/http/mod.ts";
import type { Logger } from "../server/log/mod.ts";
import { createVirtualHostRouter, VirtualHostTable } from "./virtual_hosts.ts";

/** What a serving slot gives its site's modules. */
export interface SiteContext {
  /** The slot's error log. */
  readonly logger: Logger;
  /** Reads the whole scoreboard now (the status module's source). */
  readonly readScoreboard: () => Promise<ScoreboardDetail>;
  /** Whether the slot drains (the health endpoint then answers 503). */
  readonly draining: () => boolean;
  /** Resolves with the addresses the slot accepts on, once it does (apps' `onListen`). */
  readonly listening: Promise<readonly Deno.NetAddr[]>;
}

/**
 * Builds the site's handler: name-based virtual hosts, each with its module chain. Modules may
 * load code (app modules), so a slot awaits this before it listens.
 *
 * @throws whatever a module throws while loading (an app module that cannot be imported).
 */
export async function createSiteHandler(
  config: ServerConfig,
  context: SiteContext,
): Promise<Handler> {
  const server: ServerFacts = {
    version: serverBanner("Full"),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    built: builtAt(),
    mpm: config.mpm,
    mpmDirectives: config.mpmDirectives,
    extendedStatus: config.extendedStatus,
  };
  const moduleContext = {
    logger: context.logger,
    requestTimeoutMs: config.requestTimeoutMs,
    status: { server, readScoreboard: context.readScoreboard },
    listening: context.listening,
    types: config.typesConfig?.types ?? {},
    serverRoot: config.serverRoot,
  };
  const handlerOf = (host: HostConfig) => createHostHandler(host, moduleContext);
  const [main, ...virtualHosts] = config.hosts;
  const site = createVirtualHostRouter(new VirtualHostTable(config.hosts), [
    await handlerOf(main),
    ...await Promise.all(virtualHosts.map(handlerOf)),
  ]);
  if (config.healthLocation === null) return site;
  // Before the hosts: a probe reaches it whatever its Host, and no module can hide it.
  const health = createHealthHandler(config.healthLocation, context.draining);
  return (request) => health(request) ?? site(request);
}
