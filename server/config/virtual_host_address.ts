/**
 * The addresses of a `<VirtualHost>`: which connections its names are tried on. httpd's forms:
 * `*:80`, `127.0.0.1:8080`, `[::1]:8080`, `*` and `_default_` (any address), an address
 * without a port (any port).
 *
 * @module
 */

import { canonicalIpv6, parseIpv4 } from "./address_range.ts";
import { DirectiveValueError, wordsOf } from "./directive.ts";
import type { VirtualHostAddress } from "./server_config.ts";

const FORMS = "(*:80, 127.0.0.1:8080, [::1]:8080, * or _default_)";

/**
 * Parses the addresses written on a `<VirtualHost>` line or in YAML's `Address`.
 *
 * @throws {DirectiveValueError} naming the address that is not one of httpd's forms.
 */
export function parseVirtualHostAddresses(value: unknown): VirtualHostAddress[] {
  const words = wordsOf(value, "address");
  if (words.length === 0) {
    throw new DirectiveValueError(`a VirtualHost needs at least one address ${FORMS}`);
  }
  return words.map(parseAddress);
}

/** Formats an address as httpd writes it in `-S`: `*:80`, `127.0.0.1:*`, `[::1]:8080`. */
export function formatVirtualHostAddress(address: VirtualHostAddress): string {
  const host = address.hostname === null
    ? "*"
    : address.hostname.includes(":")
    ? `[${address.hostname}]`
    : address.hostname;
  return `${host}:${address.port ?? "*"}`;
}

function parseAddress(word: string): VirtualHostAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+|\*))?$/.exec(word);
  if (!m) throw new DirectiveValueError(`${JSON.stringify(word)} is not an address ${FORMS}`);
  const [, v6, v4, portText] = m;
  const port = portText === undefined || portText === "*" ? null : Number(portText);
  if (port !== null && port > 65535) {
    throw new DirectiveValueError(`${JSON.stringify(word)} has no valid port (0 to 65535, or *)`);
  }
  if (v6 !== undefined) {
    const canonical = canonicalIpv6(v6);
    if (canonical === null) {
      throw new DirectiveValueError(`${JSON.stringify(word)} has an invalid IPv6 address`);
    }
    return { hostname: canonical, port };
  }
  if (v4 === "*" || v4 === "_default_") return { hostname: null, port };
  const bytes = parseIpv4(v4!);
  if (bytes === null) {
    throw new DirectiveValueError(
      `${
        JSON.stringify(word)
      } does not start with an IP address (write the address the host is reached on, or *: mpmd does not look names up)`,
    );
  }
  return { hostname: bytes.join("."), port };
}
