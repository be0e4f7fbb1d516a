/**
 * Deno's HTTP server for one connection that mpmd accepted itself. `Deno.serve` only takes
 * addresses and listeners it binds; the same server on an accepted connection is
 * `serveHttpOnConnection`, which Deno keeps internal (`Deno[Deno.internal]`, as of 2.9). It is
 * looked up once and checked, so that a Deno without it fails at startup with a clear message.
 *
 * @module
 */

/** Deno's server on one connection. */
export interface ConnectionServer {
  /** Settles when the connection is closed (rejects when it ended in an error). */
  readonly finished: Promise<void>;
  /** Closes the connection once the requests in flight are answered. */
  shutdown(): Promise<void>;
}

type ServeHttpOnConnection = (
  connection: Deno.Conn,
  signal: AbortSignal | undefined,
  handler: Deno.ServeHandler<Deno.NetAddr>,
  onError: (error: unknown) => Response | Promise<Response>,
  onListen: () => void,
) => ConnectionServer;

let serveOn: ServeHttpOnConnection | null = null;

/**
 * Deno's internal `serveHttpOnConnection`.
 *
 * @throws {Error} when this Deno does not have it.
 */
function serveHttpOnConnection(): ServeHttpOnConnection {
  if (serveOn !== null) return serveOn;
  const deno = Deno as unknown as Record<symbol, Record<string, unknown> | undefined>;
  const internal = deno[(Deno as unknown as { internal: symbol }).internal];
  const found = internal?.serveHttpOnConnection;
  if (typeof found !== "function") {
    throw new Error(
      `Cannot serve with HttpEngine native: Deno ${Deno.version.deno} does not serve single connections (no serveHttpOnConnection)`,
    );
  }
  serveOn = found as ServeHttpOnConnection;
  return serveOn;
}

/** Checks that Deno's server can be had for single connections; throws as {@link serveOnConnection}. */
export function assertServeOnConnection(): void {
  serveHttpOnConnection();
}

/**
 * Serves `conn` with Deno's server and `handler` until the connection closes.
 *
 * @throws {Error} when this Deno cannot (see {@link assertServeOnConnection}).
 */
export function serveOnConnection(
  conn: Deno.Conn,
  handler: Deno.ServeHandler<Deno.NetAddr>,
  onError: (error: unknown) => Response | Promise<Response>,
): ConnectionServer {
  return serveHttpOnConnection()(conn, undefined, handler, onError, () => {});
}
