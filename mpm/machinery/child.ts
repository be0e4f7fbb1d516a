/**
 * A child process of the machinery (`mpmd --child`, started by the parent): its scoreboard
 * region and flusher, its slots — the main thread itself when the topology has no threads
 * (prefork), else one Worker per thread — and its side of the pipe to the parent. It exits
 * when retired, when told to stop (SIGTERM), or when the pipe ends (the parent died).
 *
 * @module
 */

import { connectToParent, openIncomingCpuControl } from "../../platform/mod.ts";
import { onlineCpuCount } from "../../platform/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import { ProcessScoreboard, ScoreboardFile, startFlushing } from "../scoreboard/mod.ts";
import { keepStdoutForMessages, openIsolateLog } from "./_error_log.ts";
import {
  type ChildMessage,
  type ChildStart,
  type FromThread,
  isMessage,
  type ParentMessage,
  type ToThread,
} from "./messages.ts";
import { type ListenerFd, type RetireOptions, startSlot } from "./slot.ts";

/**
 * A thread whose heartbeat is this old is avoided by new connections (its replacement waits
 * for RequestTimeout): four missed beats, far beyond any pause of a healthy event loop.
 */
const AVOID_STUCK_AFTER_MS = 1_000;

/** The shortest life after which a dead thread is replaced at once. */
const RESPAWN_DELAY_MS = 1_000;

/** A slot as the child drives it: in its main thread or in a Worker. */
interface SlotRunner {
  /** Resolves when listening; rejects with the reason it could not start. */
  readonly ready: Promise<void>;
  /** Its listening sockets, known once it is ready. */
  readonly fds: readonly ListenerFd[];
  readonly listenersClosed: Promise<void>;
  retire(how: RetireOptions): Promise<void>;
  stop(): Promise<void>;
}

/** The signals a child leaves to its parent: a terminal's ^C or hang-up reaches the group. */
const PARENT_SIGNALS: readonly Deno.Signal[] = ["SIGINT", "SIGHUP", "SIGUSR2", "SIGWINCH"];

/**
 * Runs this process as a child until it is done.
 *
 * @returns the exit code: 0 after a retirement or stop, 1 if it could not start.
 */
export async function runChild(): Promise<number> {
  keepStdoutForMessages();
  for (const signal of PARENT_SIGNALS) Deno.addSignalListener(signal, () => {});
  const channel = connectToParent();
  const messages = channel.messages[Symbol.asyncIterator]();
  const first = await messages.next();
  if (first.done === true || !isMessage<ChildStart>(first.value, ["start"])) return 1;
  const start = first.value;
  const send = (message: ChildMessage) => channel.send(message).catch(() => {});

  const { config, topology } = start;
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
  const threads = topology.threadsPerProcess;
  const slots: SlotRunner[] = [];
  const steering = new ListenerSteering(slots, scoreboard, logger);
  let done!: () => void;
  const finished = new Promise<void>((resolve) => done = resolve);
  const finish = async (ending: (slot: SlotRunner) => Promise<void>) => {
    await Promise.all(slots.map(ending));
    done();
  };

  try {
    if (threads === 0) slots.push(await mainThreadSlot(start, scoreboard, logger, recycle));
    for (let slot = 0; slot < threads; slot++) {
      slots.push(
        new ThreadSlot(start, scoreboard, slot, logger, recycle, () => steering.update()),
      );
    }
    await Promise.all(slots.map((slot) => slot.ready));
  } catch (error) {
    await send({ type: "failed", message: describe(error) });
    await Promise.allSettled(slots.map((slot) => slot.stop()));
    flusher.stop();
    await log.close();
    return 1;
  }

  steering.follow(start.cpuBase);
  if (threads > 0) steering.watchThreads();
  void Promise.all(slots.map((slot) => slot.listenersClosed)).then(() =>
    send({ type: "listenersClosed" })
  );
  Deno.addSignalListener("SIGTERM", () => void finish((slot) => slot.stop()));
  // The parent's next cycle must see the slots idle, not the open slots of the first flush.
  flusher.flush();
  await send({ type: "ready" });

  // Parent messages until retirement or until the pipe ends (the parent is gone: stop).
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
      if (!isMessage<ParentMessage>(message, ["retire", "steer", "restartThread"])) continue;
      if (message.type === "steer") {
        if (!retiring) steering.follow(message.cpuBase);
        void send({ type: "steered" });
      } else if (message.type === "restartThread") {
        const slot = slots[message.slot];
        if (slot instanceof ThreadSlot && !retiring) {
          // Deno cannot end a Worker caught in a loop (terminate() waits for it to yield),
          // so the thread is given up and the whole process replaced: a successor first,
          // then this child retires and its exit takes the thread with it.
          slot.abandon();
          recycle();
        }
      } else if (message.type === "retire" && !retiring) {
        retiring = true;
        // A retiring child's listeners must not compete for new connections any longer.
        steering.close();
        scoreboard.setFlags({ quiescing: true });
        void finish((slot) => slot.retire(message.how));
      }
    }
  })();

  await finished;
  flusher.stop();
  await log.close();
  return 0;
}

