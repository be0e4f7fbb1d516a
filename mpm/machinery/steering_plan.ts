/**
 * Which CPU each child's listeners should be pinned from — the parent's steering decision, as a
 * pure function. While any listener drains (a child retiring with its listeners still open, a
 * restart's new generation starting) or a child is stuck, the serving children are pinned so
 * that together they cover every CPU: the kernel then gives new connections only to them. The
 * rest of the time nothing is pinned, and the kernel's hash spreads connections evenly.
 *
 * @module
 */

/** What the decision needs to know of one child. */
export interface SteeredChild {
  /** Its scoreboard index: the order CPUs are handed out in. */
  readonly index: number;
  /** Told to finish and exit. */
  readonly quiescing: boolean;
  /** Its listeners are still open (a quiescing child drains until they close). */
  readonly listenersOpen: boolean;
  /** Its only slot has stopped running: it must get no new connections. */
  readonly avoided: boolean;
  /** Listeners per port it holds. */
  readonly sockets: number;
}

/** The situation around the children. */
export interface SteeringInput {
  /** Every live child, serving or not. */
  readonly children: readonly SteeredChild[];
  /** A restart's new generation is starting: the old one is about to drain. */
  readonly restarting: boolean;
  /** CPUs that can receive a SYN. */
  readonly cpus: number;
}

/**
 * For each child by index, the CPU its first listener is pinned to (its k-th to `base + k`), or
 * `null` for unpinned. Without full coverage nothing is pinned: an uncovered CPU would fall back
 * to the kernel's hash over every listener anyway, draining ones included.
 */
export function planSteering(input: SteeringInput): Map<number, number | null> {
  const { children, cpus } = input;
  const draining = steeringWanted(input);
  const serving = children
    .filter((child) => !child.quiescing && !child.avoided)
    .sort((a, b) => a.index - b.index);
  const covered = serving.reduce((sum, child) => sum + child.sockets, 0) >= cpus;
  const plan = new Map<number, number | null>(children.map((child) => [child.index, null]));
  let base = 0;
  for (const child of serving) {
    plan.set(child.index, draining && covered ? base % cpus : null);
    base += child.sockets;
  }
  return plan;
}

/**
 * Whether listeners should be pinned at all: some listener drains (or is about to, during a
 * restart) or a child is stuck. A child started now pins its listeners at once if so.
 */
export function steeringWanted(input: SteeringInput): boolean {
  return input.restarting ||
    input.children.some((child) => (child.quiescing && child.listenersOpen) || child.avoided);
}
