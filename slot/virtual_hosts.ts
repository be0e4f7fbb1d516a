/**
 * Name-based virtual hosts: picks the host whose ServerName or ServerAlias matches the
 * request's Host, else the default host (the first), as httpd does.
 *
 * @module
 */

import type { HostConfig } from "../server/config/mod.ts";
import type { Handler } from "../server/http/mod.ts";

/** A host and the handler chain that serves it. */
export interface VirtualHost {
  /** Its names, DocumentRoot and modules. */
  readonly config: HostConfig;
  /** What answers its requests. */
  readonly handler: Handler;
}

/**
 * The name a Host field value designates: lower-case, without port, IPv6 brackets or the
 * trailing dot of a fully qualified name (`example.test.` is `example.test`: httpd's
 * `fix_hostname_non_v6()` in vhost.c strips it too).
 *
 * @param host a Host field value such as `Example.test:8080` or `[::1]:80`.
 */
export function hostName(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return (end < 0 ? host : host.slice(1, end)).toLowerCase();
  }
  const colon = host.indexOf(":");
  const name = colon < 0 ? host : host.slice(0, colon);
  return (name.endsWith(".") ? name.slice(0, -1) : name).toLowerCase();
}

/**
 * Builds one handler that routes each request to its virtual host.
 *
 * @param hosts the hosts in configuration order; the first is the default.
 */
export function createVirtualHostRouter(hosts: readonly [VirtualHost, ...VirtualHost[]]): Handler {
  const [fallback] = hosts;
  if (hosts.length === 1) return fallback.handler;
  const byName = new Map<string, Handler>();
  for (const host of hosts) {
    for (const name of [host.config.serverName, ...host.config.serverAliases]) {
      const key = name.toLowerCase();
      if (!byName.has(key)) byName.set(key, host.handler);
    }
  }
  return (request) => (byName.get(hostName(request.host)) ?? fallback.handler)(request);
}