async function mainThreadSlot(
  start: ChildStart,
  scoreboard: ProcessScoreboard,
  logger: Logger,
  recycle: () => void,
): Promise<SlotRunner> {
  const slot = await startSlot({
    config: start.config,
    logger,
    scoreboard,
    index: 0,
    processSlots: 1,
    listenersPerAddress: start.listenersPerAddress,
    asyncRequestWorkerFactor: start.topology.asyncRequestWorkerFactor,
    maxConnections: start.maxConnections,
    onRecycle: recycle,
  });
  return {
    ready: Promise.resolve(),
    fds: slot.fds,
    listenersClosed: slot.listenersClosed,
    retire: (how) => slot.retire(how),
    stop: () => slot.stop(),
  };
}

/** A slot in a Worker, started again if its thread dies or stops running. */
class ThreadSlot implements SlotRunner {
  readonly ready: Promise<void>;
  fds: readonly ListenerFd[] = [];
  readonly listenersClosed: Promise<void>;
  readonly #start: ChildStart;
  readonly #scoreboard: ProcessScoreboard;
  readonly #slot: number;
  readonly #logger: Logger;
  readonly #recycle: () => void;
  readonly #onChange: () => void;
  #worker!: Worker;
  #ending = false;
  #onReady!: { resolve: () => void; reject: (error: Error) => void } | null;
  #onListenersClosed!: () => void;
  #onDone: (() => void) | null = null;
  /** The thread has ended (done, failed or died while ending): nothing is left to wait for. */
  #over = false;
  #startedAt = 0;

