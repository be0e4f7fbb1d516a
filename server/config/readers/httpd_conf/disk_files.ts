/**
 * The file access of the httpd.conf reader on a real disk (its Include directives), for
 * `loadConfig()`; tests pass their own {@link HttpdConfFiles}.
 *
 * @module
 */

import type { HttpdConfFiles } from "./includes.ts";

/** The files an httpd.conf includes, read from disk. */
export const DISK_FILES: HttpdConfFiles = {
  kind(path) {
    try {
      const info = Deno.statSync(path);
      return info.isDirectory ? "directory" : info.isFile ? "file" : null;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return null;
      throw e;
    }
  },
  readText(path) {
    try {
      return Deno.readTextFileSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.PermissionDenied) {
        throw new Error("permission denied", { cause: e });
      }
      throw e;
    }
  },
  readDir: (path) => [...Deno.readDirSync(path)].map((entry) => entry.name),
};
