/**
 * The settings worker and event share: children with a fixed ThreadsPerChild threads each.
 * Public because each MPM's settings type is built on it (event adds its own field).
 *
 * @module
 */

/** The settings of an MPM with fixed-size threaded children (worker, event). */
export interface ThreadedChildrenSettings {
  /** Children started at launch, at most maxRequestWorkers / threadsPerChild. */
  readonly startServers: number;
  /** MinSpareThreads: fewest idle threads kept server-wide before more children are spawned. */
  readonly minSpareThreads: number;
  /** At least minSpareThreads + threadsPerChild. */
  readonly maxSpareThreads: number;
  /** At most threadLimit. */
  readonly threadsPerChild: number;
  /** ThreadLimit: upper bound on threadsPerChild; kept on restart, as it sizes the scoreboard. */
  readonly threadLimit: number;
  /** ServerLimit: most children at once; kept on restart, as it sizes the scoreboard. */
  readonly serverLimit: number;
  /** A multiple of threadsPerChild, at most serverLimit × threadsPerChild. */
  readonly maxRequestWorkers: number;
  /** MaxConnectionsPerChild: connections a child serves before it is replaced; 0 means never. */
  readonly maxConnectionsPerChild: number;
}
