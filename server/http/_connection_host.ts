/**
 * The contract between the engine and its connections: settings, shared resources, hooks,
 * and the bookkeeping calls a connection makes back.
 *
 * @module
 */

import type { BufferPool } from "./_buffer_pool.ts";
import type { HttpConnection } from "./connection.ts";
import type {
  ConnectionState,
  ConnectionView,
  EngineSettings,
  ServerNameOf,
} from "./engine_options.ts";
import type { Handler } from "./handler.ts";
import type { AccessRecord, Logger } from "../log/mod.ts";

/** What a connection needs from its engine. */
export interface ConnectionHost {
  readonly settings: Readonly<EngineSettings>;
  /** Receive and output buffers shared by the engine's connections. */
  readonly buffers: BufferPool;
  readonly handler: Handler;
  readonly logger: Logger;
  readonly serverNameOf: ServerNameOf;
  /** The `Server` value, `""` for none. */
  readonly banner: string;
  /** Bytes a buffered head may reach before the scanner has refused it. */
  readonly maxHeadBytes: number;
  readonly onExchange: ((record: AccessRecord) => void) | undefined;
  readonly onState: ((connection: ConnectionView) => void) | undefined;
  /** Shutting down: answer in-flight requests with `Connection: close`. */
  readonly draining: boolean;
  /** Tunnels have been closed (the engine's `closeTunnels()`): no new one may start. */
  readonly tunnelsClosed: boolean;
  /** Called on every state change (counters for stats). */
  stateChanged(from: ConnectionState, to: ConnectionState): void;
  /** Called once when the connection is closed. */
  release(connection: HttpConnection): void;
}
