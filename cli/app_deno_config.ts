/**
 * An app module's own Deno configuration. `deno serve app.ts` resolves the module's imports
 * with the nearest `deno.json` (or `deno.jsonc`) at or above its folder; Deno Workers share
 * their process's import map, so the processes that import the module must run under that
 * configuration: mpmd runs again in its place (same pid) and passes it on to its children.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DENO_CONFIG_ENV, DENO_LOCK_ENV, replaceProcess, selfCommand } from "../platform/mod.ts";
import type { ServerConfig } from "../server/config/mod.ts";

const CONFIG_NAMES = ["deno.json", "deno.jsonc"];

/**
 * The configuration the App modules of `config` resolve their imports with, when it is not
 * mpmd's own (in `installDir`): the first module's nearest one; `null` for none.
 */
export function appDenoConfig(config: ServerConfig, installDir: string): string | null {
  const first = config.hosts.flatMap((host) => host.apps)[0];
  if (first === undefined) return null;
  const found = nearestDenoConfig(dirname(first.module));
  const own = CONFIG_NAMES.map((name) => join(installDir, name));
  return found === null || own.includes(found) ? null : found;
}

function nearestDenoConfig(start: string): string | null {
  for (let dir = start;; dir = dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const path = join(dir, name);
      try {
        if (Deno.statSync(path).isFile) return path;
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Runs this program again under `denoConfig` with the same arguments, unless it already runs
 * under it. Returns only when it does not run again: `null` when nothing was needed, else why.
 */
export function runUnder(denoConfig: string, argv: readonly string[]): string | null {
  if (Deno.env.get(DENO_CONFIG_ENV) === denoConfig) return null;
  if (Deno.build.standalone) {
    return `${denoConfig} is not used: a compiled mpmd resolves app modules with the import map it was built with`;
  }
  Deno.env.set(DENO_CONFIG_ENV, denoConfig);
  const lock = privateLockCopy(join(dirname(denoConfig), "deno.lock"));
  if (lock !== null) Deno.env.set(DENO_LOCK_ENV, lock);
  const error = replaceProcess(selfCommand(argv), Deno.env.toObject());
  Deno.env.delete(DENO_CONFIG_ENV);
  Deno.env.delete(DENO_LOCK_ENV);
  return `Cannot run again under ${denoConfig}: ${error.message}`;
}

/**
 * A copy of the app's lock file, fresh at each start, where Deno checks the app's packages
 * against their pins and may add mpmd's own without touching the user's file; `null` when the
 * app has none. One copy per app, in the temp directory, so that starts do not pile up files.
 */
function privateLockCopy(appLock: string): string | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(appLock);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const dir = join(tmpdir(), "mpmd-locks");
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const copy = join(dir, `${createHash("sha256").update(appLock).digest("hex").slice(0, 16)}.lock`);
  Deno.writeTextFileSync(copy, text, { mode: 0o600 });
  return copy;
}
