/**
 * The head of the request a backend receives: the client's fields without the hop-by-hop ones
 * (RFC 9110 §7.6.1), the Host the backend is given, mod_proxy's X-Forwarded-* fields and, when
 * configured, an RFC 7239 Forwarded field; framing for the body the proxy forwards. Pure.
 *
 * @module
 */

import type { ServerRequest } from "../../server/http/mod.ts";
import { connectionOptions, isHopByHop } from "./_hop_by_hop.ts";

/** Fields mpmd writes itself: the Host it chooses, the framing, and Expect (see docs). */
const REPLACED: ReadonlySet<string> = new Set(["host", "content-length", "expect"]);

/** Methods whose requests are expected to carry a body: an empty one is framed as such. */
const WITH_BODY: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"]);

/** What the head says beyond the client's request. */
export interface BackendHeadOptions {
  /** The request target for the backend (path and query). */
  readonly target: string;
  /** The backend's authority (`host:port`), its Host unless ProxyPreserveHost. */
  readonly backendHost: string;
  /** ProxyPreserveHost. */
  readonly preserveHost: boolean;
  /** ProxyAddHeaders. */
  readonly addHeaders: boolean;
  /** ProxyForwarded. */
  readonly forwarded: boolean;
  /** This host's ServerName, for X-Forwarded-Server. */
  readonly serverName: string;
  /**
   * The `Upgrade` value to ask the backend for (a request ProxyPass `upgrade=` lets through),
   * sent with `Connection: Upgrade`; `null` for an ordinary request.
   */
  readonly upgrade: string | null;
}

/** An RFC 7239 node: an IPv6 address is bracketed and quoted. */
function forwardedNode(address: string): string {
  return address.includes(":") ? `"[${address}]"` : address;
}

/**
 * Builds the request head (request line, fields, empty line) for the backend.
 *
 * @param request The client's request.
 * @param options Where it goes and what the proxy adds.
 */
export function backendRequestHead(request: ServerRequest, options: BackendHeadOptions): string {
  const connection = request.headers.get("connection");
  // A Connection field names a token or two (clients send `keep-alive`): a list beats a Set.
  const named = connection === undefined ? null : connectionOptions(connection);
  const clientHost = request.headers.get("host") ?? "";
  let head = `${request.method} ${options.target} HTTP/1.1\r\nHost: ${
    options.preserveHost && clientHost !== "" ? clientHost : options.backendHost
  }\r\n`;
  let forwardedFor: string | undefined;
  let forwardedHost: string | undefined;
  let forwardedServer: string | undefined;
  let forwarded: string | undefined;
  for (const [name, value] of request.headers) {
    if (REPLACED.has(name) || isHopByHop(name)) continue;
    if (named !== null && named.includes(name)) continue;
    if (options.addHeaders) {
      if (name === "x-forwarded-for") {
        forwardedFor = value;
        continue;
      }
      if (name === "x-forwarded-host") {
        forwardedHost = value;
        continue;
      }
      if (name === "x-forwarded-server") {
        forwardedServer = value;
        continue;
      }
    }
    if (options.forwarded && name === "forwarded") {
      forwarded = value;
      continue;
    }
    head += `${name}: ${value}\r\n`;
  }
  const client = request.remote.hostname;
  if (options.addHeaders) {
    // httpd appends to what an earlier proxy wrote.
    const append = (earlier: string | undefined, value: string) =>
      earlier === undefined || earlier === "" ? value : `${earlier}, ${value}`;
    head += `X-Forwarded-For: ${append(forwardedFor, client)}\r\n`;
    if (clientHost !== "") head += `X-Forwarded-Host: ${append(forwardedHost, clientHost)}\r\n`;
    head += `X-Forwarded-Server: ${append(forwardedServer, options.serverName)}\r\n`;
  }
  if (options.forwarded) {
    const element = [
      `for=${forwardedNode(client)}`,
      `by=${forwardedNode(request.local.hostname)}`,
      ...(clientHost === "" ? [] : [`host=${JSON.stringify(clientHost)}`]),
      `proto=${request.scheme}`,
    ].join(";");
    head += `Forwarded: ${forwarded === undefined ? element : `${forwarded}, ${element}`}\r\n`;
  }
  if (options.upgrade !== null) head += `Connection: Upgrade\r\nUpgrade: ${options.upgrade}\r\n`;
  const body = request.body;
  if (body.present) {
    head += body.length === null
      ? "Transfer-Encoding: chunked\r\n"
      : `Content-Length: ${body.length}\r\n`;
  } else if (WITH_BODY.has(request.method)) head += "Content-Length: 0\r\n";
  return `${head}\r\n`;
}
