/**
 * How an MPM's slots take connections (its connection discipline), as data a topology
 * carries to every slot, and event's connection limit as the pure rule the slot applies.
 *
 * @module
 */

/** How a slot takes connections. */
export type Discipline =
  /** One connection at a time, keep-alive included: prefork, worker, winnt, netware, mpmt_os2. */
  | { readonly kind: "connection" }
  /**
   * event: a slot holds requests, not connections. Its process accepts while under
   * {@link overConnectionLimit}'s limit, and a slot runs at most `maxRequestsPerThread`
   * handlers at once (0: no cap).
   */
  | {
    readonly kind: "requests";
    /** AsyncRequestWorkerFactor, at least 1. */
    readonly asyncRequestWorkerFactor: number;
    /** MaxRequestsPerThread; 0: no cap. */
    readonly maxRequestsPerThread: number;
  };

/** One connection per slot at a time: what every MPM but event does. */
export const ONE_CONNECTION: Discipline = { kind: "connection" };

/** A process's connections as its slots count them. */
export interface ConnectionCounts {
  /** Open connections. */
  readonly connections: number;
  /** Of those, idle keep-alive connections (parked, needing no thread). */
  readonly keepAlive: number;
  /** Slots of the process. */
  readonly slots: number;
  /** Of those, idle. */
  readonly idleSlots: number;
}

/**
 * Whether a process must stop accepting under event's limit, httpd's ThreadsPerChild +
 * AsyncRequestWorkerFactor × idle threads. The connections that count are those that need a
 * thread: a parked keep-alive connection costs a few KiB here, not a thread, so it does not
 * keep new clients out (httpd counts it). Never for one-connection slots.
 */
export function overConnectionLimit(discipline: Discipline, counts: ConnectionCounts): boolean {
  if (discipline.kind === "connection") return false;
  const limit = counts.slots + discipline.asyncRequestWorkerFactor * counts.idleSlots;
  return counts.connections - counts.keepAlive >= limit;
}
