/**
 * A slot host: what a child process runs, and what the parent itself runs for an MPM whose one
 * process hosts the threads (netware). It owns a scoreboard region and its flusher, its slots
 * (its main thread, or one Worker per thread, more or fewer as the parent asks), and its side
 * of the message channel to the parent. It ends when retired, when stopped, or when the
 * channel ends (the parent is gone).
 *
 * @module
 */

import { dropPrivileges, holdFiles, isRoot, setInheritable } from "../../platform/mod.ts";
import type { ServerConfig } from "../../server/config/mod.ts";
import type { Topology } from "../mpm_policy.ts";
import type { Logger } from "../../server/log/mod.ts";
import { ProcessScoreboard, ScoreboardFile, startFlushing } from "../../scoreboard/mod.ts";
import { type ChildMessage, type ChildStart, isMessage, type ParentMessage } from "./messages.ts";
import { mainThreadSlot, type SlotRunner, ThreadSlot } from "./_slot_runners.ts";
import { logFilePaths, openIsolateLog } from "../../slot/mod.ts";
import { delay, describeError } from "../../base/mod.ts";

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

/**
 * Gives up root for the User and Group, as httpd's children do, once the scoreboard is open
 * and the logs are held (the slots write them by descriptor, as the User could not open them).
 * Not root: nothing to give up, whoever started the server serves.
 *
 * @returns why the host cannot serve as the User, or `null` when it does (or need not).
 */
function serveAsUser(config: ServerConfig, topology: Topology): string | null {
  const { runAs } = config;
  if (runAs === null || !isRoot()) return null;
  const who = `User ${runAs.user}`;
  if (topology.threadsInParent) {
    return `Cannot serve as ${who}: ${config.mpm} serves from the parent process, which keeps ` +
      "root; start mpmd as that user, or use an MPM with child processes (prefork, worker, event)";
  }
  try {
    holdFiles(logFilePaths(config));
    dropPrivileges({ user: runAs.user, uid: runAs.uid, gid: runAs.gid });
    return null;
  } catch (error) {
    return `Cannot serve as ${who}: ${describeError(error)}`;
  }
}

/** Starts a slot host on `channel`; it waits for the parent's `start` message. */
export function runSlotHost(channel: HostChannel): SlotHost {
  const stopped = Promise.withResolvers<void>();
  return { exited: host(channel, stopped.promise), stop: () => stopped.resolve() };
}

async function host(channel: HostChannel, stopped: Promise<void>): Promise<number> {
  const messages = channel.messages[Symbol.asyncIterator]();
  const first = await messages.next();
  if (first.done === true || !isMessage<ChildStart>(first.value, ["start"])) return 1;
  const start = first.value;
  const send = (message: ChildMessage) => channel.send(message).catch(() => {});

  const { topology } = start;
  const { config, listen } = start.slot;
  // Inherited open for this process only: an app's own subprocesses must not hold the port.
  if (listen.kind === "shared") {
    for (const socket of listen.sockets) setInheritable(socket.fd, false);
  }
  const log = openIsolateLog(config, `mpm_${config.mpm}`);
  const { logger } = log;
  const scoreboard = ProcessScoreboard.create({
    pid: Deno.pid,
    generation: start.generation,
    threadLimit: topology.threadLimit,
    nowMs: Date.now(),
  });
  const file = ScoreboardFile.open(start.slot.scoreboardPath);
  const asUser = config.runAs !== null && isRoot() ? config.runAs.user : null;
  const cannotServeAs = serveAsUser(config, topology);
  if (cannotServeAs !== null) {
    await send({ type: "failed", message: cannotServeAs });
    await log.close();
    return 1;
  }
  const flusher = startFlushing({
    scoreboard,
    file,
    index: start.slot.processIndex,
    onError: (error) => logger.error(error.message),
  });

  let retiring = false;
  const recycle = () => {
    if (!retiring) void send({ type: "recycling" });
  };
  const slots = new Map<number, SlotRunner>();
  const threads = new ThreadPool(slots, scoreboard, logger, {
    add: (index) => new ThreadSlot(start, scoreboard, index, logger, recycle),
    retiring: () => retiring,
  });
  const finished = Promise.withResolvers<void>();
  const finish = async (ending: (slot: SlotRunner) => Promise<void>) => {
    await Promise.all([...slots.values()].map(ending));
    finished.resolve();
  };

  try {
    if (topology.threadsPerProcess === 0) {
      slots.set(0, await mainThreadSlot(start, scoreboard, logger, recycle));
    }
    // Ready once one slot accepts: the rest of the threads start while this process serves.
    await threads.start(topology.threadsPerProcess);
  } catch (error) {
    // Threads load their code after the drop: under `deno run`, from files the User may not read.
    const hint = asUser === null ? "" : ` (threads serving as User ${asUser} load mpmd's code ` +
      "and Deno's cache (DENO_DIR) as that user: run the compiled binary, or keep both where " +
      "it can read them)";
    await send({ type: "failed", message: describeError(error) + hint });
    await Promise.allSettled([...slots.values()].map((slot) => slot.stop()));
    flusher.stop();
    await log.close();
    return 1;
  }

  void stopped.then(() => finish((slot) => slot.stop()));
  // The parent's next cycle must see the slots idle, not the open slots of the first flush.
  flusher.flush();
  await send({ type: "ready" });

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
          void finish((slot) => slot.retire({ graceMs: message.how.graceMs ?? Infinity }));
          break;
      }
    }
  })();

  await finished.promise;
  flusher.stop();
  await log.close();
  return 0;
}

