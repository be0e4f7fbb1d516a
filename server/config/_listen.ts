/**
 * The Listen directive: `8080`, `"127.0.0.1:8080"`, `"[::1]:8080"`, `"*:8080"`, or a list of
 * them. Each address keeps where it was written so that a bind failure can name it.
 *
 * @module
 */

import { canonicalIpv6, parseIpv4 } from "./address_range.ts";
import {
  describeValue,
  type Directive,
  type DirectiveContext,
  DirectiveValueError,
  itemList,
  singleText,
} from "./directive.ts";
import type { ListenAddress } from "./server_config.ts";

const ADDRESS_HELP = "(a port, host:port or [IPv6]:port)";

/** Listen: the addresses to accept connections on; httpd requires at least one. */
export const LISTEN: Directive<readonly ListenAddress[]> = itemList({
  name: "Listen",
  help: "Addresses and ports to accept connections on (port, host:port, [IPv6]:port)",
  default: [],
}, parseListenAddress);

/** Formats an address as Listen takes it: `127.0.0.1:80`, `[::1]:80`. */
export function formatListenAddress(address: ListenAddress): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}`;
}

function parseListenAddress(item: unknown, ctx: DirectiveContext, origin: string): ListenAddress {
  if (typeof item === "number") return { hostname: "0.0.0.0", port: parsePort(item, item), origin };
  if (typeof item !== "string") {
    throw new DirectiveValueError(`${describeValue(item)} is not an address ${ADDRESS_HELP}`);
  }
  const text = singleText(item, ctx);
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  if (!m) {
    throw new DirectiveValueError(`${JSON.stringify(text)} is not an address ${ADDRESS_HELP}`);
  }
  const [, v6, v4, port] = m;
  const hostname = v6 ? parseListenIpv6(v6, text) : v4 ? parseListenIpv4(v4, text) : "0.0.0.0";
  return { hostname, port: parsePort(Number(port), text), origin };
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
