/**
 * The parent (httpd's master): creates the scoreboard, starts and reaps children, runs the
 * MPM's maintenance decision every MaintenanceInterval, replaces crashed and stuck slots,
 * and owns generations — a graceful restart starts a new generation that listens before any
 * old child closes a listener. It serves no traffic and knows no MPM by name: the policy's
 * `check`, `plan` and `topology` say everything.
 *
 * @module
 */

import {
  type ChildHandle,
  detectCapabilities,
  incomingCpuSteers,
  listenersPerSlot,
  onlineCpuCount,
  openIncomingCpuControl,
  selfCommand,
  spawnChild,
} from "../../platform/mod.ts";
import { ConfigErrors, type LoadedConfig, type ServerConfig } from "../../server/config/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import type { MpmPolicy, Topology } from "../mpm_policy.ts";
import { type Action, afterGracefulRestart, INITIAL_MAINTENANCE_STATE } from "../plan.ts";
import { MPMS } from "../registry.ts";
import {
  defaultScoreboardPath,
  type ProcessDetail,
  readScoreboard,
  ScoreboardFile,
} from "../scoreboard/mod.ts";
import { resolvePorts } from "./_listen_ports.ts";
import { migrationNotice, reclaimChildren } from "./_parent_exits.ts";
import { type ControlSignals, watchControlSignals } from "./_control_signals.ts";
import { startInProcessHost } from "./_in_process_host.ts";
import { type ChildMessage, isMessage, type ParentMessage } from "./messages.ts";
import { snapshotOf } from "./parent_snapshot.ts";
import { staleSlots } from "./stale_slots.ts";
import { planSteering, type SteeringInput, steeringWanted } from "./steering_plan.ts";
import {
  AVOID_STUCK_AFTER_MS,
  RETIRE_QUIET_LIMIT_MS,
  RETIRE_QUIET_MS,
  type RetireOptions,
} from "./slot.ts";
import { describeError } from "./_describe.ts";

/** The hidden argument that makes `main.ts` run as a child. */
export const CHILD_ARGUMENT = "--child";
/** How long a new generation may take to listen before the restart is given up. */
const READY_DEADLINE_MS = 30_000;

/** What the parent needs from `main.ts`. */
export interface ParentOptions {
  /** The validated configuration of the first generation. */
  readonly config: ServerConfig;
  /** The parent's error log (children open their own). */
  readonly logger: Logger;
  /** Reads and validates the configuration again (a restart); throws ConfigErrors. */
  readonly reload: () => Promise<LoadedConfig>;
  /** Called once the first generation listens (write the PidFile, log "Listening on"). */
  readonly onListening: (config: ServerConfig) => void;
}

interface Child {
  readonly pid: number;
  readonly index: number;
  readonly generation: number;
  readonly handle: ChildHandle;
  readonly ready: Promise<void>;
  state: "starting" | "serving" | "quiescing";
  /** Its one slot has stopped running (prefork): new connections should go elsewhere. */
  avoided: boolean;
  /** Told to stop with SIGTERM (SIGHUP's old generation): its end is not news. */
  terminated: boolean;
  loggedAvoid: boolean;
  listenersOpen: boolean;
  cpuBase: number | null;
  /** When each slot was last found stuck, so one stuck slot is acted on once per timeout. */
  readonly stuckSince: Map<number, number>;
  /** Resolvers of the steer messages not yet applied, in sending order. */
  readonly steerAcks: (() => void)[];
}

/**
 * Runs the server as parent and children until it is stopped.
 *
 * @returns the exit code: 0 after a stop, 1 if the first generation could not start.
 */
export async function runParent(options: ParentOptions): Promise<number> {
  const parent = new Parent(options);
  return await parent.run();
}

