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
   * {@link overConnectionLimit}'s limits, and a slot runs at most `maxRequestsPerThread`
   * handlers at once (0: no cap).
   */
  | {
    readonly kind: "requests";
    /** AsyncRequestWorkerFactor, at least 1. */
    readonly asyncRequestWorkerFactor: number;
    /** MaxRequestsPerThread; 0: no cap. */
    readonly maxRequestsPerThread: number;
    /** MaxReadingPerThread, at least 1. */
    readonly maxReadingPerThread: number;
  };

/** One connection per slot at a time: what every MPM but event does. */
export const ONE_CONNECTION: Discipline = { kind: "connection" };

/** A process's connections as its slots count them. */
export interface ConnectionCounts {
  /** Open connections. */
  readonly connections: number;
  /** Of those, idle keep-alive connections (parked, needing no thread). */
  readonly keepAlive: number;
  /** Of those, connections waiting for or reading a request head. */
  readonly reading: number;
  /** Of those, connections that switched protocols and tunnel bytes (parked between bytes). */
  readonly tunnels: number;
  /** Slots of the process. */
  readonly slots: number;
  /** Of those, the ones that may take more requests (below MaxRequestsPerThread). */
  readonly idleSlots: number;
}

/**
 * Whether a process must stop accepting under event's limits. A connection counts where it
 * costs something:
 * - one that is still sending its request head costs a buffer and a RequestReadTimeout
 *   timer, not a thread: slow clients have their own, larger bound, MaxReadingPerThread for
 *   each slot of the process, so that a few hundred of them cannot keep other clients out;
 * - one whose request is in progress counts against httpd's ThreadsPerChild +
 *   AsyncRequestWorkerFactor × idle threads, where a thread is idle while it may take more
 *   requests: an isolate whose handlers await takes others (up to MaxRequestsPerThread), so a
 *   hung request costs only its own socket;
 * - a parked keep-alive connection costs a few KiB, not a thread, and is not counted (httpd
 *   counts it); nor is a tunnel (a WebSocket through the proxy), whose copying awaits its
 *   sockets as a parked connection awaits its next request.
 *
 * Never for one-connection slots.
 */
export function overConnectionLimit(discipline: Discipline, counts: ConnectionCounts): boolean {
  if (discipline.kind === "connection") return false;
  if (counts.reading >= counts.slots * discipline.maxReadingPerThread) return true;
  const inProgress = counts.connections - counts.keepAlive - counts.reading - counts.tunnels;
  return inProgress >= counts.slots + discipline.asyncRequestWorkerFactor * counts.idleSlots;
}
