/**
 * What a serving slot is — a prefork child's main thread or one Worker, with its HTTP engine,
 * its source of connections and its scoreboard record — as its host drives it: the options it
 * starts with, how it retires, and the timing its host and the parent rely on. `start_slot.ts`
 * starts one.
 *
 * @module
 */

import type { ServerConfig } from "../server/config/mod.ts";
import type { ErrorLogger } from "../server/log/mod.ts";
import type { ProcessScoreboard } from "../scoreboard/mod.ts";
import type { Discipline } from "../mpm/mod.ts";
import type { ListenSource } from "./acceptor.ts";

/** How often a slot stamps its heartbeat; RequestTimeout is measured against it. */
export const HEARTBEAT_MS = 250;

/**
 * What every slot of a process is started with, one shape from the parent to the child to each
 * of its threads: plain data, as a message carries it.
 */
export interface SlotStart {
  /** The resolved configuration, as the parent sent it. */
  readonly config: ServerConfig;
  /** Where the slot takes connections from. */
  readonly listen: ListenSource;
  /** How it takes them: one at a time, or event's requests. */
  readonly discipline: Discipline;
  /** Slots its process starts with (event's connection limit counts their idle ones). */
  readonly processSlots: number;
  /** The process's MaxConnectionsPerChild (jitter included); 0: never. */
  readonly maxConnections: number;
  /** The scoreboard file: what the status page reads, every process's regions in it. */
  readonly scoreboardPath: string;
  /** Its process's region in the file. */
  readonly processIndex: number;
}

/** What a slot is started with: its process's {@link SlotStart} and what its isolate has. */
export interface SlotOptions extends SlotStart {
  /** This isolate's error log (virtual hosts' own are derived from it). */
  readonly logger: ErrorLogger;
  /** Its process's scoreboard region. */
  readonly scoreboard: ProcessScoreboard;
  /** Its slot index in that region. */
  readonly index: number;
  /** Called when this slot's accept made the process reach `maxConnections`. */
  readonly onRecycle: () => void;
}

/** How a slot retires: it stops accepting at once, then its connections drain. */
export interface RetireOptions {
  /** How long requests in flight may take; Infinity: no limit. */
  readonly graceMs: number;
}

/** A running slot. */
export interface Slot {
  /** Graceful exit: stops accepting, answers what it holds (closing each connection), ends. */
  retire(options: RetireOptions): Promise<void>;
  /** Hard exit: stops accepting and aborts every connection. */
  stop(): Promise<void>;
}
