/**
 * httpd's PidFile: the file in which the running parent process records its process id, so
 * that `-k stop|restart|graceful|graceful-stop` can find it; and whether that process lives.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { DEAD_PROC_STATES, procStatState } from "./_proc_stat.ts";
import { delay, describeError } from "../base/mod.ts";

/** A PidFile that cannot be written, read or removed, or that holds no process id. */
export class PidFileError extends Error {
  /** The PidFile's path. */
  readonly path: string;

  /**
   * Creates the error, worded "Cannot <verb> PidFile <path>: <reason>".
   *
   * @param verb what failed: `write`, `read` or `remove`.
   * @param path the PidFile's path.
   * @param reason why.
   * @param options the underlying OS error, if any, as `cause`.
   */
  constructor(verb: string, path: string, reason: string, options?: ErrorOptions) {
    super(`Cannot ${verb} PidFile ${path}: ${reason}`, options);
    this.name = "PidFileError";
    this.path = path;
  }
}

/**
 * The largest process id any supported OS hands out (Linux's `pid_max` limit is 2^22; 32-bit
 * signed everywhere). Anything above it in a PidFile is corruption, not a process.
 */
const MAX_PID = 2 ** 31 - 1;

/** How much of a corrupt PidFile's content an error message quotes. */
const QUOTED_CONTENT_CHARS = 40;

/**
 * Writes `"<pid>\n"` to the PidFile atomically: into a temporary file in the same folder,
 * then renamed over the path, so a reader (`-k stop` racing a start) sees either the old
 * content or the new, never an empty or half-written file. The file is readable by all
 * (0644 before the umask), as httpd's is; on failure the temporary file is removed.
 *
 * @param path the PidFile.
 * @param pid the process id to record.
 * @throws {PidFileError} if the folder is missing or not writable.
 */
export function writePidFile(path: string, pid: number): void {
  let temporary: string | undefined;
  try {
    // Same folder as the target: rename(2) is atomic only within one file system.
    temporary = Deno.makeTempFileSync({
      dir: dirname(path),
      prefix: `.${basename(path)}.`,
      suffix: ".tmp",
    });
    Deno.writeTextFileSync(temporary, `${pid}\n`);
    if (Deno.build.os !== "windows") Deno.chmodSync(temporary, 0o644);
    Deno.renameSync(temporary, path);
  } catch (error: unknown) {
    if (temporary !== undefined) removeQuietly(temporary);
    throw new PidFileError("write", path, reasonOf(error), { cause: error });
  }
}

/**
 * Reads the process id a PidFile holds.
 *
 * Only a positive decimal integer (surrounding whitespace allowed) is a process id: `0` and
 * negative numbers are refused because `kill()` takes them as "my process group" or "every
 * process", which a corrupt PidFile must never make `-k stop` do.
 *
 * @param path the PidFile.
 * @returns the process id, or `null` if there is no such file.
 * @throws {PidFileError} if the file cannot be read or holds anything but a process id.
 */
export function readPidFile(path: string): number | null {
  let content: string;
  try {
    content = Deno.readTextFileSync(path);
  } catch (error: unknown) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new PidFileError("read", path, reasonOf(error), { cause: error });
  }
  const text = content.trim();
  const pid = /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(pid) || pid > MAX_PID) {
    throw new PidFileError("read", path, `'${quote(text)}' is not a process id`);
  }
  return pid;
}

/**
 * Removes the PidFile if it still holds `pid`. A server that stops must not remove the file
 * of a newer server that has since started (the old parent of a `-k start` racing a stop),
 * so a file holding another pid, or garbage, is left alone. A file already gone is fine.
 *
 * The check and the removal are two steps; a new server renaming its PidFile into place
 * between them would lose its file. That window is microseconds on a stopping server.
 *
 * @param path the PidFile.
 * @param pid the process id this server wrote.
 * @throws {PidFileError} if the file holds `pid` but cannot be removed.
 */
export function removePidFile(path: string, pid: number): void {
  let current: number | null;
  try {
    current = readPidFile(path);
  } catch (error: unknown) {
    if (error instanceof PidFileError) return;
    throw error;
  }
  if (current !== pid) return;
  try {
    Deno.removeSync(path);
  } catch (error: unknown) {
    if (error instanceof Deno.errors.NotFound) return;
    throw new PidFileError("remove", path, reasonOf(error), { cause: error });
  }
}

