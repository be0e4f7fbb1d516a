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
  return { exitCode: result.exitCode, message: result.message };
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
