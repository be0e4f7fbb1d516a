/**
 * mpmd's version and the `Server` banner it implies under each ServerTokens setting.
 *
 * @module
 */

import type { ServerTokens } from "../config/mod.ts";

/** The version of mpmd, `major.minor.patch`. */
export const MPMD_VERSION = "0.1.0";

/**
 * The `Server` field value for a ServerTokens setting, as httpd derives it: Prod names the
 * product only, Major/Minor/Min add that much of the version, OS and Full add the platform.
 *
 * @param tokens The ServerTokens setting.
 * @param denoVersion The runtime version shown by OS and Full.
 * @returns E.g. `mpmd`, `mpmd/0`, `mpmd/0.1`, `mpmd/0.1.0`, `mpmd/0.1.0 (Deno 2.9.6)`.
 */
export function serverBanner(
  tokens: ServerTokens,
  denoVersion: string = Deno.version.deno,
): string {
  const [major, minor] = MPMD_VERSION.split(".");
  switch (tokens) {
    case "Prod":
      return "mpmd";
    case "Major":
      return `mpmd/${major}`;
    case "Minor":
      return `mpmd/${major}.${minor}`;
    case "Min":
      return `mpmd/${MPMD_VERSION}`;
    case "OS":
    case "Full":
      return `mpmd/${MPMD_VERSION} (Deno ${denoVersion})`;
  }
}

/**
 * When the running program was built, as httpd's `Server Built` shows it
 * (`2026-11-12T08:58:41`, UTC): the modification time of the compiled binary, or of this
 * source file when run from source.
 */
export function builtAt(): string {
  // This file, not Deno.mainModule: a Worker has no main module.
  const source = new URL(import.meta.url);
  let mtime: Date | null = null;
  try {
    mtime = Deno.statSync(source.protocol === "file:" ? source : Deno.execPath()).mtime;
  } catch {
    // A compiled binary's sources are not on disk: the binary itself was built then.
    mtime = Deno.statSync(Deno.execPath()).mtime;
  }
  return (mtime ?? new Date(0)).toISOString().slice(0, 19);
}
