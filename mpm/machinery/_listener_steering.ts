/**
 * Pins a slot host's listeners to CPUs (`SO_INCOMING_CPU`) or unpins them. Since Linux 6.1 the
 * kernel then hands new connections only to pinned listeners, which is how a listener that must
 * get none — another process's draining, or a thread here that is stuck or retiring — is
 * avoided without closing it.
 *
 * @module
 */

import { onlineCpuCount, openIncomingCpuControl } from "../../platform/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import type { ProcessScoreboard } from "../scoreboard/mod.ts";
import { AVOID_STUCK_AFTER_MS, type ListenerFd } from "./slot.ts";
import type { SlotRunner } from "./_slot_runners.ts";
import { describeError } from "./_describe.ts";

/**
 * The steering of one slot host. Two reasons to pin: the parent asks (it gives the first CPU,
 * because another process's listeners drain), or some of this host's slots must be avoided —
 * stuck (no heartbeat for two seconds) or retiring. A no-op where the OS cannot steer.
 */
export class ListenerSteering {
  readonly #slots: ReadonlyMap<number, SlotRunner>;
  readonly #scoreboard: ProcessScoreboard;
  readonly #logger: Logger;
  readonly #control = openIncomingCpuControl();
  readonly #cpus = onlineCpuCount();
  readonly #stuck = new Set<number>();
  readonly #retiring = new Set<number>();
  #parentBase: number | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  constructor(
    slots: ReadonlyMap<number, SlotRunner>,
    scoreboard: ProcessScoreboard,
    logger: Logger,
  ) {
    this.#slots = slots;
    this.#scoreboard = scoreboard;
    this.#logger = logger;
  }

  /** Pins from the parent's first CPU on, or stops pinning for the parent (`null`). */
  follow(base: number | null): void {
    this.#parentBase = base;
    this.update();
  }

  /** Avoids slot `index` while it retires (or stops avoiding it: `false`). */
  retiring(index: number, retiring: boolean): void {
    if (retiring) this.#retiring.add(index);
    else this.#retiring.delete(index);
    this.update();
  }

  /** Watches the threads' heartbeats: a stopped one is avoided until it runs or is replaced. */
  watchThreads(): void {
    this.#timer = setInterval(() => {
      const now = Date.now();
      let changed = false;
      const noticed: string[] = [];
      for (const index of this.#slots.keys()) {
        const beat = this.#scoreboard.heartbeatOf(index);
        const stuck = beat > 0 && now - beat > AVOID_STUCK_AFTER_MS;
        if (stuck === this.#stuck.has(index)) continue;
        changed = true;
        if (stuck) {
          this.#stuck.add(index);
          noticed.push(`thread ${index} has not run for ${((now - beat) / 1000).toFixed(1)} s`);
        } else {
          this.#stuck.delete(index);
        }
      }
      if (!changed) return;
      this.update();
      // Said once the other listeners are pinned: from then on it is true.
      for (const line of noticed) {
        this.#logger.warn(`${line}: new connections go to the other threads`);
      }
    }, AVOID_STUCK_AFTER_MS / 4);
    Deno.unrefTimer(this.#timer);
  }

  /** Applies the pins the current reasons ask for. */
  update(): void {
    const control = this.#control;
    if (control === null || this.#closed) return;
    const avoided: ListenerFd[] = [];
    const usable: ListenerFd[] = [];
    for (const [index, slot] of this.#slots) {
      (this.#stuck.has(index) || this.#retiring.has(index) ? avoided : usable).push(...slot.fds);
    }
    try {
      for (const port of new Set(usable.map((entry) => entry.port))) {
        const fds = usable.filter((entry) => entry.port === port);
        // Pinned even when they cannot cover every CPU: the covered CPUs then avoid the
        // listeners that must be avoided, the others fall back to the kernel's hash as before.
        const base = this.#parentBase ?? (avoided.length > 0 ? 0 : null);
        fds.forEach((entry, k) =>
          control.set(entry.fd, base === null ? -1 : (base + k) % this.#cpus)
        );
      }
      for (const entry of avoided) control.set(entry.fd, -1);
    } catch (error) {
      this.#logger.warn(`Cannot steer new connections between listeners: ${describeError(error)}`);
    }
  }

  /** Unpins everything for good: the host retires and must not attract connections. */
  close(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#parentBase = null;
    this.#stuck.clear();
    this.#retiring.clear();
    this.update();
    this.#closed = true;
    this.#control?.close();
  }
}
