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
 * @throws {ServerStartError} when a server started in the background exits before it serves.
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
    return { exitCode: await startInBackground(argv, config, pidFile), message: "" };
  }
  const result = signalServer(verb, pidFile);
  if (result.startInstead) {
    return { exitCode: await startInBackground(argv, config, pidFile), message: result.message };
  }
  return { exitCode: result.exitCode, message: result.message };
}

async function startInBackground(
  argv: string[],
  config: ServerConfig,
  pidFile: string,
): Promise<number> {
  // The per-user folder is this program's to make; a configured PidFile's folder is not.
  if (config.pidFile === null) Deno.mkdirSync(dirname(pidFile), { recursive: true, mode: 0o700 });
  const args = [...withoutControlVerb(argv), "-c", `PidFile "${pidFile.replaceAll('"', '\\"')}"`];
  // A server that logs to a file must not hold this terminal's stderr open once detached.
  await startDetached(selfCommand(args), {
    pidFile,
    stderr: config.errorLog === "stderr" ? "inherit" : "null",
  });
  return EXIT.ok;
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
