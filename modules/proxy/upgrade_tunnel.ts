/**
 * The tunnel of an upgrade through the proxy (mod_proxy_http's `upgrade=`, httpd 2.4.47+):
 * once the backend has answered `101 Switching Protocols` on a connection of its own, the
 * client gets that `101` and the two connections copy bytes both ways with back-pressure
 * until both directions have ended, one fails, or the engine closes the client's side.
 *
 * @module
 */

import type {
  ResponseHeaders,
  ServerRequest,
  UpgradedConnection,
  UpgradeResponse,
} from "../../server/http/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import type { BackendConnection } from "./backend_connection.ts";

/** The client's bytes are read through a buffer of this size (the backend's through its own). */
const CLIENT_READ_BYTES = 16 * 1024;

/** What the client's `101` and its tunnel are made of besides the backend's connection. */
export interface TunnelOptions {
  /** The backend's reason phrase. */
  readonly statusText: string;
  /** The fields for the client, `Upgrade` (the protocol switched to) among them. */
  readonly headers: ResponseHeaders;
  /** The tunnel closes when no byte has moved either way for this long (the backend's timeout). */
  readonly idleTimeoutMs: number;
  /** `http://host:port` of the backend, for the debug line that says why a tunnel ended. */
  readonly backendName: string;
  /** The proxy's error log. */
  readonly logger: Logger;
  /** Called once, when the tunnel has ended and the backend's connection is closed. */
  ended(bytes: number): void;
}

/** The two ends of one direction of a tunnel. */
interface Direction {
  /**
   * The next bytes, first those received before the tunnel began; `null` at the end. A view that
   * holds until the next call.
   */
  read(): Promise<Uint8Array | null>;
  write(bytes: Uint8Array): Promise<void>;
  closeWrite(): Promise<void>;
}

/** Bytes a tunnel has moved, both ways together. */
interface Moved {
  bytes: number;
}

/**
 * Copies one direction until its reader ends, then ends the writer's sending side; each write
 * is awaited before the next read, so a slow reader holds back a fast writer. What it copies
 * is added to `moved` as it goes, so that a tunnel ended by a reset still reports it.
 */
async function copy(direction: Direction, moved: Moved): Promise<void> {
  for (let chunk = await direction.read(); chunk !== null; chunk = await direction.read()) {
    await direction.write(chunk);
    moved.bytes += chunk.length;
  }
  // A shutdown that fails finds the peer gone already: the other direction ends on its own.
  await direction.closeWrite().catch(() => {});
}

/** The client's bytes, `buffered` first, read into one buffer of the tunnel's. */
function clientReader(client: UpgradedConnection): () => Promise<Uint8Array | null> {
  let first: Uint8Array | null = client.buffered.length > 0 ? client.buffered : null;
  let buffer: Uint8Array | null = null;
  return async () => {
    if (first !== null) {
      const bytes = first;
      first = null;
      return bytes;
    }
    // Made at the first read: a tunnel whose client never sends holds none.
    buffer ??= new Uint8Array(CLIENT_READ_BYTES);
    const n = await client.read(buffer);
    return n === null ? null : buffer.subarray(0, n);
  };
}

/**
 * The backend's bytes, what came behind its `101` first, read into its connection's own buffer
 * (which grows for bulk transfers), as the proxy reads bodies.
 */
function backendReader(backend: BackendConnection): () => Promise<Uint8Array | null> {
  return async () => {
    if (backend.start === backend.end && !(await backend.fill())) return null;
    const bytes = backend.buf.subarray(backend.start, backend.end);
    backend.start = backend.end;
    return bytes;
  };
}

/**
 * The client's `101` for a backend that switched protocols on `backend`; its tunnel owns that
 * connection from then on and closes it when it ends. Should the tunnel never start (the
 * client gone before the `101` was written), the connection is closed when `request`'s
 * exchange ends.
 */
export function tunnelResponse(
  request: ServerRequest,
  backend: BackendConnection,
  options: TunnelOptions,
): UpgradeResponse {
  let started = false;
  void request.completed().then(() => {
    if (started) return;
    backend.close();
    options.ended(0);
  });
  return {
    status: 101,
    statusText: options.statusText,
    headers: options.headers,
    body: null,
    idleTimeoutMs: options.idleTimeoutMs,
    tunnel: (client) => {
      started = true;
      return tunnel(client, backend, options);
    },
  };
}

/**
 * Runs a tunnel. A failure (a peer's reset) ends it as any end does, logged at debug level:
 * the other direction is woken by closing the backend's connection here, or the client's by
 * the engine once this returns.
 */
async function tunnel(
  client: UpgradedConnection,
  backend: BackendConnection,
  options: TunnelOptions,
): Promise<void> {
  // Idle timeout or server stop: the client's side is gone, so the backend's goes too.
  void client.closed.then(() => backend.close());
  const moved: Moved = { bytes: 0 };
  const directions = [
    copy({
      read: clientReader(client),
      write: (bytes) => backend.write(bytes),
      closeWrite: () => backend.closeWrite(),
    }, moved),
    copy({
      read: backendReader(backend),
      write: (bytes) => client.write(bytes),
      closeWrite: () => client.closeWrite(),
    }, moved),
  ];
  try {
    await Promise.all(directions);
  } catch (error) {
    for (const direction of directions) direction.catch(() => {});
    if (options.logger.enabled("debug")) {
      options.logger.debug(`Tunnel to backend ${options.backendName} ended: ${String(error)}`);
    }
  } finally {
    backend.close();
    options.ended(moved.bytes);
  }
}
