/**
 * What the proxy derives from a backend's base URL — the path prefix, where to connect, the
 * name log lines use — worked out once per URL object rather than once per request: a
 * ProxyPass target and a balancer's members keep theirs for the life of the slot, and URL
 * getters, regular expressions and string building were a visible share of the JavaScript
 * time of a small proxied answer.
 *
 * @module
 */

/** A backend's base URL, taken apart. */
export interface BackendAddress {
  /** The URL's path without its final slash, which request targets go under (`""` for `/`). */
  readonly prefix: string;
  /** `host:port` as the URL writes it (IPv6 bracketed): the Host the backend is given. */
  readonly host: string;
  /** The host to connect to (an IPv6 address without brackets). */
  readonly hostname: string;
  /** The TCP port (80 when the URL names none). */
  readonly port: number;
  /** `hostname:port`: the pool's key for the backend's connections. */
  readonly authority: string;
  /** `http://host:port`, as log lines name the backend. */
  readonly name: string;
}

/** Keyed by the URL object: configured URLs are never changed after they are parsed. */
const addresses = new WeakMap<URL, BackendAddress>();

/**
 * The address of the backend at `url`, computed on the first call for that URL object.
 *
 * @param url A backend's base URL (scheme http).
 */
export function backendAddress(url: URL): BackendAddress {
  let address = addresses.get(url);
  if (address === undefined) {
    const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const port = Number(url.port || 80);
    address = {
      prefix: url.pathname === "/" ? "" : url.pathname.replace(/\/$/, ""),
      host: url.host,
      hostname,
      port,
      authority: `${hostname}:${port}`,
      name: `${url.protocol}//${url.host}`,
    };
    addresses.set(url, address);
  }
  return address;
}
