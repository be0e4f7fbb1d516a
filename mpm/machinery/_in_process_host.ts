/**
 * A slot host inside the parent's own process, behind the same handle as a child process: for
 * an MPM whose one process hosts its threads (netware). Messages go through in-memory queues
 * instead of a pipe; "killing" it stops it, since a process cannot kill itself and live on.
 *
 * @module
 */

import type { ChildHandle } from "../../platform/mod.ts";
import { runSlotHost } from "./slot_host.ts";

/** Starts a slot host in this process; it waits for the parent's `start` message. */
export function startInProcessHost(): ChildHandle {
  const toHost = new MessageQueue();
  const toParent = new MessageQueue();
  const host = runSlotHost({
    messages: toHost,
    send: (message) => Promise.resolve(toParent.push(message)),
  });
  let running = true;
  const status = host.exited.then((code): Deno.CommandStatus => {
    running = false;
    toParent.end();
    return { success: code === 0, code, signal: null };
  });
  return {
    pid: Deno.pid,
    send: (message) => Promise.resolve(toHost.push(message)),
    messages: toParent,
    status,
    closeInput: () => Promise.resolve(toHost.end()),
    kill() {
      if (!running) return false;
      host.stop();
      return true;
    },
  };
}

/** An unbounded single-consumer queue of messages, iterable until {@link end}. */
class MessageQueue implements AsyncIterable<unknown> {
  readonly #items: unknown[] = [];
  #wake: (() => void) | null = null;
  #ended = false;

  push(message: unknown): void {
    if (this.#ended) return;
    // A copy, as a pipe would make: neither side may see the other's later changes.
    this.#items.push(structuredClone(message));
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<unknown> {
    for (;;) {
      while (this.#items.length > 0) yield this.#items.shift();
      if (this.#ended) return;
      await new Promise<void>((resolve) => this.#wake = resolve);
      this.#wake = null;
    }
  }
}