  constructor(
    start: ChildStart,
    scoreboard: ProcessScoreboard,
    slot: number,
    logger: Logger,
    recycle: () => void,
    onChange: () => void,
  ) {
    this.#start = start;
    this.#scoreboard = scoreboard;
    this.#slot = slot;
    this.#logger = logger;
    this.#recycle = recycle;
    this.#onChange = onChange;
    this.ready = new Promise((resolve, reject) => this.#onReady = { resolve, reject });
    this.listenersClosed = new Promise((resolve) => this.#onListenersClosed = resolve);
    this.#spawn();
  }

  /**
   * Terminates the thread and starts another in its slot; a thread that dies within a second
   * of its start is replaced a second later, so a slot that cannot live does not spin.
   */
  restart(reason: string): void {
    this.#logger.error(`thread ${this.#slot} ${reason}: terminating it and starting another`);
    this.#worker.terminate();
    const lived = Date.now() - this.#startedAt;
    if (lived >= RESPAWN_DELAY_MS) this.#spawn();
    else setTimeout(() => this.#ending || this.#spawn(), RESPAWN_DELAY_MS - lived);
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

  stop(): Promise<void> {
    return this.#end({ type: "stop" });
  }

  #end(message: ToThread): Promise<void> {
    this.#ending = true;
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
    this.fds = [];
    const worker = new Worker(new URL("./thread.ts", import.meta.url), { type: "module" });
    this.#worker = worker;
    this.#scoreboard.slot(this.#slot).setState("S");
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const message = event.data;
      if (
        !isMessage<FromThread>(message, ["ready", "failed", "recycle", "listenersClosed", "done"])
      ) {
        return;
      }
      switch (message.type) {
        case "ready":
          this.fds = message.fds;
          this.#onReady?.resolve();
          this.#onReady = null;
          this.#onChange();
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
        case "listenersClosed":
          this.#onListenersClosed();
          return;
        case "done":
          this.#ended();
          return;
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker !== this.#worker) return;
      if (this.#ending) {
        this.#ended();
        return;
      }
      this.restart(`died (${event.message})`);
    };
    const start = this.#start;
    worker.postMessage(
      {
        type: "start",
        config: start.config,
        topology: start.topology,
        scoreboard: this.#scoreboard.buffer,
        slot: this.#slot,
        maxConnections: start.maxConnections,
        listenersPerAddress: start.listenersPerAddress,
      } satisfies ToThread,
    );
  }
}

/**
 * Pins this process's listeners to CPUs (`SO_INCOMING_CPU`) or unpins them. The kernel then
 * sends new connections only to pinned listeners, which lets a listener that must not get any
 * (another process's draining, or one of this process's threads stuck in a handler) be
 * avoided. Two reasons to pin: the parent asks (it gives the first CPU), or a thread here has
 * stopped running, and the others can cover every CPU. A no-op where the OS cannot steer.
 */
class ListenerSteering {
  readonly #slots: readonly SlotRunner[];
  readonly #scoreboard: ProcessScoreboard;
  readonly #logger: Logger;
  readonly #control = openIncomingCpuControl();
  readonly #cpus = onlineCpuCount();
  readonly #stuck = new Set<number>();
  #parentBase: number | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  constructor(slots: readonly SlotRunner[], scoreboard: ProcessScoreboard, logger: Logger) {
    this.#slots = slots;
    this.#scoreboard = scoreboard;
    this.#logger = logger;
  }

  /** Pins from the parent's first CPU on, or stops pinning for the parent (`null`). */
  follow(base: number | null): void {
    this.#parentBase = base;
    this.update();
  }

  /** Watches the threads' heartbeats: a stopped one is avoided until it runs or is replaced. */
  watchThreads(): void {
    this.#timer = setInterval(() => {
      const now = Date.now();
      let changed = false;
      const noticed: string[] = [];
      this.#slots.forEach((_, slot) => {
        const beat = this.#scoreboard.heartbeatOf(slot);
        const stuck = beat > 0 && now - beat > AVOID_STUCK_AFTER_MS;
        if (stuck === this.#stuck.has(slot)) return;
        changed = true;
        if (stuck) {
          this.#stuck.add(slot);
          noticed.push(`thread ${slot} has not run for ${((now - beat) / 1000).toFixed(1)} s`);
        } else {
          this.#stuck.delete(slot);
        }
      });
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
    const avoided = this.#slots.flatMap((slot, index) => this.#stuck.has(index) ? slot.fds : []);
    const usable = this.#slots.flatMap((slot, index) => this.#stuck.has(index) ? [] : slot.fds);
    try {
      for (const port of new Set(usable.map((entry) => entry.port))) {
        const fds = usable.filter((entry) => entry.port === port);
        const base = this.#parentBase ??
          (avoided.length > 0 && fds.length >= this.#cpus ? 0 : null);
        fds.forEach((entry, k) =>
          control.set(entry.fd, base === null ? -1 : (base + k) % this.#cpus)
        );
      }
      for (const entry of avoided) control.set(entry.fd, -1);
    } catch (error) {
      this.#logger.warn(`Cannot steer new connections between listeners: ${describe(error)}`);
    }
  }

  /** Unpins everything for good: the process retires and must not attract connections. */
  close(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#parentBase = null;
    this.#stuck.clear();
    this.update();
    this.#closed = true;
    this.#control?.close();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
