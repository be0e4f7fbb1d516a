/**
 * A child process and its message pipe, parent side: messages are newline-delimited JSON on
 * the child's stdin (parent → child) and stdout (child → parent); the child's stderr is the
 * parent's, so every process writes to the one error log. The child side is
 * {@link connectToParent}.
 *
 * @module
 */

import { messageWriter, readMessages } from "./_ndjson.ts";
import { setInheritable } from "./listen_socket.ts";
import type { SelfCommand } from "./self_command.ts";

/** Options for {@link spawnChild}. */
export interface SpawnChildOptions {
  /**
   * Environment variables added to the parent's.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The child's working directory.
   * @default the parent's working directory
   */
  readonly cwd?: string;
  /**
   * Descriptors of this process the child inherits, at the same numbers (the listening
   * sockets); every other descriptor stays close-on-exec.
   * @default []
   */
  readonly inheritFds?: readonly number[];
}

/** A running child process and the parent's end of its message pipe. */
export interface ChildHandle {
  /** The child's process id. */
  readonly pid: number;
  /**
   * Sends one message (plain, JSON-serialisable data) to the child, in call order.
   * Rejects with a `TypeError` for a value JSON cannot carry, or with the OS error
   * (e.g. `Deno.errors.BrokenPipe`) once the child has gone.
   */
  send(message: unknown): Promise<void>;
  /**
   * The child's messages, in order, ending when the child closes its stdout or exits.
   * Single consumer; read it steadily, since a child blocks once its stdout pipe is full.
   * The iterator throws a `MessageFormatError` for a line that is not a message.
   */
  readonly messages: AsyncIterable<unknown>;
  /** Resolves when the child has exited: its code, or the signal that ended it. */
  readonly status: Promise<Deno.CommandStatus>;
  /** Closes the child's stdin: the child sees end of input, as when the parent dies. */
  closeInput(): Promise<void>;
  /**
   * Sends a signal to the child.
   * @returns `false` if the child had already exited, so nothing was sent.
   */
  kill(signal: Deno.Signal): boolean;
}

/**
 * Starts a child with a message pipe on its stdin and stdout and the parent's stderr.
 *
 * The child's stdin is the only thing holding it to the parent: when the parent dies, for
 * whatever reason, the kernel closes the pipe, the child's {@link connectToParent} messages
 * end, and the child must then exit, so that no orphan keeps serving.
 *
 * @param command what to run, usually {@link selfCommand}'s answer.
 * @param options environment and working directory.
 * @returns the running child.
 * @throws {Deno.errors.NotFound} if the command does not exist.
 */
export function spawnChild(command: SelfCommand, options: SpawnChildOptions = {}): ChildHandle {
  const inherited = options.inheritFds ?? [];
  // Open to inheritance only for the moment of the spawn, which Deno makes synchronously: no
  // other program this process starts may hold the server's port open.
  for (const fd of inherited) setInheritable(fd, true);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command.command, {
      args: [...command.args],
      env: { ...options.env },
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
  } finally {
    for (const fd of inherited) setInheritable(fd, false);
  }
  const writer = messageWriter(child.stdin);
  return {
    pid: child.pid,
    send: writer.send,
    messages: readMessages(child.stdout),
    status: child.status,
    closeInput: writer.close,
    kill(signal) {
      try {
        child.kill(signal);
        return true;
      } catch (error) {
        // Deno's only TypeError here: "Child process has already terminated".
        if (error instanceof TypeError) return false;
        throw error;
      }
    },
  };
}

/** The child's end of its message pipe to the parent. */
export interface ParentChannel {
  /**
   * The parent's messages, in order. The iteration ends when stdin reaches end of input:
   * the parent closed it or died, and the child should exit. Throws a `MessageFormatError`
   * for a line that is not a message.
   */
  readonly messages: AsyncIterable<unknown>;
  /** Sends one message (plain, JSON-serialisable data) to the parent, in call order. */
  send(message: unknown): Promise<void>;
}

/**
 * Opens this process's stdin and stdout as the message pipe to its parent. Call it once:
 * it takes both streams, so nothing else may write to stdout (logs go to stderr).
 *
 * @returns the child's end of the pipe.
 */
export function connectToParent(): ParentChannel {
  const writer = messageWriter(Deno.stdout.writable);
  return { messages: readMessages(Deno.stdin.readable), send: writer.send };
}

/**
 * The path by which a child process can open this process's stdout for writing, since its own
 * stdout is its message pipe: `/proc/<pid>/fd/1` when stdout is a terminal, a pipe or a file;
 * `null` when it is a socket (which cannot be opened by path: systemd's journal), closed, or
 * the OS has no `/proc`.
 */
export function stdoutPathForChildren(pid: number = Deno.pid): string | null {
  const path = `/proc/${pid}/fd/1`;
  try {
    return Deno.statSync(path).isSocket ? null : path;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
