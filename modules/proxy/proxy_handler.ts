/**
 * The proxy module of one host: the request paths its ProxyPass and ProxyPassMatch rules map
 * are answered by their backends; `!` rules and unmapped paths fall through to the modules
 * after it.
 *
 * @module
 */

import { balancerOfTarget, type HostConfig, type ProxyRule } from "../../server/config/mod.ts";
import { errorResponse, type Handler } from "../../server/http/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import { type BackendPicker, singleBackend } from "./backend_choice.ts";
import type { BackendPool } from "./backend_pool.ts";
import { proxyExchange } from "./proxy_exchange.ts";
import { compileRules, mapToBackend, targetOrigin } from "./proxy_map.ts";

/** What the proxy module needs besides its host's configuration. */
export interface ProxyContext {
  /** The proxy's error log (module `proxy`). */
  readonly logger: Logger;
  /** Timeout: how long a backend may stay silent when neither ProxyTimeout nor `timeout=` say. */
  readonly timeoutMs: number;
  /** The slot's connections to backends, shared by its hosts. */
  readonly pool: BackendPool;
  /** The slot's balancers, which `balancer://name` targets name. */
  readonly balancers: { get(name: string): BackendPicker | undefined };
}

/**
 * The picker of a rule's target: the slot's balancer for a `balancer://name` URL (the
 * configuration's checks make sure it exists), else one backend for an `http://` URL.
 * (Targets of other schemes are refused by the configuration's reader.)
 */
export function pickerOf(rule: ProxyRule, balancers: ProxyContext["balancers"]): BackendPicker {
  const balancer = balancerOfTarget(rule.target!);
  if (balancer !== null) return balancers.get(balancer)!;
  return singleBackend(new URL(targetOrigin(rule.target!)));
}

/**
 * Builds the proxy module of `host`, or `null` when it proxies nothing.
 *
 * @param host The host's configuration.
 * @param context The log, the server's Timeout and the slot's pool.
 */
export function createProxyHandler(host: HostConfig, context: ProxyContext): Handler | null {
  const proxy = host.proxy;
  if (!proxy.rules.some((rule) => rule.target !== null)) return null;
  const rules = compileRules(proxy.rules);
  const pickers = new Map(
    proxy.rules.filter((rule) => rule.target !== null).map((
      rule,
    ) => [rule, pickerOf(rule, context.balancers)]),
  );
  const head = {
    preserveHost: proxy.preserveHost,
    addHeaders: proxy.addHeaders,
    forwarded: proxy.forwarded,
    serverName: host.serverName,
  };
  const rewrite = {
    reverse: proxy.reverse,
    cookieDomains: proxy.cookieDomains,
    cookiePaths: proxy.cookiePaths,
  };
  const { logger, pool } = context;
  return (request) => {
    const mapping = mapToBackend(rules, request.path, request.query);
    if (mapping === null || mapping === "excluded") return null;
    const { rule, target } = mapping;
    const choice = pickers.get(rule)!.pick(request);
    if (choice === null) {
      logger.error(`No backend is usable for ${rule.target} (${request.method} ${request.path})`);
      return errorResponse(503);
    }
    return proxyExchange(request, {
      pool,
      choice,
      target,
      worker: rule.worker,
      timeoutMs: rule.worker.timeoutMs ?? proxy.timeoutMs ?? context.timeoutMs,
      head,
      rewrite,
      logger,
    });
  };
}
