/**
 * `-k VERB`: a signal to the server the PidFile names, or a server started in the background.
 *
 * @module
 */

import {
  alreadyRunning,
  type ControlVerb,
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

/** `-k VERB`: signals the server named by the PidFile, or starts one detached. */
/**
 * Carries out `-k verb` for the server `config` describes.
 *
 * @throws {ServerStartError} when a server started in the background exits before it serves.
 */
export async function control(
  verb: ControlVerb,
  argv: string[],
  config: ServerConfig,
): Promise<ControlOutcome> {
  if (verb === "start") {
    const pid = alreadyRunning(config.pidFile);
    if (pid !== null) return { exitCode: EXIT.error, message: `mpmd (pid ${pid}) already running` };
    return { exitCode: await startInBackground(argv, config), message: "" };
  }
  const result = signalServer(verb, config.pidFile);
  if (result.startInstead) {
    return { exitCode: await startInBackground(argv, config), message: result.message };
  }
  return { exitCode: result.exitCode, message: result.message };
}

async function startInBackground(argv: string[], config: ServerConfig): Promise<number> {
  // A server that logs to a file must not hold this terminal's stderr open once detached.
  await startDetached(selfCommand(withoutControlVerb(argv)), {
    pidFile: config.pidFile,
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
