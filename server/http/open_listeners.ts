/**
 * Binds the `Listen` addresses. Every failure is collected and reported at once, each naming
 * the file and line of its `Listen` entry, as configuration errors are.
 *
 * @module
 */

import { ConfigError, ConfigErrors, type ListenAddress } from "../config/mod.ts";

/** Options of {@link openListeners}. */
export interface OpenListenersOptions {
  /**
   * Join the address's `SO_REUSEPORT` group, so that several slots (processes or Workers)
   * each own a listener on the same port and the kernel spreads connections across them.
   * @default false
   */
  readonly reusePort?: boolean;
}

/**
 * Opens one TCP listener per address.
 *
 * @throws {ConfigErrors} naming each address that could not be bound (address in use,
 * permission denied, address not available); listeners already opened are closed first.
 */
export function openListeners(
  addresses: readonly ListenAddress[],
  options: OpenListenersOptions = {},
): Deno.TcpListener[] {
  return bindEach(
    addresses,
    (address) =>
      Deno.listen({
        hostname: address.hostname,
        port: address.port,
        reusePort: options.reusePort ?? false,
      }),
    (listener) => listener.close(),
  );
}

/**
 * Binds every address with `bind` (a listener, or Deno's HTTP server), collecting the
 * failures to report them at once.
 *
 * @throws {ConfigErrors} naming each address that could not be bound; what was bound already
 *   is closed with `close` first. Any other failure is thrown as it is, after the same.
 */
export function bindEach<T>(
  addresses: readonly ListenAddress[],
  bind: (address: ListenAddress) => T,
  close: (bound: T) => void,
): T[] {
  const bound: T[] = [];
  const errors: ConfigError[] = [];
  for (const address of addresses) {
    try {
      bound.push(bind(address));
    } catch (error) {
      const reason = bindFailure(error);
      if (reason === null) {
        for (const each of bound) close(each);
        throw error;
      }
      errors.push(
        new ConfigError({
          // origin already reads "file:line"; it stands where the file would.
          at: { file: address.origin, line: null, column: null },
          directive: "Listen",
          // httpd's words, so that what users search for finds the cause.
          detail: `${reason}: make_sock: could not bind to address ${formatAddress(address)}`,
          cause: error,
        }),
      );
    }
  }
  if (errors.length > 0) {
    for (const each of bound) close(each);
    throw new ConfigErrors(errors, [], "no listening sockets available, shutting down");
  }
  return bound;
}

/** `127.0.0.1:8080`, or `[::1]:8080` for IPv6. */
export function formatAddress(address: { hostname: string; port: number }): string {
  return address.hostname.includes(":")
    ? `[${address.hostname}]:${address.port}`
    : `${address.hostname}:${address.port}`;
}

/** The OS's reason as httpd prints it, `(98)Address already in use`; `null`: not a bind error. */
function bindFailure(error: unknown): string | null {
  const known = BIND_ERRORS.find(([errorClass]) => error instanceof errorClass);
  if (known === undefined) return null;
  const [, errno, text] = known;
  // Deno's and the C library's messages end in "(os error N)": the OS's own number and text.
  const os = /([^:]*?)\s*\(os error (\d+)\)/.exec((error as Error).message);
  return os === null ? `(${errno})${text}` : `(${os[2]})${os[1]!.trim()}`;
}

/** The bind failures a configuration causes, and Linux's errno and text for each. */
const BIND_ERRORS = [
  [Deno.errors.AddrInUse, 98, "Address already in use"],
  [Deno.errors.PermissionDenied, 13, "Permission denied"],
  [Deno.errors.AddrNotAvailable, 99, "Cannot assign requested address"],
] as const;
