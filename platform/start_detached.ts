/**
 * `-k start`: start the server again as a detached process and wait until it is up, which
 * it signals by writing its own process id to its PidFile.
 *
 * @module
 */

import { PidFileError, readPidFile } from "./pid_file.ts";
import type { SelfCommand } from "./self_command.ts";
import { TIMED_OUT, withDeadline } from "../base/mod.ts";

/** {@link StartDetachedOptions.readyTimeoutMs}'s default. */
export const DEFAULT_READY_TIMEOUT_MS = 10_000;

/** How often the PidFile is read while waiting; a start takes ~25 ms at best. */
const POLL_INTERVAL_MS = 20;

/** Options for {@link startDetached}. */
export interface StartDetachedOptions {
  /** The PidFile the new server writes its pid to once it is ready. */
  readonly pidFile: string;
  /**
   * How long the new server may take to write its PidFile before it is given up on.
   * @default {DEFAULT_READY_TIMEOUT_MS}
   */
  readonly readyTimeoutMs?: number;
  /**
   * The new server's stderr: this terminal's, for startup errors, or none.
   * @default "inherit"
   */
  readonly stderr?: "inherit" | "null";
  /**
   * Environment variables added to this process's.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The new server's working directory.
   * @default this process's working directory
   */
  readonly cwd?: string;
}

/** A server that {@link startDetached} started and that wrote its PidFile. */
export interface DetachedServer {
  /** Its process id, as its PidFile holds it. */
  readonly pid: number;
}

/** A detached server that exited, or stayed silent, before writing its PidFile. */
export class ServerStartError extends Error {
  /** The process id of the server that did not come up. */
  readonly pid: number;
  /** How it exited, or `null` if it was still running at the deadline (it was sent SIGTERM). */
  readonly status: Deno.CommandStatus | null;

  /**
   * Creates the error, worded "Cannot start mpmd: <reason>".
   *
   * @param pid the server's process id.
   * @param status how it exited, or `null` on timeout.
   * @param reason why.
   */
  constructor(pid: number, status: Deno.CommandStatus | null, reason: string) {
    super(`Cannot start mpmd: ${reason}`);
    this.name = "ServerStartError";
    this.pid = pid;
    this.status = status;
  }
}

/**
 * Starts `command` detached from this process and its terminal (its own session, stdin and
 * stdout closed) and resolves once the PidFile holds the new process's id: the new server
 * writes it only after it has bound its ports, so that is its readiness signal. This
 * process may then exit while the server keeps running.
 *
 * A new server that exits first rejects with its exit status. One that has not written its
 * PidFile by the deadline is sent SIGTERM (a half-started server nobody knows of is worse
 * than none) and rejects with `status: null`.
 *
 * @param command what to run, usually `selfCommand([...])` with the server's arguments.
 * @param options the PidFile to watch, the deadline, stderr, environment and directory.
 * @returns the new server's pid.
 * @throws {ServerStartError} if the server exits or times out before writing its PidFile.
 * @throws {Deno.errors.NotFound} if the command does not exist.
 */
export async function startDetached(
  command: SelfCommand,
  options: StartDetachedOptions,
): Promise<DetachedServer> {
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const child = new Deno.Command(command.command, {
    args: [...command.args],
    env: { ...options.env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    detached: true,
    stdin: "null",
    stdout: "null",
    stderr: options.stderr ?? "inherit",
  }).spawn();
  const deadline = Date.now() + readyTimeoutMs;
  try {
    for (;;) {
      const status = await withDeadline(child.status, POLL_INTERVAL_MS);
      if (status !== TIMED_OUT) {
        throw new ServerStartError(
          child.pid,
          status,
          `process ${child.pid} ${describeExit(status)} before writing PidFile ${options.pidFile}`,
        );
      }
      if (holdsPid(options.pidFile, child.pid)) return { pid: child.pid };
      if (Date.now() >= deadline) {
        terminate(child);
        throw new ServerStartError(
          child.pid,
          null,
          `process ${child.pid} wrote no PidFile ${options.pidFile} within ${readyTimeoutMs} ms, so it was sent SIGTERM`,
        );
      }
    }
  } finally {
    // Waiting on a detached child must not keep this process alive once it is done.
    child.unref();
  }
}

/** Whether the PidFile holds `pid`; garbage left by an earlier run is "not yet". */
function holdsPid(pidFile: string, pid: number): boolean {
  try {
    return readPidFile(pidFile) === pid;
  } catch (error: unknown) {
    if (error instanceof PidFileError) return false;
    throw error;
  }
}

function terminate(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGTERM");
  } catch (error: unknown) {
    // It exited after the last look; there is nothing left to stop.
    if (!(error instanceof TypeError)) throw error;
  }
}

function describeExit(status: Deno.CommandStatus): string {
  return status.signal === null
    ? `exited with code ${status.code}`
    : `was killed by ${status.signal}`;
}
