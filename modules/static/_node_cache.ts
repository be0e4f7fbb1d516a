/**
 * A bounded map from keys to resolved nodes, with approximate-LRU eviction.
 *
 * @module
 */

/** What the cache needs to know about a value. */
export interface CacheableNode {
  /** Bytes of content the node keeps in memory. */
  readonly bytes: number;
  /** Set on every use; cleared when the evictor passes the node over once. */
  hit: boolean;
}

/** Limits of a {@link NodeCache}. */
export interface NodeCacheLimits {
  /** Most nodes held. */
  readonly maxEntries: number;
  /** Most bytes of content held. */
  readonly maxBytes: number;
}

/**
 * Map with a bound on entries and on total bytes. Eviction is "second chance" (CLOCK): the
 * oldest node goes unless it was used since the evictor last looked, in which case it moves
 * to the young end. A hit costs one boolean write instead of LRU's reordering of the map.
 */
export class NodeCache<T extends CacheableNode> {
  readonly #nodes = new Map<string, T>();
  readonly #limits: NodeCacheLimits;
  #bytes = 0;

  /**
   * An empty cache.
   *
   * @param limits Bounds the cache never exceeds.
   */
  constructor(limits: NodeCacheLimits) {
    this.#limits = limits;
  }

  /** Number of nodes held. */
  get size(): number {
    return this.#nodes.size;
  }

  /** Bytes of content held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The node for `key`, if held. Does not mark it used: the caller decides. */
  get(key: string): T | undefined {
    return this.#nodes.get(key);
  }

  /**
   * Stores `node` under `key`, replacing any older node and evicting others to make room.
   * A node bigger than the whole byte budget is not stored.
   */
  set(key: string, node: T): void {
    this.delete(key);
    if (node.bytes > this.#limits.maxBytes || this.#limits.maxEntries < 1) return;
    while (
      this.#nodes.size >= this.#limits.maxEntries ||
      this.#bytes + node.bytes > this.#limits.maxBytes
    ) {
      this.#evictOne();
    }
    this.#nodes.set(key, node);
    this.#bytes += node.bytes;
  }

  /** Drops the node for `key`, if any. */
  delete(key: string): void {
    const old = this.#nodes.get(key);
    if (old === undefined) return;
    this.#nodes.delete(key);
    this.#bytes -= old.bytes;
  }

  #evictOne(): void {
    // Terminates: each pass clears the flag of the node it moves, so the second visit of
    // any node evicts it.
    for (const [key, node] of this.#nodes) {
      this.#nodes.delete(key);
      if (node.hit) {
        node.hit = false;
        this.#nodes.set(key, node);
        continue;
      }
      this.#bytes -= node.bytes;
      return;
    }
  }
}
