/**
 * Virtual hosts as httpd chooses them (vhost.c): the connection's local address picks the
 * candidates — the virtual hosts with that very IP address, else those with `*` — and the
 * request's Host picks among them by ServerName, then ServerAlias (wildcards allowed), in the
 * order written; the first candidate is that address's default. A connection no virtual host's
 * address matches is the main server's.
 *
 * @module
 */

import type { HostConfig } from "../server/config/mod.ts";
import type { Handler } from "../server/http/mod.ts";
import type { Endpoint } from "../server/log/mod.ts";

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

/** One address's candidates, and the choices already made for the Host values seen. */
interface AddressChoice {
  /** Indexes into the host list, in the order written; empty: the main server. */
  readonly candidates: readonly number[];
  /** Host field value as sent → chosen index. */
  readonly byHost: Map<string, number>;
}

/** How one host's names match a Host field. */
interface NameMatcher {
  readonly names: ReadonlySet<string>;
  readonly wildcards: readonly RegExp[];
}

/** Host values remembered per address: values past this are chosen again each time. */
const MAX_REMEMBERED_HOSTS = 1024;

/**
 * Chooses the host that serves a request: pure, and cheap on the request path (each address's
 * candidates and each name's choice are worked out once).
 */
export class VirtualHostTable {
  readonly #hosts: readonly HostConfig[];
  readonly #matchers: readonly NameMatcher[];
  readonly #byAddress = new Map<string, AddressChoice>();
  /** A connection's local Endpoint is one object for all its requests: no key to build. */
  readonly #byEndpoint = new WeakMap<Endpoint, AddressChoice>();

  /**
   * Builds the table of a configuration's hosts.
   *
   * @param hosts the main server first, then the virtual hosts in the order written.
   */
  constructor(hosts: readonly [HostConfig, ...HostConfig[]]) {
    this.#hosts = hosts;
    this.#matchers = hosts.map(nameMatcher);
  }

  /** Whether there is only the main server (every request is its). */
  get single(): boolean {
    return this.#hosts.length === 1;
  }

  /**
   * The index of the host serving a request that arrived on `local` with this Host field
   * (`""` for none: the address's default).
   */
  select(local: Endpoint, host: string): number {
    if (this.#hosts.length === 1) return 0;
    const choice = this.#byEndpoint.get(local) ?? this.#choiceFor(local);
    const known = choice.byHost.get(host);
    if (known !== undefined) return known;
    const { candidates, byHost } = choice;
    const name = hostName(host);
    const chosen = candidates.length === 0
      ? 0
      : candidates.find((i) => matches(this.#matchers[i]!, name)) ?? candidates[0]!;
    if (byHost.size < MAX_REMEMBERED_HOSTS) byHost.set(host, chosen);
    return chosen;
  }

  /** The host {@link select} chooses. */
  hostOf(local: Endpoint, host: string): HostConfig {
    return this.#hosts[this.select(local, host)]!;
  }

  #choiceFor(local: Endpoint): AddressChoice {
    const key = `${local.hostname} ${local.port}`;
    let choice = this.#byAddress.get(key);
    if (choice === undefined) {
      choice = { candidates: this.#candidates(local), byHost: new Map() };
      this.#byAddress.set(key, choice);
    }
    this.#byEndpoint.set(local, choice);
    return choice;
  }

  #candidates(local: Endpoint): number[] {
    // A connection to an IPv4 address through an IPv6 listener arrives as ::ffff:a.b.c.d.
    const address = local.hostname.startsWith("::ffff:") && local.hostname.includes(".")
      ? local.hostname.slice("::ffff:".length)
      : local.hostname;
    const withAddress = (exact: boolean) =>
      this.#hosts.flatMap((host, i) =>
        host.addresses.some((a) =>
            (exact ? a.hostname === address : a.hostname === null) &&
            (a.port === null || a.port === local.port)
          )
          ? [i]
          : []
      );
    const exact = withAddress(true);
    return exact.length > 0 ? exact : withAddress(false);
  }
}

function nameMatcher(host: HostConfig): NameMatcher {
  const names = new Set<string>();
  const wildcards: RegExp[] = [];
  for (const written of [host.serverName, ...host.serverAliases]) {
    const name = hostName(written);
    if (!/[*?]/.test(name)) names.add(name);
    else {
      const source = name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(
        /\?/g,
        ".",
      );
      wildcards.push(new RegExp(`^${source}$`));
    }
  }
  return { names, wildcards };
}

function matches(matcher: NameMatcher, name: string): boolean {
  return matcher.names.has(name) || matcher.wildcards.some((w) => w.test(name));
}

/**
 * Builds one handler that routes each request to its host's handler.
 *
 * @param table chooses the host.
 * @param handlers each host's handler, in the table's order.
 */
export function createVirtualHostRouter(
  table: VirtualHostTable,
  handlers: readonly [Handler, ...Handler[]],
): Handler {
  if (table.single) return handlers[0];
  return (request) => handlers[table.select(request.local, request.host)]!(request);
}
