/**
 * The Listen directive: `8080`, `"127.0.0.1:8080"`, `"[::1]:8080"`, `"*:8080"`, each optionally
 * followed by its protocol (`"127.0.0.1:8443 https"`), or a list of them. Each address keeps
 * where it was written so that a bind failure can name it.
 *
 * @module
 */

import { canonicalIpv6, parseIpv4 } from "./address_range.ts";
import {
  argsOf,
  describeValue,
  type Directive,
  type DirectiveContext,
  DirectiveValueError,
  itemList,
} from "./directive.ts";
import { LISTEN_PROTOCOLS, type ListenAddress, type ListenProtocol } from "./server_config.ts";

const ADDRESS_HELP = "(a port, host:port or [IPv6]:port)";

/** The port whose protocol is https when none is written, as in httpd. */
const HTTPS_PORT = 443;

/** Listen: the addresses to accept connections on; httpd requires at least one. */
export const LISTEN: Directive<readonly ListenAddress[]> = itemList({
  name: "Listen",
  help:
    "Addresses and ports to accept connections on (port, host:port, [IPv6]:port), each optionally followed by http or https",
  default: [],
}, parseListenAddress);

/** Formats an address as Listen takes it: `127.0.0.1:80`, `[::1]:80`. */
export function formatListenAddress(address: ListenAddress): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}`;
}

/** Formats an address with its protocol when that is not the one its port implies. */
export function formatListen(address: ListenAddress): string {
  const implied: ListenProtocol = address.port === HTTPS_PORT ? "https" : "http";
  const text = formatListenAddress(address);
  return address.protocol === implied ? text : `${text} ${address.protocol}`;
}

function parseListenAddress(item: unknown, ctx: DirectiveContext, origin: string): ListenAddress {
  if (typeof item === "number") {
    const port = parsePort(item, item);
    return { hostname: "0.0.0.0", port, protocol: impliedProtocol(port), origin };
  }
  if (typeof item !== "string") {
    throw new DirectiveValueError(`${describeValue(item)} is not an address ${ADDRESS_HELP}`);
  }
  const words = ctx.syntax === "yaml" ? item.trim().split(/\s+/) : argsOf(item);
  const written = words.join(" ");
  const text = words[0] ?? "";
  const protocolWord = words[1]?.toLowerCase();
  const protocol = LISTEN_PROTOCOLS.find((p) => p === protocolWord);
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  if (!m || words.length > 2 || (words.length === 2 && protocol === undefined)) {
    throw new DirectiveValueError(`${JSON.stringify(written)} is not an address ${ADDRESS_HELP}`);
  }
  const [, v6, v4, portText] = m;
  const hostname = v6 ? parseListenIpv6(v6, text) : v4 ? parseListenIpv4(v4, text) : "0.0.0.0";
  const port = parsePort(Number(portText), text);
  return { hostname, port, protocol: protocol ?? impliedProtocol(port), origin };
}

function impliedProtocol(port: number): ListenProtocol {
  return port === HTTPS_PORT ? "https" : "http";
}

function parsePort(port: number, written: unknown): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DirectiveValueError(
      `${describeValue(written)} has no valid port (an integer from 0 to 65535)`,
    );
  }
  return port;
}

function parseListenIpv4(host: string, written: string): string {
  // httpd's `*` means every interface.
  if (host === "*") return "0.0.0.0";
  const bytes = parseIpv4(host);
  if (bytes !== null) return bytes.join(".");
  throw new DirectiveValueError(
    `${
      JSON.stringify(written)
    } does not start with an IP address (mpmd binds numeric addresses, not host names)`,
  );
}

function parseListenIpv6(host: string, written: string): string {
  const canonical = canonicalIpv6(host);
  if (canonical !== null) return canonical;
  throw new DirectiveValueError(`${JSON.stringify(written)} has an invalid IPv6 address`);
}
