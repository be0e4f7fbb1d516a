/**
 * The parent (httpd's master): binds the listening sockets, creates the scoreboard, starts and
 * reaps children, runs the MPM's maintenance decision every MaintenanceInterval, replaces
 * crashed and stuck slots, and owns generations — a graceful restart starts a new generation
 * on the same sockets, and the old one stops accepting and drains; the new one may run another
 * MPM (the scoreboard then takes a shape both fit until the old one is gone). It serves no
 * traffic and knows no MPM by name: each generation's policy (`check`, `plan`, `topology`)
 * says everything.
 *
 * @module
 */

import { delay, describeError, TIMED_OUT, withDeadline } from "../../base/mod.ts";
import { detectCapabilities, isRoot, stdoutPathForChildren } from "../../platform/mod.ts";
import type { ServerConfig } from "../../server/config/mod.ts";
import { removePairsLeftBy } from "../../server/native/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import {
  defaultScoreboardPath,
  type ProcessDetail,
  readScoreboard,
  ScoreboardFile,
} from "../../scoreboard/mod.ts";
import type { RetireOptions } from "../../slot/mod.ts";
import type { MpmPolicy, Topology } from "../mpm_policy.ts";
import { type Action, afterGracefulRestart, INITIAL_MAINTENANCE_STATE } from "../plan.ts";
import { MPMS } from "../registry.ts";
import { type Child, describeExit, sendTo, startChild } from "./_child.ts";
import {
  type Generation,
  makeGeneration,
  nextGeneration,
  type ReloadedConfig,
} from "./_generation.ts";
import { type ControlSignals, watchControlSignals } from "./_control_signals.ts";
import { chooseAcceptMode, fallbackNotice, ListenSockets } from "./_listen_sockets.ts";
import { replaceOverMemory } from "./_memory_bound.ts";
import { reclaimChildren } from "./_parent_exits.ts";
import { RestartQueue } from "./_restart_queue.ts";
import { snapshotOf } from "./parent_snapshot.ts";
import { planStuckSlots } from "./stuck_slots.ts";

/** How long a new generation may take to accept before the restart is given up. */
const READY_DEADLINE_MS = 30_000;
/** A retired child drains as long as its requests take. */
const DRAIN: RetireOptions = { graceMs: Infinity };
/** How often a restart that waits for scoreboard regions looks again. */
const REGION_POLL_MS = 50;

/** What the parent needs from `main.ts`. */
export interface ParentOptions {
  /** The validated configuration of the first generation. */
  readonly config: ServerConfig;
  /** The parent's error log (children open their own). */
  readonly logger: Logger;
  /** Reads and validates the configuration again (a restart); throws ConfigErrors. */
  readonly reload: () => Promise<ReloadedConfig>;
  /** Called once the first generation accepts (write the PidFile, log "Listening on"). */
  readonly onListening: (config: ServerConfig) => void;
}

/**
 * Runs the server as parent and children until it is stopped.
 *
 * @returns the exit code: 0 after a stop, 1 if the first generation could not start.
 * @throws {ConfigErrors} when a `Listen` address cannot be bound.
 */
export async function runParent(options: ParentOptions): Promise<number> {
  const mode = await chooseAcceptMode();
  const notice = fallbackNotice(mode, detectCapabilities().tcpMigrateReq);
  if (notice !== null) options.logger.notice(notice);
  const sockets = new ListenSockets(mode);
  let parent: Parent;
  try {
    parent = new Parent(options, sockets);
  } catch (error) {
    sockets.close();
    throw error;
  }
  return await parent.run();
}

