/**
 * One child of the parent: a child process (or, for netware, a slot host inside the parent),
 * started with its generation's start data, and its side of the conversation — readiness,
 * a failure to start, a request to be recycled, and its exit.
 *
 * @module
 */

import { type ChildHandle, selfCommand, spawnChild } from "../../platform/mod.ts";
import { ConfigError, ConfigErrors, type ServerConfig } from "../../server/config/mod.ts";
import type { SlotStart } from "../../slot/mod.ts";
import type { Topology } from "../mpm_policy.ts";
import { startInProcessHost } from "./_in_process_host.ts";
import { type ChildMessage, isMessage, type ParentMessage } from "./messages.ts";

/** The hidden argument that makes `main.ts` run as a child. */
export const CHILD_ARGUMENT = "--child";

/** A child as the parent tracks it. */
export interface Child {
  readonly pid: number;
  /** Its region in the scoreboard. */
  readonly index: number;
  readonly generation: number;
  readonly handle: ChildHandle;
  /** Resolves when every slot accepts; rejects with why it could not start. */
  readonly ready: Promise<void>;
  state: "starting" | "serving" | "quiescing";
  /** Told to stop with SIGTERM (SIGHUP's old generation): its end is not news. */
  terminated: boolean;
  /** When each slot was last found stuck, so one stuck slot is acted on once per timeout. */
  stuckSince: ReadonlyMap<number, number>;
  /** Whether its slots are Worker threads (its MPM's topology says), or it is its one slot. */
  readonly threaded: boolean;
}

/** What a child is started with, and what the parent hears from it. */
export interface ChildSpec {
  readonly generation: number;
  readonly topology: Topology;
  /** What each of its slots starts with; its region is `slot.processIndex`. */
  readonly slot: SlotStart;
  /** Its logger's complaint when its messages cannot be read. */
  readonly onUnreadable: (error: unknown) => void;
  /** It reached MaxConnectionsPerChild and asks to be replaced. */
  readonly onRecycling: () => void;
  /** It exited (after `ready` rejected, if it had not started). */
  readonly onExit: (status: Deno.CommandStatus) => void;
}

/** Starts a child: a process that inherits the listening sockets, or an in-process host. */
export function startChild(spec: ChildSpec): Child {
  const { listen } = spec.slot;
  const inheritFds = listen.kind === "shared" ? listen.sockets.map((socket) => socket.fd) : [];
  const handle = spec.topology.threadsInParent
    ? startInProcessHost()
    : spawnChild(selfCommand([CHILD_ARGUMENT]), { inheritFds });
  const ready = Promise.withResolvers<void>();
  const child: Child = {
    pid: handle.pid,
    index: spec.slot.processIndex,
    generation: spec.generation,
    handle,
    ready: ready.promise,
    state: "starting",
    terminated: false,
    stuckSince: new Map(),
    threaded: spec.topology.threadsPerProcess > 0,
  };
  child.ready.catch(() => {});
  void sendTo(child, {
    type: "start",
    topology: spec.topology,
    generation: spec.generation,
    slot: spec.slot,
  });
  void readMessages(child, ready, spec);
  void handle.status.then((status) => {
    ready.reject(new Error(`child pid ${child.pid} exited (${describeExit(status)})`));
    spec.onExit(status);
  });
  return child;
}

/**
 * The configuration as a child process gets it. Its stdout is its message pipe to the parent,
 * so each `CustomLog stdout` writes to the parent's stdout, reopened at `stdoutPath`, instead.
 *
 * @param stdoutPath where a child opens the parent's stdout, or `null` where it cannot.
 * @throws {ConfigErrors} at CustomLog when the configuration logs to stdout and there is no
 *   such path.
 */
export function childProcessConfig(config: ServerConfig, stdoutPath: string | null): ServerConfig {
  const logsToStdout = config.hosts.some((host) =>
    host.customLogs.some((log) => log.path === "stdout")
  );
  if (!logsToStdout) return config;
  if (stdoutPath === null) {
    const at = { file: config.file ?? "embedded default", line: null, column: null };
    const detail =
      "Cannot log to stdout from child processes: this server's stdout is a socket (or there is no /proc), which they cannot open; log to stderr or a file";
    throw new ConfigErrors([new ConfigError({ at, directive: "CustomLog", detail })]);
  }
  const hosts = config.hosts.map((host) => ({
    ...host,
    customLogs: host.customLogs.map((log) =>
      log.path === "stdout" ? { ...log, path: stdoutPath } : log
    ),
  }));
  return { ...config, hosts: [hosts[0]!, ...hosts.slice(1)] };
}

/** Sends `message`; a child that is gone is not an error here (its exit is handled). */
export async function sendTo(child: Child, message: ParentMessage): Promise<void> {
  try {
    await child.handle.send(message);
  } catch {
    // The child is gone; its exit is handled where it is reaped.
  }
}

/** `signal SIGKILL` or `code 1`, as httpd's AH00052 words a child's exit. */
export function describeExit(status: Deno.CommandStatus): string {
  return status.signal !== null ? `signal ${status.signal}` : `code ${status.code}`;
}

async function readMessages(
  child: Child,
  ready: PromiseWithResolvers<void>,
  spec: ChildSpec,
): Promise<void> {
  try {
    for await (const message of child.handle.messages) {
      if (!isMessage<ChildMessage>(message, ["ready", "failed", "recycling"])) continue;
      switch (message.type) {
        case "ready":
          if (child.state === "starting") child.state = "serving";
          ready.resolve();
          break;
        case "failed":
          ready.reject(new Error(message.message));
          break;
        case "recycling":
          spec.onRecycling();
          break;
      }
    }
  } catch (error) {
    spec.onUnreadable(error);
  }
}
