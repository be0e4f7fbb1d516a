/**
 * Starts one server from its {@link LaunchSpec} and stops it again by the pid it was given:
 * SIGTERM, then SIGKILL after a grace period, then any of its descendants still alive.
 *
 * @module
 */

import { BenchError } from "./bench_error.ts";
import type { LaunchSpec } from "./contenders.ts";
import { descendantsOf, killSurvivors } from "./_proc_tree.ts";

/** How long a server may take to exit after SIGTERM before it gets SIGKILL. @default 10000 */
export const DEFAULT_STOP_GRACE_MS = 10_000;

/**
 * Every server runs as the leader of its own session (util-linux `setsid`, which execs in
 * place, so the pid is the server's): Apache's prefork MPM signals its whole process group
 * on shutdown, and under -DFOREGROUND that group would otherwise be the benchmark's own.
 */
export const SESSION_LEADER = "setsid";

/** The last bytes of stderr kept for error messages. */
const STDERR_TAIL_CHARS = 4096;

/** How a stop went: `clean` unless SIGKILL was needed for the server or one of its children. */
export interface StopOutcome {
  /** `forced` when any pid needed SIGKILL, else `clean`. */
  readonly kind: "clean" | "forced";
  /** Pids that received SIGKILL. */
  readonly killed: readonly number[];
}

/** A running server started by this process; dispose it (`await using`) to stop it. */
export class ServerProcess implements AsyncDisposable {
  /** Contender name, used in error messages. */
  readonly name: string;
  /** Pid of the server's main process, the leader of its session. */
  readonly pid: number;
  /** The launch spec it was started from (its error log is named on failure). */
  readonly spec: LaunchSpec;
  readonly #child: Deno.ChildProcess;
  readonly #graceMs: number;
  #stderr = "";
  #exit: Deno.CommandStatus | null = null;
  #stopping: Promise<StopOutcome> | null = null;

  /** Wraps a spawned server: keeps its pid and starts collecting its stderr tail. */
  constructor(name: string, spec: LaunchSpec, child: Deno.ChildProcess, graceMs: number) {
    this.name = name;
    this.pid = child.pid;
    this.spec = spec;
    this.#child = child;
    this.#graceMs = graceMs;
    child.status.then((status) => this.#exit = status);
    this.#drainStderr(child.stderr);
  }

  async #drainStderr(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      this.#stderr = (this.#stderr + decoder.decode(chunk, { stream: true })).slice(
        -STDERR_TAIL_CHARS,
      );
    }
  }

  /** The exit status once the process has exited, else `null`. */
  get exitStatus(): Deno.CommandStatus | null {
    return this.#exit;
  }

  /** The last few KiB the server wrote to stderr. */
  get stderrTail(): string {
    return this.#stderr.trim();
  }

  /** Stops the server and its descendants; safe to call more than once. */
  stop(): Promise<StopOutcome> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<StopOutcome> {
    // Recorded before SIGTERM: once the master is gone its orphans are no longer its children.
    const tree = await descendantsOf(this.pid);
    if (this.#exit === null) this.#child.kill("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const exitedInTime = await Promise.race([
      this.#child.status.then(() => true),
      new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), this.#graceMs)),
    ]);
    clearTimeout(timer);
    const killed: number[] = [];
    if (!exitedInTime) {
      this.#child.kill("SIGKILL");
      killed.push(this.pid);
      await this.#child.status;
    }
    killed.push(...await killSurvivors(tree));
    return { kind: killed.length === 0 ? "clean" : "forced", killed };
  }

  /** Stops the server at the end of an `await using` scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop().then(() => undefined);
  }
}

/**
 * Writes the server's config, creates its directories and spawns it in a session of its own
 * (stdout discarded, stderr kept for error messages).
 *
 * @throws {BenchError} when the program cannot be spawned.
 */
export async function startServer(
  name: string,
  spec: LaunchSpec,
  graceMs: number = DEFAULT_STOP_GRACE_MS,
): Promise<ServerProcess> {
  for (const dir of spec.dirs) await Deno.mkdir(dir, { recursive: true, mode: 0o755 });
  await Deno.writeTextFile(spec.configPath, spec.configText, { mode: 0o644 });
  const [program] = spec.command;
  try {
    const child = new Deno.Command(SESSION_LEADER, {
      args: [...spec.command],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    return new ServerProcess(name, spec, child, graceMs);
  } catch (error) {
    throw new BenchError(`Cannot start ${name}: ${program}: ${String(error)}`, { cause: error });
  }
}