class Parent {
  #generation: Generation;
  #maintenance = INITIAL_MAINTENANCE_STATE;
  /** The children by scoreboard index (an in-process host shares the parent's pid). */
  readonly #children = new Map<number, Child>();
  readonly #logger: Logger;
  readonly #options: ParentOptions;
  /** Replaced when a restart into another MPM reshapes the file (same path). */
  #scoreboard: ScoreboardFile;
  readonly #sockets: ListenSockets;
  /** Where child processes open this process's stdout (their own is the message pipe). */
  readonly #stdoutPath: string | null;
  /** A restart's new generation is starting: maintenance waits. */
  #restarting = false;
  #stopping = false;
  /** Resolved once the first generation serves: restarts wait for it. */
  readonly #started = Promise.withResolvers<void>();
  readonly #restarts = new RestartQueue(
    this.#started.promise,
    (graceful) => this.#restart(graceful),
  );

  /** @throws {ConfigErrors} when a `Listen` address of the first generation cannot be bound. */
  constructor(options: ParentOptions, sockets: ListenSockets) {
    this.#options = options;
    this.#logger = options.logger;
    this.#sockets = sockets;
    const policy = MPMS[options.config.mpm];
    const settings = policy.check(options.config.mpmDirectives).settings;
    const topology = policy.topology(settings);
    this.#stdoutPath = stdoutPathForChildren();
    this.#generation = makeGeneration(1, options.config, { settings, topology }, {
      sockets,
      stdoutPath: this.#stdoutPath,
    });
    this.#scoreboard = ScoreboardFile.create(defaultScoreboardPath(Deno.pid), {
      serverLimit: topology.serverLimit,
      threadLimit: topology.threadLimit,
      generation: 1,
      parentPid: Deno.pid,
      nowMs: this.#generation.startedMs,
      mpm: options.config.mpm,
    });
  }

  /** The running generation's MPM. */
  get #policy(): MpmPolicy {
    return MPMS[this.#generation.config.mpm];
  }

  async run(): Promise<number> {
    const logger = this.#logger;
    // Signals are watched from the start: a stop or restart sent while the first generation
    // starts must not fall to the default action (SIGHUP and SIGUSR2 would end the parent).
    const signals = this.#watchSignals();
    try {
      const first = Array.from(
        { length: this.#generation.topology.startProcesses },
        () => this.#spawn(),
      );
      try {
        await this.#ready(first.filter((child) => child !== null), "first");
      } catch (error) {
        if (this.#stopping) return 0;
        logger.error(`Cannot start the first generation: ${describeError(error)}`);
        await this.#stop();
        return 1;
      }
      this.#sockets.commit();
      this.#options.onListening(this.#generation.config);
      this.#started.resolve();
      const timer = setInterval(
        () => void this.#cycle(),
        this.#generation.config.maintenanceIntervalMs,
      );
      await signals.stopped;
      clearInterval(timer);
      return 0;
    } finally {
      signals.dispose();
      this.#sockets.close();
      this.#scoreboard.close();
      await Deno.remove(this.#scoreboard.path).catch(() => {});
    }
  }

  /** Installs the control signals; `stopped` resolves when the server has stopped. */
  #watchSignals(): ControlSignals {
    return watchControlSignals({
      stop: (signal) => {
        this.#logger.notice(`caught ${signal}, shutting down`);
        return this.#stop();
      },
      gracefulStop: (signal) => {
        this.#logger.notice(`caught ${signal}, shutting down gracefully`);
        return this.#gracefulStop();
      },
      restart: (signal, graceful) => this.#queueRestart(signal, graceful),
      gracefulSigterm: () => this.#generation.config.gracefulSigterm,
    });
  }

  #queueRestart(signal: string, asked: boolean): void {
    if (this.#stopping) return;
    const graceful = asked || this.#generation.topology.restartIsGraceful;
    const kind = graceful ? "Graceful restart" : "SIGHUP";
    this.#logger.notice(`${kind} requested (${signal}), doing restart`);
    this.#restarts.request(graceful);
  }

  /**
   * Resolves once `count` scoreboard regions are free, or the server stops. Children of
   * generations still finishing hold theirs (httpd's do too), so a restart soon after another
   * waits for them rather than failing; the running generation serves meanwhile.
   */
  async #freeRegions(count: number): Promise<void> {
    const free = () => this.#scoreboard.serverLimit - this.#children.size;
    const missing = count - free();
    if (missing <= 0) return;
    this.#logger.notice(
      `restart waits for ${missing} scoreboard region(s) held by generations still finishing`,
    );
    while (!this.#stopping && free() < count) await delay(REGION_POLL_MS);
  }

  /** Reads the config again and, if it is valid and can listen, replaces the generation. */
  async #restart(graceful: boolean): Promise<void> {
    if (this.#stopping) return;
    const running = this.#generation;
    const next = await nextGeneration(running, {
      reload: this.#options.reload,
      sockets: this.#sockets,
      stdoutPath: this.#stdoutPath,
      logger: this.#logger,
    });
    if (next === null) return;
    const switching = next.config.mpm !== running.config.mpm;
    if (switching) {
      try {
        this.#reshapeScoreboard(next.topology, "grow");
      } catch (error) {
        this.#logger.error(
          `Cannot restart into the ${next.config.mpm} MPM: ${
            describeError(error)
          }; generation ${running.number} keeps serving`,
        );
        this.#sockets.rollBack();
        return;
      }
      this.#logger.notice(
        `switching MPM: generation ${next.number} starts under ${next.config.mpm} on the same sockets; generation ${running.number} drains under ${running.config.mpm}`,
      );
    }
    await this.#freeRegions(next.topology.startProcesses);
    if (this.#stopping) {
      this.#sockets.rollBack();
      return;
    }

    const old = [...this.#children.values()];
    this.#generation = next;
    this.#scoreboard.setGeneration(next.number, next.startedMs, next.config.mpm);
    this.#maintenance = afterGracefulRestart(this.#maintenance);
    this.#restarting = true;
    const started = Array.from({ length: next.topology.startProcesses }, () => this.#spawn());
    try {
      if (started.includes(null)) {
        throw new Error(
          `no free scoreboard region: ServerLimit ${next.topology.serverLimit} is taken by the generations still finishing`,
        );
      }
      await this.#ready(started.filter((child) => child !== null), "all");
    } catch (error) {
      this.#logger.error(
        `Cannot restart: the new generation did not start (${
          describeError(error)
        }); generation ${running.number} keeps serving`,
      );
      for (const child of started) child?.handle.kill("SIGKILL");
      this.#generation = running;
      this.#scoreboard.setGeneration(running.number, running.startedMs, running.config.mpm);
      this.#sockets.rollBack();
      this.#restarting = false;
      return;
    }
    this.#sockets.commit();
    this.#restarting = false;
    for (const child of old) {
      if (graceful) {
        this.#retire(child, DRAIN);
      } else {
        child.state = "quiescing";
        child.terminated = true;
        child.handle.kill("SIGTERM");
      }
    }
    this.#logger.notice(`generation ${next.number} serving (${next.config.mpm} MPM)`);
  }

  /** Starts one child of the running generation; null when the scoreboard is full. */
  #spawn(): Child | null {
    const generation = this.#generation;
    const { topology, config, childConfig, listen } = generation;
    const children = [...this.#children.values()];
    // ServerLimit bounds the generation's processes; the file may hold more regions while an
    // older generation of another MPM drains.
    const own = children.filter((child) => child.generation === generation.number).length;
    if (own >= topology.serverLimit) return null;
    const used = new Set(children.map((child) => child.index));
    let index = 0;
    while (used.has(index)) index++;
    if (index >= this.#scoreboard.serverLimit) return null;

    const { maxConnectionsPerChild } = topology;
    const jitter = Math.floor(Math.random() * (config.maxConnectionsPerChildJitter + 1));
    const child: Child = startChild({
      generation: generation.number,
      topology,
      slot: {
        config: childConfig,
        listen,
        discipline: topology.discipline,
        processSlots: Math.max(1, topology.threadsPerProcess),
        maxConnections: maxConnectionsPerChild === 0 ? 0 : maxConnectionsPerChild + jitter,
        scoreboardPath: this.#scoreboard.path,
        processIndex: index,
      },
      onUnreadable: (error) =>
        this.#logger.error(`Cannot read the messages of child pid ${child.pid}`, error),
      onRecycling: () => void this.#recycle(child),
      onExit: (status) => this.#reaped(child, status),
    });
    this.#children.set(index, child);
    return child;
  }

  #reaped(child: Child, status: Deno.CommandStatus): void {
    this.#children.delete(child.index);
    try {
      this.#scoreboard.clearProcess(child.index);
      if (!this.#restarting) this.#reshapeScoreboard(this.#generation.topology, "fit");
    } catch (error) {
      this.#logger.error(describeError(error));
    }
    // A killed child's HTTP/2 relay leaves its socket directory behind.
    try {
      removePairsLeftBy(child.pid);
    } catch (error) {
      this.#logger.warn(
        `Cannot remove what child pid ${child.pid} left in the temporary directory: ${
          describeError(error)
        }`,
      );
    }
    // A retired child exits 0; one told to stop ends by SIGTERM: neither is news.
    const expected = (child.state === "quiescing" && status.success) || child.terminated ||
      this.#stopping;
    if (!expected) {
      // httpd's AH00052 "child pid N exit signal …"; maintenance starts a successor.
      this.#logger.error(`child pid ${child.pid} exit ${describeExit(status)}`);
      this.#countChild("childCrashes");
    }
  }

  /**
   * Gives the scoreboard the shape its processes need. `grow` (before a generation of another
   * MPM starts): room for both the processes there are and `topology`'s. `fit` (after a child
   * is gone): `topology`'s own shape, once every process left has a region in it — the
   * generations of another MPM have drained. Nothing to do: the file is left alone.
   *
   * @throws {ScoreboardError} when the file cannot be rewritten.
   */
  #reshapeScoreboard(topology: Topology, how: "grow" | "fit"): void {
    const file = this.#scoreboard;
    const wanted = how === "grow"
      ? {
        serverLimit: Math.max(file.serverLimit, topology.serverLimit),
        threadLimit: Math.max(file.threadLimit, topology.threadLimit),
      }
      : { serverLimit: topology.serverLimit, threadLimit: topology.threadLimit };
    if (wanted.serverLimit === file.serverLimit && wanted.threadLimit === file.threadLimit) return;
    if (how === "fit") {
      const running = this.#generation.number;
      const children = [...this.#children.values()];
      if (children.some((c) => c.generation !== running || c.index >= wanted.serverLimit)) return;
    }
    // Processes that gave up root open the new file as their User (httpd's children can write
    // its scoreboard too); those to follow it are the running generation's.
    const { runAs } = this.#generation.config;
    const owner = runAs !== null && isRoot() ? { uid: runAs.uid, gid: runAs.gid } : undefined;
    this.#scoreboard = ScoreboardFile.reshape(file.path, wanted, owner);
    file.close();
  }

  /** MaxConnectionsPerChild: start a successor first, then let the child retire. */
  async #recycle(child: Child): Promise<void> {
    if (child.state === "quiescing" || this.#stopping) return;
    child.state = "quiescing";
    this.#countChild("childrenRecycled");
    const { serverLimit } = this.#generation.topology;
    const successor = this.#children.size < serverLimit ? this.#spawn() : null;
    await successor?.ready.catch(() => {});
    this.#retire(child, DRAIN);
  }

  #countChild(event: "childCrashes" | "childrenRecycled"): void {
    try {
      this.#scoreboard.countChild(event);
    } catch (error) {
      this.#logger.error(describeError(error));
    }
  }

  #retire(child: Child, how: RetireOptions): void {
    child.state = "quiescing";
    const graceMs = Number.isFinite(how.graceMs) ? how.graceMs : null;
    void sendTo(child, { type: "retire", how: { graceMs } });
  }

  /** One maintenance cycle: the MPM's plan from the scoreboard, then the stuck-slot watch. */
  async #cycle(): Promise<void> {
    if (this.#stopping || this.#restarting) return;
    let details: readonly ProcessDetail[];
    try {
      details = (await readScoreboard(this.#scoreboard.path)).processes;
    } catch (error) {
      this.#logger.error(describeError(error));
      return;
    }
    const { number, topology, settings, config } = this.#generation;
    const snapshot = snapshotOf({
      children: [...this.#children.values()].map((child) => ({
        index: child.index,
        pid: child.pid,
        generation: child.generation,
        starting: child.state === "starting",
        quiescing: child.state === "quiescing",
      })),
      details,
      generation: number,
      startingSlots: Math.max(1, topology.threadsPerProcess),
    });
    const plan = this.#policy.plan({ snapshot, settings, state: this.#maintenance });
    this.#maintenance = plan.state;
    for (const action of plan.actions) this.#apply(action);
    this.#watchStuck(details);
    // netware's threads live in the parent, which cannot replace itself.
    if (config.maxMemoryPerChildBytes > 0 && !topology.threadsInParent) {
      await replaceOverMemory(this.#children.values(), config.maxMemoryPerChildBytes, {
        logger: this.#logger,
        recycle: (child) => void this.#recycle(child),
      });
    }
  }

  /** The child `pid` names that serves the running generation (an old one may share it). */
  #servingChild(pid: number): Child | undefined {
    return [...this.#children.values()].find((child) =>
      child.pid === pid && child.state !== "quiescing"
    );
  }

  #apply(action: Action): void {
    switch (action.kind) {
      case "spawn":
        for (let i = 0; i < action.count; i++) this.#spawn();
        return;
      case "retire": {
        const child = this.#servingChild(action.pid);
        if (child !== undefined) this.#retire(child, DRAIN);
        return;
      }
      case "warn":
        this.#logger[action.level](action.message);
        return;
      case "spawnThreads":
      case "retireThreads": {
        const child = this.#servingChild(action.pid);
        if (child !== undefined) void sendTo(child, { type: action.kind, count: action.count });
        return;
      }
    }
  }

  /** RequestTimeout: a slot whose heartbeat stopped is replaced (thread) or killed (process). */
  #watchStuck(details: readonly ProcessDetail[]): void {
    const { actions, stuckSince } = planStuckSlots({
      details,
      children: this.#children,
      nowMs: Date.now(),
      limitMs: this.#generation.config.requestTimeoutMs,
    });
    for (const [index, since] of stuckSince) {
      const child = this.#children.get(index);
      if (child !== undefined) child.stuckSince = since;
    }
    for (const { kind, index, slot } of actions) {
      const child = this.#children.get(index)!;
      const seconds = (slot.staleMs / 1000).toFixed(1);
      if (kind === "kill") {
        this.#logger.error(
          `child pid ${child.pid} has not run for ${seconds} s (RequestTimeout): killing it`,
        );
        child.handle.kill("SIGKILL");
      } else {
        this.#logger.error(
          `thread ${slot.index} of child pid ${child.pid} has not run for ${seconds} s (RequestTimeout): replacing the child`,
        );
        void sendTo(child, { type: "restartThread", slot: slot.index });
      }
    }
  }

  /**
   * Waits until every child of `children` accepts (`"all"`, a restart's new generation, before
   * the old one goes) or until one does (`"first"`: the server is up, the rest follow).
   */
  async #ready(children: readonly Child[], which: "all" | "first"): Promise<void> {
    const each = children.map((child) => child.ready);
    const ready: Promise<unknown> = which === "all"
      ? Promise.all(each)
      : Promise.any(each).catch((error) => {
        throw error instanceof AggregateError ? error.errors[0] : error;
      });
    if (await withDeadline(ready, READY_DEADLINE_MS) === TIMED_OUT) {
      throw new Error(`not accepting after ${READY_DEADLINE_MS} ms`);
    }
  }

  /** Graceful stop: every child finishes its requests (GracefulShutdownTimeout), then exits. */
  async #gracefulStop(): Promise<void> {
    this.#stopping = true;
    const graceMs = this.#generation.config.gracefulShutdownTimeoutMs || Infinity;
    for (const child of this.#children.values()) this.#retire(child, { graceMs });
    const exited = Promise.all([...this.#children.values()].map((child) => child.handle.status));
    // A second more than the children's own grace: they abort what is left themselves.
    if (await withDeadline(exited, graceMs + 1_000) === TIMED_OUT) await this.#stop();
  }

  /** Stop: SIGTERM to every child, again at 3, 5 and 7 s, SIGKILL at 9 s (httpd's schedule). */
  async #stop(): Promise<void> {
    this.#stopping = true;
    await reclaimChildren([...this.#children.values()], this.#logger);
  }
}
