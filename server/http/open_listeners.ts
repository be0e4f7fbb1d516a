/**
 * Binds the `Listen` addresses. Every failure is collected and reported at once, each naming
 * the file and line of its `Listen` entry, as configuration errors are.
 *
 * @module
 */

// The files, not the folder's mod.ts: a Worker that binds listeners must not load the config
// readers (the YAML parser) along with them.
import { ConfigError, ConfigErrors } from "../config/config_error.ts";
import type { ListenAddress } from "../config/server_config.ts";

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
          detail: `Cannot listen on ${formatAddress(address)}: ${reason}`,
          cause: error,
        }),
      );
    }
  }
  if (errors.length > 0) {
    for (const each of bound) close(each);
    throw new ConfigErrors(errors);
  }
  return bound;
}

/** `127.0.0.1:8080`, or `[::1]:8080` for IPv6. */
export function formatAddress(address: { hostname: string; port: number }): string {
  return address.hostname.includes(":")
    ? `[${address.hostname}]:${address.port}`
    : `${address.hostname}:${address.port}`;
}

function bindFailure(error: unknown): string | null {
  if (error instanceof Deno.errors.AddrInUse) return "address already in use";
  if (error instanceof Deno.errors.PermissionDenied) {
    return "permission denied (ports below 1024 need privileges)";
  }
  if (error instanceof Deno.errors.AddrNotAvailable) return "address not available on this host";
  return null;
}
