/**
 * What `-t` says of the server that already runs a configuration (found by its PidFile, as
 * `-k` finds it): what a restart into the configuration checked would do to its MPM.
 *
 * @module
 */

import { alreadyRunning, pidFileFor } from "../platform/mod.ts";
import { MPM_NAMES, type MpmName, type ServerConfig } from "../server/config/mod.ts";
import { defaultScoreboardPath, readScoreboard } from "../scoreboard/mod.ts";
import { switchPreview } from "../mpm/machinery/mod.ts";

/**
 * The note `-t` adds when a server runs this configuration's PidFile under another MPM, or
 * `null`: none runs, it runs the same MPM, or its scoreboard cannot be read (a `-X` server has
 * none).
 */
export async function restartPreview(config: ServerConfig): Promise<string | null> {
  const pid = alreadyRunning(pidFileFor(config.pidFile, config.file));
  if (pid === null) return null;
  let running: string;
  try {
    running = (await readScoreboard(defaultScoreboardPath(pid))).mpm;
  } catch {
    return null;
  }
  if (!(MPM_NAMES as readonly string[]).includes(running)) return null;
  return switchPreview(running as MpmName, config.mpm, pid);
}
