/**
 * How a host names itself when it answers a request, as httpd's `ap_get_server_name()` and
 * `ap_get_server_port()` decide under UseCanonicalName: the name and port a signature shows,
 * and the `Location` of a redirect to one of its own paths. Pure.
 *
 * @module
 */

import type { HostConfig } from "../server/config/mod.ts";
import type { RequestFields } from "../server/http/mod.ts";

/** A host's name and port for one request. */
export interface SelfName {
  /** A host name, or an IPv6 address in brackets. */
  readonly name: string;
  /** The TCP port. */
  readonly port: number;
}

/** What naming a host reads of it. */
export type NamedHost = Pick<HostConfig, "serverName" | "useCanonicalName">;

/** What naming a host reads of a request. */
export type NamingRequest = Pick<RequestFields, "host" | "local" | "scheme">;

/** Each scheme's default port: the one a Host field without a port names. */
const DEFAULT_PORT: Readonly<Record<NamingRequest["scheme"], number>> = { http: 80, https: 443 };

/**
 * The name and port `host` goes by for `request`. UseCanonicalName On: ServerName, with the
 * port written in it or else the port the connection arrived on. Off: the client's Host field
 * (with its port, or the scheme's default port when it names none); without a Host field, as On.
 */
export function selfNameOf(host: NamedHost, request: NamingRequest): SelfName {
  const fromClient = !host.useCanonicalName && request.host !== "";
  const { name, port } = splitAuthority(fromClient ? request.host : host.serverName);
  return { name, port: port ?? (fromClient ? DEFAULT_PORT[request.scheme] : request.local.port) };
}

/**
 * Builds a host's `Location` for a redirect to one of its own paths: under UseCanonicalName
 * Off the path itself (clients resolve it against the URL they asked for, whatever name they
 * used), under On an absolute URL on ServerName.
 *
 * @returns `(request, path) => location`, where `path` starts with `/`.
 */
export function selfLocation(host: NamedHost): (request: NamingRequest, path: string) => string {
  if (!host.useCanonicalName) return (_request, path) => path;
  return (request, path) => {
    const { name, port } = selfNameOf(host, request);
    const shown = port === DEFAULT_PORT[request.scheme] ? "" : `:${port}`;
    return `${request.scheme}://${name}${shown}${path}`;
  };
}

/** `example.test:8080` → name and port; a port that is not a number counts as none. */
function splitAuthority(authority: string): { name: string; port: number | null } {
  const colon = authority.lastIndexOf(":");
  // An IPv6 address holds colons of its own: only one after its closing bracket is a port's.
  const bracketed = authority.startsWith("[");
  if (
    colon < 0 || (bracketed ? colon < authority.lastIndexOf("]") : authority.indexOf(":") !== colon)
  ) {
    return { name: authority, port: null };
  }
  const port = authority.slice(colon + 1);
  return {
    name: authority.slice(0, colon),
    port: /^\d{1,5}$/.test(port) && Number(port) <= 65535 ? Number(port) : null,
  };
}
