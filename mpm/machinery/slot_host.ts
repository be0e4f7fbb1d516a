/**
 * A slot host: what a child process runs, and what the parent itself runs for an MPM whose one
 * process hosts the threads (netware). It owns a scoreboard region and its flusher, its slots
 * (its main thread, or one Worker per thread, more or fewer as the parent asks), and its side
 * of the message channel to the parent. It ends when retired, when stopped, or when the
 * channel ends (the parent is gone).
 *
 * @module
 */

import { setInheritable } from "../../platform/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import { ProcessScoreboard, ScoreboardFile, startFlushing } from "../scoreboard/mod.ts";
import { openIsolateLog } from "./_error_log.ts";
import { type ChildMessage, type ChildStart, isMessage, type ParentMessage } from "./messages.ts";
import { mainThreadSlot, type SlotRunner, ThreadSlot } from "./_slot_runners.ts";
import { describeError } from "./_describe.ts";

/** Both directions of a host's channel to its parent (a pipe, or in-process queues). */
export interface HostChannel {
  /** The parent's messages, ending when the parent is gone. */
  readonly messages: AsyncIterable<unknown>;
  /** Sends one message to the parent. */
  send(message: unknown): Promise<void>;
}

/** A running slot host. */
export interface SlotHost {
  /** Resolves with the exit code: 0 after a retirement or stop, 1 if it could not start. */
  readonly exited: Promise<number>;
  /** Stops at once: listeners closed, connections aborted (SIGTERM). */
  stop(): void;
}

/** Starts a slot host on `channel`; it waits for the parent's `start` message. */
export function runSlotHost(channel: HostChannel): SlotHost {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => stop = resolve);
  return { exited: host(channel, stopped), stop: () => stop() };
}

async function host(channel: HostChannel, stopped: Promise<void>): Promise<number> {
  const messages = channel.messages[Symbol.asyncIterator]();
  const first = await messages.next();
  if (first.done === true || !isMessage<ChildStart>(first.value, ["start"])) return 1;
  const start = first.value;
  const send = (message: ChildMessage) => channel.send(message).catch(() => {});

  const { config, topology } = start;
  // Inherited open for this process only: an app's own subprocesses must not hold the port.
  if (start.listen.kind === "shared") {
    for (const socket of start.listen.sockets) setInheritable(socket.fd, false);
  }
  const log = openIsolateLog(config, `mpm_${config.mpm}`);
  const { logger } = log;
  const scoreboard = ProcessScoreboard.create({
    pid: Deno.pid,
    generation: start.generation,
    threadLimit: topology.threadLimit,
    nowMs: Date.now(),
  });
  const file = ScoreboardFile.open(start.scoreboardPath);
  const flusher = startFlushing({
    scoreboard,
    file,
    index: start.index,
    onError: (error) => logger.error(error.message),
  });

  let retiring = false;
  const recycle = () => {
    if (!retiring) void send({ type: "recycling" });
  };
  const slots = new Map<number, SlotRunner>();
  const addThread = (index: number) => {
    const slot = new ThreadSlot(start, scoreboard, index, logger, recycle);
    slots.set(index, slot);
    return slot;
  };
  let done!: () => void;
  const finished = new Promise<void>((resolve) => done = resolve);
  const finish = async (ending: (slot: SlotRunner) => Promise<void>) => {
    await Promise.all([...slots.values()].map(ending));
    done();
  };

  try {
    if (topology.threadsPerProcess === 0) {
      slots.set(0, await mainThreadSlot(start, scoreboard, logger, recycle));
    }
    for (let index = 0; index < topology.threadsPerProcess; index++) addThread(index);
    await Promise.all([...slots.values()].map((slot) => slot.ready));
  } catch (error) {
    await send({ type: "failed", message: describeError(error) });
    await Promise.allSettled([...slots.values()].map((slot) => slot.stop()));
    flusher.stop();
    await log.close();
    return 1;
  }

  void stopped.then(() => finish((slot) => slot.stop()));
  // The parent's next cycle must see the slots idle, not the open slots of the first flush.
  flusher.flush();
  await send({ type: "ready" });

  const threads = new ThreadPool(slots, scoreboard, logger, addThread);
  // Parent messages until retirement or until the channel ends (the parent is gone: stop).
  void (async () => {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await messages.next();
      } catch (error) {
        logger.error("Cannot read the parent's message", error);
        continue;
      }
      if (next.done === true) {
        if (!retiring) void finish((slot) => slot.stop());
        return;
      }
      const message = next.value;
      if (
        !isMessage<ParentMessage>(message, [
          "retire",
          "restartThread",
          "spawnThreads",
          "retireThreads",
        ])
      ) {
        continue;
      }
      if (retiring) continue;
      switch (message.type) {
        case "restartThread": {
          const slot = slots.get(message.slot);
          if (slot instanceof ThreadSlot) {
            // Deno cannot end a Worker caught in a loop (terminate() waits for it to yield),
            // so the thread is given up and the whole host replaced: a successor first, then
            // this one retires and its exit takes the thread with it.
            slot.abandon();
            recycle();
          }
          break;
        }
        case "spawnThreads":
          threads.spawn(message.count);
          break;
        case "retireThreads":
          threads.retire(message.count);
          break;
        case "retire":
          retiring = true;
          scoreboard.setFlags({ quiescing: true });
          void finish((slot) => slot.retire(message.how));
          break;
      }
    }
  })();

  await finished;
  flusher.stop();
  await log.close();
  return 0;
}

/** The host's Workers as a pool the parent grows and shrinks (netware, mpmt_os2). */
class ThreadPool {
  readonly #slots: Map<number, SlotRunner>;
  readonly #scoreboard: ProcessScoreboard;
  readonly #logger: Logger;
  readonly #add: (index: number) => SlotRunner;

  constructor(
    slots: Map<number, SlotRunner>,
    scoreboard: ProcessScoreboard,
    logger: Logger,
    add: (index: number) => SlotRunner,
  ) {
    this.#slots = slots;
    this.#scoreboard = scoreboard;
    this.#logger = logger;
    this.#add = add;
  }

  /** Starts up to `count` threads in the lowest free slots. */
  spawn(count: number): void {
    let started = 0;
    for (let index = 0; index < this.#scoreboard.slotCount && started < count; index++) {
      if (this.#slots.has(index)) continue;
      const slot = this.#add(index);
      slot.ready.catch((error) => {
        this.#logger.error(`Cannot start thread ${index}: ${describeError(error)}`);
        this.#slots.delete(index);
      });
      started++;
    }
  }

  /**
   * Retires up to `count` idle threads, the highest slots first (lower ones tend to be warmer):
   * each stops accepting and drains like a retiring child.
   */
  retire(count: number): void {
    const idle = [...this.#slots.keys()]
      .filter((index) => this.#scoreboard.stateOf(index) === "_")
      .sort((a, b) => b - a)
      .slice(0, count);
    for (const index of idle) {
      void this.#slots.get(index)!.retire({ graceMs: Infinity }).then(() =>
        this.#slots.delete(index)
      );
    }
  }
}