class Parent {
  #config: ServerConfig;
  #policy: MpmPolicy;
  #settings: object;
  #topology: Topology;
  #generation = 1;
  /** When the running generation started: a refused restart puts the old time back. */
  #restartTimeMs = Date.now();
  #maintenance = INITIAL_MAINTENANCE_STATE;
  /** The children by scoreboard index (an in-process host shares the parent's pid). */
  readonly #children = new Map<number, Child>();
  readonly #logger: Logger;
  readonly #options: ParentOptions;
  readonly #scoreboard: ScoreboardFile;
  readonly #cpus = onlineCpuCount();
  readonly #canSteer: boolean;
  #listenersPerAddress: number;
  /** A restart's new generation is starting: pin it, the old one is about to drain. */
  #restarting = false;
  #stopping = false;
  #restartQueue: Promise<void> = Promise.resolve();

  constructor(options: ParentOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#config = options.config;
    this.#policy = MPMS[this.#config.mpm];
    this.#settings = this.#policy.check(this.#config.mpmDirectives).settings;
    this.#topology = this.#policy.topology(this.#settings);
    this.#listenersPerAddress = this.#coveringListeners(this.#topology);
    this.#scoreboard = ScoreboardFile.create(defaultScoreboardPath(Deno.pid), {
      serverLimit: this.#topology.serverLimit,
      threadLimit: this.#topology.threadLimit,
      generation: this.#generation,
      parentPid: Deno.pid,
      nowMs: this.#restartTimeMs,
    });
    using control = openIncomingCpuControl();
    this.#canSteer = control !== null && incomingCpuSteers(Deno.build.os, Deno.osRelease());
  }

  async run(): Promise<number> {
    const logger = this.#logger;
    // Signals are watched from the start: a stop or restart sent while the first generation
    // starts must not fall to the default action (SIGHUP and SIGUSR2 would end the parent).
    let started!: () => void;
    this.#restartQueue = new Promise<void>((resolve) => started = resolve);
    const signals = this.#watchSignals();
    try {
      this.#config = resolvePorts(this.#config, null);
      const first = Array.from({ length: this.#topology.startProcesses }, () => this.#spawn());
      try {
        await this.#allReady(first.filter((child) => child !== null));
      } catch (error) {
        if (this.#stopping) return 0;
        logger.error(`Cannot start the first generation: ${describeError(error)}`);
        await this.#stop();
        return 1;
      }
      this.#warnAboutMigration();
      this.#options.onListening(this.#config);
      started();
      const timer = setInterval(() => void this.#cycle(), this.#config.maintenanceIntervalMs);
      await signals.stopped;
      clearInterval(timer);
      return 0;
    } finally {
      signals.dispose();
      this.#scoreboard.close();
      await Deno.remove(this.#scoreboard.path).catch(() => {});
    }
  }

  /** Says what a closing listener risks where the kernel does not move its queue. */
  #warnAboutMigration(): void {
    const notice = migrationNotice(detectCapabilities().tcpMigrateReq, this.#canSteer);
    if (notice !== null) this.#logger[notice.level](notice.message);
  }

  /** Installs the control signals; `stopped` resolves when the server has stopped. */
  #watchSignals(): ControlSignals {
    return watchControlSignals({
      stop: (signal) => {
        this.#logger.notice(`caught ${signal}, shutting down`);
        return this.#stop();
      },
      gracefulStop: () => {
        this.#logger.notice("caught SIGWINCH, shutting down gracefully");
        return this.#gracefulStop();
      },
      restart: (signal, graceful) => this.#queueRestart(signal, graceful),
    });
  }

  #queueRestart(signal: string, asked: boolean): void {
    if (this.#stopping) return;
    const graceful = asked || this.#topology.restartIsGraceful;
    const kind = graceful ? "Graceful restart" : "SIGHUP";
    this.#logger.notice(`${kind} requested (${signal}), doing restart`);
    this.#restartQueue = this.#restartQueue.then(() => this.#restart(graceful));
  }

  /** Reads the config again and, if it is valid, replaces the generation. */
  async #restart(graceful: boolean): Promise<void> {
    if (this.#stopping) return;
    let loaded: LoadedConfig;
    try {
      loaded = await this.#options.reload();
    } catch (error) {
      const detail = error instanceof ConfigErrors ? error.message : describeError(error);
      this.#logger.error(
        `Cannot restart: the configuration is not valid; generation ${this.#generation} keeps serving\n${detail}`,
      );
      return;
    }
    const next = loaded.config;
    if (next.mpm !== this.#config.mpm) {
      this.#logger.error(
        `Cannot restart into the ${next.mpm} MPM: a running server keeps its MPM (${this.#config.mpm}); stop it and start it again`,
      );
      return;
    }
    const running = this.#settings;
    const checked = this.#policy.check(next.mpmDirectives, { running });
    // The config's warnings hold the MPM's clamping ones already, prefixed with the file.
    const fresh = checked.warnings.filter((warning) =>
      !loaded.warnings.some((given) => given.endsWith(warning))
    );
    for (const warning of [...loaded.warnings, ...fresh]) this.#logger.warn(warning);

    let resolved: ServerConfig;
    try {
      resolved = resolvePorts(next, this.#config);
    } catch (error) {
      this.#logger.error(
        `Cannot restart: ${describeError(error)}; generation ${this.#generation} keeps serving`,
      );
      return;
    }
    const previous = {
      config: this.#config,
      settings: this.#settings,
      topology: this.#topology,
      restartTimeMs: this.#restartTimeMs,
    };
    const old = [...this.#children.values()];
    this.#config = resolved;
    this.#settings = checked.settings;
    this.#topology = this.#policy.topology(checked.settings);
    this.#listenersPerAddress = this.#coveringListeners(this.#topology);
    this.#generation++;
    this.#restartTimeMs = Date.now();
    this.#scoreboard.setGeneration(this.#generation, this.#restartTimeMs);
    this.#maintenance = afterGracefulRestart(this.#maintenance);

    this.#restarting = true;
    const started = Array.from({ length: this.#topology.startProcesses }, () => this.#spawn());
    try {
      if (started.includes(null)) {
        throw new Error(
          `no free scoreboard region: ServerLimit ${this.#topology.serverLimit} is taken by the generations still finishing`,
        );
      }
      await this.#allReady(started.filter((child) => child !== null));
    } catch (error) {
      this.#logger.error(
        `Cannot restart: the new generation did not start (${describeError(error)}); generation ${
          this.#generation - 1
        } keeps serving`,
      );
      for (const child of started) if (child !== null) child.handle.kill("SIGKILL");
      this.#generation--;
      ({
        config: this.#config,
        settings: this.#settings,
        topology: this.#topology,
        restartTimeMs: this.#restartTimeMs,
      } = previous);
      this.#scoreboard.setGeneration(this.#generation, this.#restartTimeMs);
      this.#listenersPerAddress = this.#coveringListeners(this.#topology);
      this.#restarting = false;
      this.#updateSteering();
      return;
    }
    this.#restarting = false;
    for (const child of old) {
      if (graceful) {
        this.#retire(child, this.#drainHow(Infinity));
      } else {
        child.state = "quiescing";
        child.terminated = true;
        child.handle.kill("SIGTERM");
      }
    }
    this.#updateSteering();
    this.#logger.notice(`generation ${this.#generation} serving (${this.#config.mpm} MPM)`);
  }

  /** Starts one child of the running generation; null when the scoreboard is full. */
  #spawn(): Child | null {
    const used = new Set([...this.#children.values()].map((child) => child.index));
    let index = 0;
    while (used.has(index)) index++;
    if (index >= this.#topology.serverLimit) return null;

    const { maxConnectionsPerChild } = this.#topology;
    const jitter = Math.floor(Math.random() * (this.#config.maxConnectionsPerChildJitter + 1));
    const cpuBase = this.#newChildCpuBase();
    const handle = this.#topology.threadsInParent
      ? startInProcessHost()
      : spawnChild(selfCommand([CHILD_ARGUMENT]));
    let ready!: { resolve: () => void; reject: (error: Error) => void };
    const child: Child = {
      pid: handle.pid,
      index,
      generation: this.#generation,
      handle,
      ready: new Promise((resolve, reject) => ready = { resolve, reject }),
      state: "starting",
      avoided: false,
      terminated: false,
      loggedAvoid: false,
      listenersOpen: true,
      cpuBase,
      stuckSince: new Map(),
      steerAcks: [],
    };
    child.ready.catch(() => {});
    this.#children.set(child.index, child);
    void this.#send(child, {
      type: "start",
      config: this.#config,
      topology: this.#topology,
      generation: this.#generation,
      index,
      scoreboardPath: this.#scoreboard.path,
      maxConnections: maxConnectionsPerChild === 0 ? 0 : maxConnectionsPerChild + jitter,
      listenersPerAddress: this.#listenersPerAddress,
      cpuBase,
    });
    void this.#readMessages(child, ready);
    void handle.status.then((status) => {
      ready.reject(new Error(`child pid ${child.pid} exited (${describeExit(status)})`));
      this.#reaped(child, status);
    });
    return child;
  }

  /**
   * Where a child started now pins from: after the pinned ones while steering is on (a restart
   * pins its new generation from its first child on), else nowhere.
   */
  #newChildCpuBase(): number | null {
    if (!this.#canSteer) return null;
    const input = this.#steeringInput();
    // A recycled child's successor starts while its predecessor still listens: it must be
    // pinned from the start, even when it will be the only serving child.
    if (!steeringWanted(input)) return null;
    const pinned = [...planSteering(input).values()].filter((base) => base !== null).length;
    return (pinned * this.#socketsPerChild()) % this.#cpus;
  }

  #steeringInput(): SteeringInput {
    return {
      children: [...this.#children.values()].map((child) => ({
        index: child.index,
        quiescing: child.state === "quiescing",
        listenersOpen: child.listenersOpen,
        avoided: child.avoided,
        sockets: this.#socketsPerChild(),
      })),
      restarting: this.#restarting,
      cpus: this.#cpus,
    };
  }

  /** Listeners per port a child opens (threads may vary; this is what it starts with). */
  #socketsPerChild(): number {
    return Math.max(1, this.#topology.threadsPerProcess) * this.#listenersPerAddress;
  }

  async #readMessages(
    child: Child,
    ready: { resolve: () => void; reject: (error: Error) => void },
  ): Promise<void> {
    try {
      for await (const message of child.handle.messages) {
        if (
          !isMessage<ChildMessage>(message, [
            "ready",
            "failed",
            "recycling",
            "listenersClosed",
            "steered",
          ])
        ) {
          continue;
        }
        switch (message.type) {
          case "ready":
            if (child.state === "starting") child.state = "serving";
            ready.resolve();
            break;
          case "failed":
            ready.reject(new Error(message.message));
            break;
          case "recycling":
            void this.#recycle(child);
            break;
          case "listenersClosed":
            child.listenersOpen = false;
            this.#updateSteering();
            break;
          case "steered":
            child.steerAcks.shift()?.();
            break;
        }
      }
    } catch (error) {
      this.#logger.error(`Cannot read the messages of child pid ${child.pid}`, error);
    }
  }

  #reaped(child: Child, status: Deno.CommandStatus): void {
    this.#children.delete(child.index);
    try {
      this.#scoreboard.clearProcess(child.index);
    } catch (error) {
      this.#logger.error(describeError(error));
    }
    // A retired child exits 0; one told to stop ends by SIGTERM: neither is news.
    const expected = (child.state === "quiescing" && status.success) || child.terminated ||
      this.#stopping;
    if (!expected) {
      // httpd's AH00052 "child pid N exit signal …"; maintenance starts a successor.
      this.#logger.error(`child pid ${child.pid} exit ${describeExit(status)}`);
      this.#countChild("childCrashes");
    }
    this.#updateSteering();
  }

  /** MaxConnectionsPerChild: start a successor first, then let the child retire. */
  async #recycle(child: Child): Promise<void> {
    if (child.state === "quiescing" || this.#stopping) return;
    child.state = "quiescing";
    this.#countChild("childrenRecycled");
    const pinned = this.#updateSteering();
    const successor = this.#children.size < this.#topology.serverLimit ? this.#spawn() : null;
    await successor?.ready.catch(() => {});
    await pinned;
    this.#retire(child, this.#drainHow(Infinity));
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
    child.cpuBase = null;
    void this.#send(child, { type: "retire", how });
    this.#updateSteering();
  }

  /** How a child drains: until its listeners are quiet, within a bound. */
  #drainHow(graceMs: number): RetireOptions {
    const quietLimitMs = RETIRE_QUIET_LIMIT_MS[this.#canSteer ? "steered" : "unsteered"];
    return { quietMs: RETIRE_QUIET_MS, quietLimitMs, graceMs };
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
    const snapshot = snapshotOf({
      children: [...this.#children.values()].map((child) => ({
        index: child.index,
        pid: child.pid,
        generation: child.generation,
        starting: child.state === "starting",
        quiescing: child.state === "quiescing",
      })),
      details,
      generation: this.#generation,
      startingSlots: Math.max(1, this.#topology.threadsPerProcess),
    });
    const plan = this.#policy.plan({
      snapshot,
      settings: this.#settings,
      state: this.#maintenance,
    });
    this.#maintenance = plan.state;
    for (const action of plan.actions) this.#apply(action);
    this.#avoidStuck(details);
    this.#watchStuck(details);
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
        if (child !== undefined) this.#retire(child, this.#drainHow(Infinity));
        return;
      }
      case "warn":
        this.#logger[action.level](action.message);
        return;
      case "spawnThreads":
      case "retireThreads": {
        const child = this.#servingChild(action.pid);
        if (child !== undefined) void this.#send(child, { type: action.kind, count: action.count });
        return;
      }
    }
  }

  /**
   * A child whose only slot has stopped running (prefork) gets no new connections until it
   * runs again or is killed at RequestTimeout: the others are pinned to cover every CPU.
   */
  #avoidStuck(details: readonly ProcessDetail[]): void {
    if (this.#topology.threadsPerProcess !== 0) return;
    const now = Date.now();
    let changed = false;
    for (const detail of details) {
      const child = this.#children.get(detail.index);
      if (child === undefined || child.state === "quiescing") continue;
      const stuck = staleSlots(detail.slots.slice(0, 1), now, AVOID_STUCK_AFTER_MS).length > 0;
      if (stuck === child.avoided) continue;
      child.avoided = stuck;
      if (!stuck) child.loggedAvoid = false;
      changed = true;
    }
    if (!changed) return;
    const applied = this.#updateSteering();
    for (const child of this.#children.values()) {
      if (!child.avoided || child.loggedAvoid) continue;
      child.loggedAvoid = true;
      const beat = details.find((detail) => detail.pid === child.pid)?.slots[0]?.heartbeatMs ?? now;
      // Said once the others' listeners are pinned: from then on it is true.
      void applied.then(() =>
        this.#logger.warn(
          `child pid ${child.pid} has not run for ${((now - beat) / 1000).toFixed(1)} s: ` +
            "new connections go to the other children",
        )
      );
    }
  }

  /** RequestTimeout: a slot whose heartbeat stopped is replaced (thread) or killed (process). */
  #watchStuck(details: readonly ProcessDetail[]): void {
    const now = Date.now();
    const limit = this.#config.requestTimeoutMs;
    for (const detail of details) {
      const child = this.#children.get(detail.index);
      if (child === undefined || child.pid !== detail.pid) continue;
      const stale = staleSlots(detail.slots, now, limit);
      for (const index of child.stuckSince.keys()) {
        if (!stale.some((slot) => slot.index === index)) child.stuckSince.delete(index);
      }
      for (const slot of stale) {
        // Acted on once per RequestTimeout: a replacement takes a moment to show.
        const acted = child.stuckSince.get(slot.index);
        if (acted !== undefined && now - acted <= limit) continue;
        child.stuckSince.set(slot.index, now);
        const seconds = (slot.staleMs / 1000).toFixed(1);
        if (this.#topology.threadsPerProcess === 0) {
          this.#logger.error(
            `child pid ${child.pid} has not run for ${seconds} s (RequestTimeout): killing it`,
          );
          child.handle.kill("SIGKILL");
        } else {
          this.#logger.error(
            `thread ${slot.index} of child pid ${child.pid} has not run for ${seconds} s (RequestTimeout): replacing the child`,
          );
          void this.#send(child, { type: "restartThread", slot: slot.index });
        }
      }
    }
  }

  /**
   * Applies {@link planSteering}: pins or unpins each child whose CPU changed, and resolves once
   * they have applied it (or after a second).
   */
  #updateSteering(): Promise<void> {
    if (!this.#canSteer) return Promise.resolve();
    const plan = planSteering(this.#steeringInput());
    const children = [...this.#children.values()];
    const applied: Promise<void>[] = [];
    for (const child of children) {
      const cpuBase = plan.get(child.index) ?? null;
      if (child.cpuBase === cpuBase) continue;
      child.cpuBase = cpuBase;
      applied.push(new Promise((resolve) => child.steerAcks.push(resolve)));
      void this.#send(child, { type: "steer", cpuBase });
    }
    return this.#settled(applied);
  }

  /** Resolves when every promise has, or after a second (a child that died acks nothing). */
  async #settled(promises: readonly Promise<void>[]): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(promises),
      new Promise<void>((resolve) => timer = setTimeout(resolve, 1_000)),
    ]);
    clearTimeout(timer);
  }

  #coveringListeners(topology: Topology): number {
    const slots = topology.startProcesses * Math.max(1, topology.threadsPerProcess);
    return listenersPerSlot(Math.max(1, slots), this.#cpus);
  }

  async #allReady(children: readonly Child[]): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`not listening after ${READY_DEADLINE_MS} ms`)),
        READY_DEADLINE_MS,
      );
    });
    try {
      await Promise.race([Promise.all(children.map((child) => child.ready)), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #send(child: Child, message: ParentMessage): Promise<void> {
    try {
      await child.handle.send(message);
    } catch {
      // The child is gone; its exit is handled where it is reaped.
    }
  }

  /** Graceful stop: every child finishes its requests (GracefulShutdownTimeout), then exits. */
  async #gracefulStop(): Promise<void> {
    this.#stopping = true;
    const graceMs = this.#config.gracefulShutdownTimeoutMs || Infinity;
    for (const child of this.#children.values()) {
      this.#retire(child, { quietMs: 0, quietLimitMs: 0, graceMs });
    }
    const exited = Promise.all([...this.#children.values()].map((child) => child.handle.status));
    if (Number.isFinite(graceMs)) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<"late">((resolve) =>
        timer = setTimeout(() => resolve("late"), graceMs + 1_000)
      );
      const outcome = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (outcome === "late") await this.#stop();
    } else {
      await exited;
    }
  }

  /** Stop: SIGTERM to every child, again at 3, 5 and 7 s, SIGKILL at 9 s (httpd's schedule). */
  async #stop(): Promise<void> {
    this.#stopping = true;
    await reclaimChildren([...this.#children.values()], this.#logger);
  }
}

function describeExit(status: Deno.CommandStatus): string {
  return status.signal !== null ? `signal ${status.signal}` : `code ${status.code}`;
}
