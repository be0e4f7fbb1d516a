/**
 * `-k VERB`: a signal to the server the PidFile names, or a server started in the background.
 *
 * @module
 */

import { dirname } from "node:path";
import {
  alreadyRunning,
  type ControlVerb,
  pidFileFor,
  selfCommand,
  ServerStartError,
  signalServer,
  startDetached,
  waitForExit,
} from "../platform/mod.ts";
import type { ServerConfig } from "../server/config/mod.ts";
import { EXIT } from "./command_line.ts";

/** What `-k` did: the exit code, and a line to print (empty for none). */
export interface ControlOutcome {
  /** The exit code for `main.ts` to exit with. */
  readonly exitCode: number;
  /** A line for stderr, or `""`. */
  readonly message: string;
}

/**
 * Carries out `-k verb` for the server `config` describes: signals the server its PidFile
 * names, or starts one detached. Without a configured PidFile, `-k` uses a per-user one
 * (`pidFileFor()`), and a server it starts is told to write it.
 *
 * A server started in the background that exits before it serves gives exit code 1 and the
 * reason: on the inherited stderr, or read out of its error log file.
 */
export async function control(
  verb: ControlVerb,
  argv: string[],
  config: ServerConfig,
): Promise<ControlOutcome> {
  const pidFile = pidFileFor(config.pidFile, config.file);
  if (verb === "start") {
    const pid = alreadyRunning(pidFile);
    if (pid !== null) return { exitCode: EXIT.error, message: `mpmd (pid ${pid}) already running` };
    return await startInBackground(argv, config, pidFile);
  }
  const result = signalServer(verb, pidFile);
  if (result.startInstead) {
    const started = await startInBackground(argv, config, pidFile);
    return { ...started, message: [result.message, started.message].filter(Boolean).join("\n") };
  }
  const stopping = verb === "stop" || verb === "graceful-stop";
  if (stopping && result.signalled !== null) {
    return await untilExited(result.signalled, stopWaitMs(verb, config));
  }
  return { exitCode: result.exitCode, message: result.message };
}

/** How long a stop may take before `-k` gives up waiting: `null` for as long as it takes. */
const STOP_WAIT_MS = 10_000;

/**
 * How long `-k stop` and `-k graceful-stop` wait for the server to exit: a stop ends the
 * children at once; a graceful stop lets requests finish for up to GracefulShutdownTimeout
 * (0: no limit, so neither is there one here).
 */
function stopWaitMs(verb: "stop" | "graceful-stop", config: ServerConfig): number | null {
  if (verb === "stop") return STOP_WAIT_MS;
  const grace = config.gracefulShutdownTimeoutMs;
  return grace === 0 ? null : grace + STOP_WAIT_MS;
}

/**
 * Returns once the signalled server has exited, so that a script's next line (a start, a
 * removal of its files) finds it gone; says so if it does not within `timeoutMs`.
 */
async function untilExited(pid: number, timeoutMs: number | null): Promise<ControlOutcome> {
  if (await waitForExit(pid, timeoutMs)) return { exitCode: EXIT.ok, message: "" };
  return {
    exitCode: EXIT.error,
    message: `mpmd (pid ${pid}) is still running ${timeoutMs! / 1000} s after the signal`,
  };
}

/** Starts the server detached; if it fails, the outcome carries what its error log said. */
async function startInBackground(
  argv: string[],
  config: ServerConfig,
  pidFile: string,
): Promise<ControlOutcome> {
  // The per-user folder is this program's to make; a configured PidFile's folder is not.
  if (config.pidFile === null) Deno.mkdirSync(dirname(pidFile), { recursive: true, mode: 0o700 });
  const args = [...withoutControlVerb(argv), "-c", `PidFile "${pidFile.replaceAll('"', '\\"')}"`];
  const { errorLog } = config;
  const logSizeBefore = errorLog === "stderr" ? 0 : sizeOf(errorLog);
  try {
    // A server that logs to a file must not hold this terminal's stderr open once detached.
    await startDetached(selfCommand(args), {
      pidFile,
      stderr: errorLog === "stderr" ? "inherit" : "null",
    });
    return { exitCode: EXIT.ok, message: "" };
  } catch (error) {
    if (!(error instanceof ServerStartError)) throw error;
    // On stderr the server said why itself; a log file's new lines are read out here.
    const said = errorLog === "stderr" ? "" : readSince(errorLog, logSizeBefore).trimEnd();
    return {
      exitCode: EXIT.error,
      message: said === "" ? `mpmd: ${error.message}` : `${said}\nmpmd: ${error.message}`,
    };
  }
}

function sizeOf(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch {
    return 0;
  }
}

/** What a file holds past `offset` (nothing if it cannot be read). */
function readSince(path: string, offset: number): string {
  try {
    using file = Deno.openSync(path);
    file.seekSync(offset, Deno.SeekMode.Start);
    const bytes = new Uint8Array(Math.max(0, Deno.statSync(path).size - offset));
    let read = 0;
    while (read < bytes.length) {
      const n = file.readSync(bytes.subarray(read));
      if (n === null) break;
      read += n;
    }
    return new TextDecoder().decode(bytes.subarray(0, read));
  } catch {
    return "";
  }
}

/** The command line without its `-k VERB` (the detached server runs in the foreground). */
function withoutControlVerb(argv: string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "-k") i++;
    else if (!argv[i]!.startsWith("-k")) rest.push(argv[i]!);
  }
  return rest;
}
