/**
 * The handler chain of one virtual host: each module in turn may answer; `null` falls
 * through to the next (and past the last, to the engine's 404).
 *
 * @module
 */

import type { HostConfig } from "../server/config/mod.ts";
import type { ModulesInEffect } from "../server/config/httpd_syntax/mod.ts";
import type { Handler } from "../server/http/mod.ts";
import type { Logger } from "../server/log/mod.ts";
import { createAccessHandler } from "./access/mod.ts";
import { AliasMap, createAliasHandler, createRedirectHandler } from "./alias/mod.ts";
import { loadAppHandler } from "./app/mod.ts";
import { withErrorDocuments } from "./error_document/mod.ts";
import { withHeaderRules } from "./headers/mod.ts";
import { withCompression } from "./compression/mod.ts";
import { createSignature, withServerSignature } from "./signature/mod.ts";
import { selfLocation } from "./_self_reference.ts";
import { DirectoryConfigs } from "./per_directory/mod.ts";
import { createStaticHandler } from "./static/mod.ts";
import { type BackendPool, createProxyHandler } from "./proxy/mod.ts";
import { createStatusHandler, type StatusContext } from "./status/mod.ts";
import type { BalancerSet } from "./balancer/mod.ts";

/** What modules receive from the server besides their host's configuration. */
export interface ModuleContext {
  /** Where modules report errors (tagged with their module name). */
  readonly logger: Logger;
  /** RequestTimeout: how long an app module may take to answer; 0: no limit. */
  readonly requestTimeoutMs: number;
  /** What the status module reads: the server's facts and the scoreboard. */
  readonly status: StatusContext;
  /** Resolves with the addresses the slot accepts on, once it does (apps' `onListen`). */
  readonly listening: Promise<readonly Deno.NetAddr[]>;
  /** TypesConfig's types, extension → media type (empty without TypesConfig). */
  readonly types: Readonly<Record<string, string>>;
  /** The server's name and version as ServerTokens allows, which a ServerSignature shows. */
  readonly banner: string;
  /** ServerRoot, which a relative AuthUserFile in an access file is under. */
  readonly serverRoot: string;
  /** The modules the server has, which an access file's `<IfModule>` tests. */
  readonly modules: ModulesInEffect;
  /** Timeout: how long a backend may stay silent when ProxyTimeout does not say. */
  readonly timeoutMs: number;
  /** The slot's keep-alive connections to proxy backends, shared by its hosts. */
  readonly proxyPool: BackendPool;
  /** The slot's balancers, which `balancer://name` proxy targets name (shared by its hosts). */
  readonly balancers: BalancerSet;
}

/**
 * Builds the handler chain for one host: its redirects, its access control, the status module
 * (if Status is on), its ProxyPass mappings, its aliases, its App mounts, the longest Location first (so `/api/v2` wins over `/api`, and
 * `/` comes last), then the static-file module.
 *
 * @throws {AppModuleError} when an App module cannot be loaded.
 */
export async function createHostHandler(
  host: HostConfig,
  context: ModuleContext,
): Promise<Handler> {
  const appLogger = context.logger.withModule("app");
  const mounts = [...host.apps].sort((a, b) => b.location.length - a.location.length);
  const appContext = {
    logger: appLogger,
    requestTimeoutMs: context.requestTimeoutMs,
    listening: context.listening,
  };
  const apps = await Promise.all(mounts.map((m) => loadAppHandler(m, appContext)));
  const signature = createSignature(host, context.banner);
  const aliases = new AliasMap(host.aliases);
  const directories = new DirectoryConfigs(host, {
    roots: [host.documentRoot, ...host.aliases.map((_, index) => aliases.rootOf(index))],
    serverRoot: context.serverRoot,
    modules: context.modules,
    logger: context.logger.withModule("core"),
    redirects: { selfLocation: selfLocation(host) },
  });
  const perDirectory = host.sections.some((s) =>
    s.kind === "Directory" || s.kind === "DirectoryMatch"
  );
  const staticOptions = {
    logger: context.logger.withModule("static"),
    types: context.types,
    signature,
    // Without Directory sections every directory is served with the host's settings.
    ...(perDirectory &&
      { directoryOptions: (dir: string, now: number) => directories.forRequest(dir, now) }),
  };
  const serveStatic = createStaticHandler(host, staticOptions);
  // Redirects first, as httpd maps URLs before any handler; then the status Locations: an
  // App on / must not hide the server's own page; then aliases (Alias /static/ beside an App
  // on /, as with httpd's WSGIScriptAlias).
  const redirect = createRedirectHandler(host.redirects, { selfLocation: selfLocation(host) });
  const alias = createAliasHandler(host, staticOptions);
  // Access control after redirects (httpd redirects before it authorizes), before the rest.
  const access = createAccessHandler(host, {
    logger: context.logger.withModule("authz_core"),
    aliases,
    directories,
  });
  // ProxyPass maps URLs before Alias, as httpd's proxy_trans runs before mod_alias's.
  const proxy = createProxyHandler(host, {
    logger: context.logger.withModule("proxy"),
    timeoutMs: context.timeoutMs,
    pool: context.proxyPool,
    balancers: context.balancers,
  });
  const modules = [
    ...(redirect === null ? [] : [redirect]),
    ...(access === null ? [] : [access]),
    ...(host.status === null ? [] : [createStatusHandler(host.status, context.status)]),
    ...(proxy === null ? [] : [proxy]),
    ...(alias === null ? [] : [alias]),
    ...apps,
  ];
  // An app handler says null synchronously for a path outside its Location, and anything
  // else is its answer: the static module's synchronous answers stay synchronous.
  const chain: Handler = modules.length === 0 ? serveStatic : (request) => {
    for (const module of modules) {
      const response = module(request);
      if (response !== null) return response;
    }
    return serveStatic(request);
  };
  // The signature on the chain's own error pages, ErrorDocuments in place of them, then Header
  // and RequestHeader lines around everything the host answers (error documents included);
  // last the compression filters, which see the fields as sent (a Header's no-transform too).
  const logger = context.logger.withModule("core");
  const signed = withServerSignature(chain, { signature, logger });
  const headed = withHeaderRules(withErrorDocuments(signed, host, { logger }), host, { logger });
  return withCompression(headed, host, { logger });
}