/**
 * Whether a process with this id exists and has not exited.
 *
 * On Linux it reads `/proc/<pid>/stat`: the process exists if the file does, and has exited
 * if its state is zombie (`Z`) or dead (`X`). A zombie still answers `kill(pid, 0)`, which
 * is what httpd's `ap_signal_server` uses, so a server that died but was not yet reaped
 * would otherwise count as running. Elsewhere it asks `kill(pid, 0)` through `node:process`
 * (signal 0 delivers nothing, it only checks): success or `EPERM` (the process exists but
 * belongs to another user) mean it exists. Never a real signal such as SIGCONT, which would
 * resume a process someone stopped on purpose.
 *
 * @param pid the process id; anything but a positive integer is not a live process.
 * @returns `true` if the process is running (or stopped, or sleeping).
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (Deno.build.os === "linux") {
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    } catch (error: unknown) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
    const state = procStatState(stat);
    return state !== null && !DEAD_PROC_STATES.has(state);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return errorCode(error) === "EPERM";
  }
}

/** How often {@link waitForExit} looks. */
const EXIT_POLL_MS = 20;

/**
 * Waits until process `pid` has exited ({@link isProcessAlive} says no), for a process this
 * one did not start and so cannot wait on.
 *
 * @param pid the process id.
 * @param timeoutMs how long to wait; `null` for as long as it takes.
 * @returns `true` once it has exited, `false` if it still runs after `timeoutMs`.
 */
export async function waitForExit(pid: number, timeoutMs: number | null): Promise<boolean> {
  const deadline = timeoutMs === null ? Infinity : Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await delay(EXIT_POLL_MS);
  }
  return true;
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // Best effort: the write already failed and that error is the one worth reporting.
  }
}

function quote(text: string): string {
  return text.length > QUOTED_CONTENT_CHARS ? `${text.slice(0, QUOTED_CONTENT_CHARS)}…` : text;
}

function reasonOf(error: unknown): string {
  return describeError(error);
}

function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
}

/** The facts {@link defaultPidFilePath} decides from. */
export interface PidFileFacts {
  /** The config file's absolute path, or `null` for the embedded default. */
  readonly configFile: string | null;
  /** `$XDG_RUNTIME_DIR`: the user's own runtime directory, if the session has one. */
  readonly runtimeDir: string | undefined;
  /** The system's temporary directory. */
  readonly tempDir: string;
  /** The user id (`null` where there is none, on Windows). */
  readonly uid: number | null;
}

/**
 * Where a server started with `-k start` records its pid when the configuration names no
 * PidFile, and where `-k` then looks: in the user's runtime directory (or a per-user folder
 * of the temporary directory), never in the install directory, which a non-root user cannot
 * write. Each config file gets its own name (its base name and a hash of its path), so that
 * two servers with different configs do not take each other's file. Pure.
 *
 * @returns an absolute path such as `/run/user/1000/mpmd/site-1f2e3d4c.pid`.
 */
export function defaultPidFilePath(facts: PidFileFacts): string {
  const dir = facts.runtimeDir !== undefined && facts.runtimeDir !== ""
    ? join(facts.runtimeDir, "mpmd")
    : join(facts.tempDir, facts.uid === null ? "mpmd" : `mpmd-${facts.uid}`);
  if (facts.configFile === null) return join(dir, "mpmd.pid");
  const hash = createHash("sha256").update(facts.configFile).digest("hex").slice(0, 8);
  return join(dir, `${basename(facts.configFile).replace(/\.[^.]*$/, "")}-${hash}.pid`);
}

/**
 * The PidFile `-k` uses for a config: the configured one, else {@link defaultPidFilePath}
 * from this process's environment.
 *
 * @param configured the PidFile directive's value (`null`: none).
 * @param configFile the config file's absolute path, or `null` for the embedded default.
 */
export function pidFileFor(configured: string | null, configFile: string | null): string {
  return configured ?? defaultPidFilePath({
    configFile,
    runtimeDir: Deno.env.get("XDG_RUNTIME_DIR"),
    tempDir: tmpdir(),
    uid: Deno.uid(),
  });
}
