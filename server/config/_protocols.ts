/**
 * httpd's Protocols directive (core, with mod_http2's protocol names) and mod_http2's H2Direct:
 * which HTTP versions a host speaks. HTTP/2 is served on https addresses, where ALPN chooses it;
 * HTTP/2 over plain TCP (`h2c`, H2Direct) is read and then not served.
 *
 * @module
 */

import { type Directive, DirectiveValueError, flag, wordsOf } from "./directive.ts";
import { HTTP_PROTOCOLS, type HttpProtocol } from "./server_config.ts";

/** httpd's default: HTTP/1.1 only, HTTP/2 when a configuration asks for it. */
const DEFAULT_PROTOCOLS: readonly HttpProtocol[] = ["http/1.1"];

/** Why `h2c` and H2Direct are read without effect. */
export const H2C_NOT_SERVED: string =
  "HTTP/2 over plain TCP (h2c, by Upgrade or by prior knowledge) is not served: plain " +
  "addresses answer HTTP/1.1, and HTTP/2 is offered on https addresses by ALPN";

/**
 * Reads Protocols' words (`h2 http/1.1`), keeping their order (the server's preference) and
 * dropping repeats.
 *
 * @throws {DirectiveValueError} for a word that is not a protocol, or no word at all.
 */
export function parseProtocols(value: unknown): readonly HttpProtocol[] {
  const chosen: HttpProtocol[] = [];
  for (const word of wordsOf(value, "protocol")) {
    const protocol = HTTP_PROTOCOLS.find((p) => p === word.toLowerCase());
    if (protocol === undefined) {
      throw new DirectiveValueError(
        `${JSON.stringify(word)} is not a protocol (${HTTP_PROTOCOLS.join(", ")})`,
      );
    }
    if (!chosen.includes(protocol)) chosen.push(protocol);
  }
  if (chosen.length === 0) {
    throw new DirectiveValueError(`no protocol given (${HTTP_PROTOCOLS.join(", ")})`);
  }
  return chosen;
}

/** The per-host protocol directives, by name. */
export const PROTOCOL_DIRECTIVES = {
  Protocols: {
    name: "Protocols",
    help: "Protocols the host speaks, preferred first: h2 (HTTP/2 over TLS) and http/1.1",
    default: DEFAULT_PROTOCOLS,
    parse: (value) => parseProtocols(value),
  } satisfies Directive<readonly HttpProtocol[]>,
  H2Direct: flag({
    name: "H2Direct",
    help: "HTTP/2 by prior knowledge on plain TCP; read but not applied (h2c is not served)",
    default: false,
  }),
} as const;
