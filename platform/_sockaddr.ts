/**
 * `struct sockaddr_in` and `struct sockaddr_in6` as bytes, to and from the `{ hostname, port }`
 * that Deno's `NetAddr` uses. Numeric addresses only: mpmd's `Listen` takes no host names.
 *
 * @module
 */

import { AF_INET, AF_INET6, check, libc } from "./_libc.ts";

/** Big enough for either family (`sizeof(struct sockaddr_in6)` is 28). */
export const SOCKADDR_BYTES = 28;
const INET_BYTES = 16;
const INET6_ADDRSTRLEN = 46;

/** A numeric address and port. */
export interface SocketAddress {
  readonly hostname: string;
  readonly port: number;
}

/**
 * Encodes `address` for `bind`.
 *
 * @throws {TypeError} when the hostname is not a numeric IPv4 or IPv6 address.
 */
export function encodeSockaddr(address: SocketAddress): Uint8Array<ArrayBuffer> {
  const v6 = address.hostname.includes(":");
  const bytes = new Uint8Array(v6 ? SOCKADDR_BYTES : INET_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, v6 ? AF_INET6 : AF_INET, true);
  view.setUint16(2, address.port, false);
  const text = new TextEncoder().encode(address.hostname.replace(/^\[|\]$/g, "") + "\0");
  const parsed = libc().inet_pton(v6 ? AF_INET6 : AF_INET, text, bytes.subarray(v6 ? 8 : 4));
  if (parsed !== 1) {
    throw new TypeError(`Cannot use "${address.hostname}" as an address: not a numeric address`);
  }
  return bytes;
}

/** Decodes what `getsockname`/`getpeername` wrote; IPv4 without a call into C. */
export function decodeSockaddr(bytes: Uint8Array<ArrayBuffer>): SocketAddress {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const port = view.getUint16(2, false);
  if (view.getUint16(0, true) === AF_INET) {
    return { hostname: `${bytes[4]}.${bytes[5]}.${bytes[6]}.${bytes[7]}`, port };
  }
  const text = new Uint8Array(INET6_ADDRSTRLEN);
  if (libc().inet_ntop(AF_INET6, bytes.subarray(8, 24), text, text.length) === null) {
    return { hostname: "", port };
  }
  return { hostname: new TextDecoder().decode(text.subarray(0, text.indexOf(0))), port };
}

/** The local (`getsockname`) or remote (`getpeername`) address of socket `fd`. */
export function socketAddress(fd: number, side: "local" | "remote"): SocketAddress {
  const bytes = new Uint8Array(SOCKADDR_BYTES);
  const length = new Uint32Array([SOCKADDR_BYTES]);
  const call = side === "local" ? "getsockname" : "getpeername";
  check(call, libc()[call](fd, bytes, length));
  return decodeSockaddr(bytes);
}
