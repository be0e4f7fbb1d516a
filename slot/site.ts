/**
 * The handler a serving slot answers with: the health endpoint, then the virtual-host router
 * over each host's module chain, each host logging to its own ErrorLog. Every slot (the `-X`
 * process, a prefork child, a Worker) builds its own from the same config, so no handler state
 * is ever shared between isolates.
 *
 * @module
 */

import {
  BackendPool,
  createHealthHandler,
  createHostHandler,
  type ServerFacts,
  startBalancers,
  withFailuresLoggedTo,
} from "../modules/mod.ts";
import type { ScoreboardDetail } from "../scoreboard/mod.ts";
import type { HostConfig, ServerConfig } from "../server/config/mod.ts";
import { builtAt, type Handler, serverBanner } from "../server/http/mod.ts";
import type { ErrorLogger } from "../server/log/mod.ts";
import { createVirtualHostRouter, VirtualHostTable } from "./virtual_hosts.ts";
import { openHostErrorLogs } from "./configured_logs.ts";

/** What a serving slot gives its site's modules. */
export interface SiteContext {
  /** The slot's error log: the server's ErrorLog, from which virtual hosts' own are derived. */
  readonly logger: ErrorLogger;
  /** Reads the whole scoreboard now (the status module's source). */
  readonly readScoreboard: () => Promise<ScoreboardDetail>;
  /** Whether the slot drains (the health endpoint then answers 503). */
  readonly draining: () => boolean;
  /** Resolves with the addresses the slot accepts on, once it does (apps' `onListen`). */
  readonly listening: Promise<readonly Deno.NetAddr[]>;
}

/** A slot's site: its handler, and the error logs its virtual hosts opened. */
export interface Site {
  /** Answers every request of the slot. */
  readonly handler: Handler;
  /** Flushes and closes the virtual hosts' own error logs (once the slot has stopped serving). */
  close(): Promise<void>;
}

/**
 * Builds the site: name-based virtual hosts, each with its module chain and its error log.
 * Modules may load code (app modules), so a slot awaits this before it listens.
 *
 * @throws {ConfigErrors} when a virtual host's ErrorLog cannot be opened; whatever a module
 *   throws while loading (an app module that cannot be imported).
 */
export async function createSiteHandler(
  config: ServerConfig,
  context: SiteContext,
): Promise<Site> {
  const server: ServerFacts = {
    version: serverBanner("Full"),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    built: builtAt(),
    mpm: config.mpm,
    mpmDirectives: config.mpmDirectives,
    extendedStatus: config.extendedStatus,
  };
  // Each slot balances and checks on its own: no member state crosses isolates.
  const balancers = startBalancers(config.balancers, { logger: context.logger });
  const moduleContext = {
    logger: context.logger,
    requestTimeoutMs: config.requestTimeoutMs,
    status: { server, readScoreboard: context.readScoreboard, balancers: balancers.snapshot },
    listening: context.listening,
    types: config.typesConfig?.types ?? {},
    banner: serverBanner(config.serverTokens),
    serverRoot: config.serverRoot,
    modules: { mpm: config.mpm, loadable: config.loadedModules },
    timeoutMs: config.timeoutMs,
    proxyPool: new BackendPool(),
    balancers,
  };
  const errorLogs = openHostErrorLogs(config, context.logger);
  const close = async () => {
    balancers.stop();
    moduleContext.proxyPool.close();
    await errorLogs.close();
  };
  const handlerOf = async (host: HostConfig, index: number) => {
    const logger = errorLogs.byHost[index]!;
    const handler = await createHostHandler(host, { ...moduleContext, logger });
    // The engine logs a failure to the server's log: a host with its own answers its failures.
    return logger === context.logger
      ? handler
      : withFailuresLoggedTo(handler, logger.withModule("core"));
  };
  const [main, ...virtualHosts] = config.hosts;
  let handlers: [Handler, ...Handler[]];
  try {
    handlers = [
      await handlerOf(main, 0),
      ...await Promise.all(virtualHosts.map((host, i) => handlerOf(host, i + 1))),
    ];
  } catch (error) {
    await close();
    throw error;
  }
  const site = createVirtualHostRouter(new VirtualHostTable(config.hosts), handlers);
  if (config.healthLocation === null) return { handler: site, close };
  // Before the hosts: a probe reaches it whatever its Host, and no module can hide it.
  const health = createHealthHandler(config.healthLocation, context.draining);
  return { handler: (request) => health(request) ?? site(request), close };
}