/** How a {@link ThreadPool} makes a slot, and whether its host is retiring. */
interface ThreadPoolParts {
  readonly add: (index: number) => SlotRunner;
  readonly retiring: () => boolean;
}

/**
 * The host's Workers: started one at a time, and grown and shrunk as the parent asks
 * (netware, mpmt_os2). `new Worker` blocks this thread until the new isolate exists, which
 * takes hundreds of milliseconds on a loaded machine: between two starts the host yields, so
 * that its scoreboard flush and the parent's messages (a retirement) do not wait for a batch.
 */
class ThreadPool {
  readonly #slots: Map<number, SlotRunner>;
  readonly #scoreboard: ProcessScoreboard;
  readonly #logger: Logger;
  readonly #parts: ThreadPoolParts;
  /** Threads are being created: a spawn asked for meanwhile is not added. */
  #creating = false;

  constructor(
    slots: Map<number, SlotRunner>,
    scoreboard: ProcessScoreboard,
    logger: Logger,
    parts: ThreadPoolParts,
  ) {
    this.#slots = slots;
    this.#scoreboard = scoreboard;
    this.#logger = logger;
    this.#parts = parts;
  }

  /**
   * Starts threads in the lowest `count` free slots, one at a time. Resolves as soon as one of
   * them accepts (or at once for none), so that the process serves while the rest start, and
   * rejects with the first failure when every one failed. Once one accepts, a thread that
   * could not start is logged and its slot freed. The slots show `S` from the start, so that
   * the parent counts them while they are on their way.
   */
  start(count: number): Promise<void> {
    const free: number[] = [];
    for (let index = 0; index < this.#scoreboard.slotCount && free.length < count; index++) {
      if (!this.#slots.has(index)) free.push(index);
    }
    for (const index of free) this.#scoreboard.slot(index).setState("S");
    const first = Promise.withResolvers<void>();
    let serving = false;
    let unsettled = 0;
    const unreported: [number, unknown][] = [];
    const report = (index: number, error: unknown) =>
      this.#logger.error(`Cannot start thread ${index}: ${describeError(error)}`);
    const settleUnlessServing = () => {
      if (serving || unsettled > 0 || this.#creating) return;
      if (unreported.length === 0) first.resolve();
      else first.reject(unreported[0]![1]);
    };
    this.#creating = true;
    void (async () => {
      for (const index of free) {
        if (this.#parts.retiring()) {
          this.#scoreboard.slot(index).setState(".");
          continue;
        }
        const slot = this.#parts.add(index);
        this.#slots.set(index, slot);
        unsettled++;
        slot.ready.then(() => {
          unsettled--;
          if (serving) return;
          serving = true;
          for (const [index, error] of unreported.splice(0)) report(index, error);
          first.resolve();
        }, (error) => {
          unsettled--;
          this.#slots.delete(index);
          if (serving) report(index, error);
          else unreported.push([index, error]);
          settleUnlessServing();
        });
        await delay(0);
      }
      this.#creating = false;
      settleUnlessServing();
    })();
    return first.promise;
  }

  /**
   * The parent's spawnThreads: starts up to `count` threads, unless a start is still under
   * way (the parent asked before it could see those threads, and asks again if still short).
   */
  spawn(count: number): void {
    if (this.#creating) return;
    this.start(count).catch((error) => {
      this.#logger.error(`Cannot start threads: ${describeError(error)}`);
    });
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
