/**
 * The slots a slot host drives, behind one interface: the host's main thread itself (prefork)
 * or a Deno Worker ({@link ThreadSlot}), which is started again when it dies.
 *
 * @module
 */

import type { ErrorLogger, Logger } from "../../server/log/mod.ts";
import type { ProcessScoreboard } from "../../scoreboard/mod.ts";
import { type ChildStart, type FromThread, isMessage, type ToThread } from "./messages.ts";
import { type RetireOptions, startSlot } from "../../slot/mod.ts";
import { TIMED_OUT, withDeadline } from "../../base/mod.ts";
import { heldFiles } from "../../platform/mod.ts";

/** The shortest life after which a dead thread is replaced at once. */
const RESPAWN_DELAY_MS = 1_000;
/**
 * How long a stopped thread has to say it is done before it is terminated: a Worker whose
 * isolate already ended (`Deno.exit()` in a handler says so only on its way out, and that
 * message can be lost) never answers, and its host must not wait for it forever.
 */
const STOP_ANSWER_MS = 3_000;

/** A slot as its host drives it: in the host's main thread or in a Worker. */
export interface SlotRunner {
  /** Resolves when it accepts; rejects with the reason it could not start. */
  readonly ready: Promise<void>;
  retire(how: RetireOptions): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the host's one slot in its own main thread (prefork). */
export async function mainThreadSlot(
  start: ChildStart,
  scoreboard: ProcessScoreboard,
  logger: ErrorLogger,
  recycle: () => void,
): Promise<SlotRunner> {
  const slot = await startSlot({ ...start.slot, logger, scoreboard, index: 0, onRecycle: recycle });
  return {
    ready: Promise.resolve(),
    retire: (how) => slot.retire(how),
    stop: () => slot.stop(),
  };
}

/** A slot in a Worker, started again if its thread dies, given up if it stops running. */
export class ThreadSlot implements SlotRunner {
  readonly ready: Promise<void>;
  readonly #start: ChildStart;
  readonly #scoreboard: ProcessScoreboard;
  readonly #slot: number;
  readonly #logger: Logger;
  readonly #recycle: () => void;
  #worker!: Worker;
  #ending = false;
  #onReady: PromiseWithResolvers<void> | null = Promise.withResolvers<void>();
  #onDone: (() => void) | null = null;
  /** The thread has ended (done, failed or died while ending): nothing is left to wait for. */
  #over = false;
  #startedAt = 0;
  /** A thread that died young waits this timer for its successor; nothing runs in the slot. */
  #respawnTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    start: ChildStart,
    scoreboard: ProcessScoreboard,
    slot: number,
    logger: Logger,
    recycle: () => void,
  ) {
    this.#start = start;
    this.#scoreboard = scoreboard;
    this.#slot = slot;
    this.#logger = logger;
    this.#recycle = recycle;
    this.ready = this.#onReady!.promise;
    this.#spawn();
  }

  /**
   * Terminates the thread and starts another in its slot; a thread that dies within a second
   * of its start is replaced a second later, so a slot that cannot live does not spin.
   */
  restart(reason: string): void {
    this.#logger.error(`thread ${this.#slot} ${reason}: terminating it and starting another`);
    this.#worker.terminate();
    this.#scoreboard.countThreadRestart();
    const lived = Date.now() - this.#startedAt;
    if (lived >= RESPAWN_DELAY_MS) this.#spawn();
    else {
      this.#respawnTimer = setTimeout(() => {
        this.#respawnTimer = null;
        this.#spawn();
      }, RESPAWN_DELAY_MS - lived);
    }
  }

  retire(how: RetireOptions): Promise<void> {
    return this.#end({ type: "retire", how });
  }

  /** Gives up a thread that stopped running: it is asked to end, and no longer waited for. */
  abandon(): void {
    this.#ending = true;
    this.#worker.terminate();
    this.#ended();
  }

  async stop(): Promise<void> {
    if (await withDeadline(this.#end({ type: "stop" }), STOP_ANSWER_MS) === TIMED_OUT) {
      this.#worker.terminate();
      this.#ended();
    }
  }

  #end(message: ToThread): Promise<void> {
    this.#ending = true;
    if (this.#respawnTimer !== null) {
      // No thread to tell: the slot ends here.
      clearTimeout(this.#respawnTimer);
      this.#respawnTimer = null;
      this.#ended();
    }
    if (this.#over) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.#onDone = resolve);
    this.#worker.postMessage(message);
    return done;
  }

  #ended(): void {
    this.#over = true;
    this.#scoreboard.slot(this.#slot).setState(".");
    this.#onDone?.();
  }

  #spawn(): void {
    this.#startedAt = Date.now();
    const worker = new Worker(new URL("./thread.ts", import.meta.url), { type: "module" });
    this.#worker = worker;
    this.#scoreboard.slot(this.#slot).setState("S");
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const message = event.data;
      if (
        !isMessage<FromThread>(message, [
          "ready",
          "failed",
          "recycle",
          "done",
          "exiting",
        ])
      ) {
        return;
      }
      switch (message.type) {
        case "ready":
          this.#onReady?.resolve();
          this.#onReady = null;
          return;
        case "failed":
          this.#onReady?.reject(new Error(message.message));
          this.#onReady = null;
          this.#ending = true;
          this.#ended();
          return;
        case "recycle":
          this.#recycle();
          return;
        case "done":
          this.#ended();
          return;
        case "exiting":
          if (worker === this.#worker && !this.#ending) {
            this.restart(`exited (Deno.exit(${message.code}) called)`);
          }
          return;
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker !== this.#worker) return;
      if (this.#onReady !== null) {
        // It never started (its code could not be loaded, say, by a User that cannot read
        // it): another would fail the same way, so the start fails instead of spinning.
        this.#onReady.reject(new Error(`thread ${this.#slot} could not start: ${event.message}`));
        this.#onReady = null;
        this.#ending = true;
        this.#ended();
        return;
      }
      if (this.#ending) {
        this.#ended();
        return;
      }
      this.restart(`died (${event.message})`);
    };
    worker.postMessage(
      {
        type: "start",
        slot: this.#start.slot,
        scoreboard: this.#scoreboard.buffer,
        index: this.#slot,
        heldFiles: heldFiles(),
      } satisfies ToThread,
    );
  }
}
