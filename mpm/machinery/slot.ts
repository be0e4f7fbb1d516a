/**
 * What a serving slot is — a prefork child's main thread or one Worker, with its own
 * reuseport listeners, its own HTTP engine and its scoreboard record — as its host drives it:
 * the options it starts with, how it retires, and the timing its host and the parent rely on.
 * `start_slot.ts` starts one with the configured engine.
 *
 * @module
 */

import type { ServerConfig } from "../../server/config/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import type { ProcessScoreboard } from "../scoreboard/mod.ts";

/**
 * A retiring slot keeps accepting until no connection arrived for this long: longer than a
 * handshake takes, so nothing is still on its way to a listener that is about to close.
 */
export const RETIRE_QUIET_MS = 500;
/**
 * A retiring slot under load closes its listeners after this long even if never quiet:
 * steered, a listener goes quiet within a handshake's time; unsteered, it may never.
 */
export const RETIRE_QUIET_LIMIT_MS = { steered: 30_000, unsteered: 5_000 } as const;

/** How often a slot stamps its heartbeat; RequestTimeout is measured against it. */
export const HEARTBEAT_MS = 250;
/**
 * A slot whose heartbeat is this old gets no new connections (its replacement waits for
 * RequestTimeout): eight missed beats, beyond the pauses of a healthy event loop even on a
 * machine whose cores are all busy (one second was seen to be too short there).
 */
export const AVOID_STUCK_AFTER_MS = 8 * HEARTBEAT_MS;

/** What a slot is started with. */
export interface SlotOptions {
  /** The resolved configuration, as the parent sent it. */
  readonly config: ServerConfig;
  /** This isolate's error log. */
  readonly logger: Logger;
  /** Its process's scoreboard region. */
  readonly scoreboard: ProcessScoreboard;
  /** Its slot index in that region. */
  readonly index: number;
  /** Slots of the process (event's connection limit counts their idle ones). */
  readonly processSlots: number;
  /** Reuseport listeners per `Listen` address (more than one when a generation is small). */
  readonly listenersPerAddress: number;
  /** event's AsyncRequestWorkerFactor, or `null` for one connection at a time. */
  readonly asyncRequestWorkerFactor: number | null;
  /** event's MaxRequestsPerThread: handlers this slot runs at once; 0: no cap. */
  readonly maxRequestsPerThread: number;
  /** The process's MaxConnectionsPerChild (jitter included); 0: never. */
  readonly maxConnections: number;
  /** The scoreboard file: what the status page reads, every process's regions in it. */
  readonly scoreboardPath: string;
  /** Its process's region in the file. */
  readonly processIndex: number;
  /** Called when this slot's accept made the process reach `maxConnections`. */
  readonly onRecycle: () => void;
}

/** How a slot retires. */
export interface RetireOptions {
  /**
   * Keep accepting until no connection arrived for this long, then close the listeners: with
   * the new generation steered to take every new connection, this empties the queue (a
   * reuseport listener that closes resets what waits on it). 0 closes at once.
   */
  readonly quietMs: number;
  /**
   * The listeners close after this long even if connections keep coming: without steering a
   * listener under load is never quiet.
   */
  readonly quietLimitMs: number;
  /** How long requests in flight may take after the listeners closed; Infinity: no limit. */
  readonly graceMs: number;
}

/** One listening socket of a slot, as the OS numbers it: what steering pins to a CPU. */
export interface ListenerFd {
  /** The port it listens on. */
  readonly port: number;
  /** Its file descriptor in this process (every thread shares the table). */
  readonly fd: number;
}

/** A running slot. */
export interface Slot {
  /** Its listeners' addresses, the first listener of each `Listen` address. */
  readonly addresses: readonly Deno.NetAddr[];
  /** Its listening sockets (none where the OS does not show them, outside Linux). */
  readonly fds: readonly ListenerFd[];
  /** Resolves once its listeners are closed (retired or stopped). */
  readonly listenersClosed: Promise<void>;
  /** Graceful exit: answers what it has and what its queue still holds, then closes. */
  retire(options: RetireOptions): Promise<void>;
  /** Hard exit: closes listeners and aborts every connection. */
  stop(): Promise<void>;
}
