/**
 * Whether a file the server will write (a log, the PidFile) can be written, asked before the
 * server starts (`-t`, `-k start`) so that the answer reaches the operator's terminal rather
 * than a log nobody reads; and the words for why a file cannot be opened.
 *
 * @module
 */

import { dirname } from "node:path";
import { describeError } from "../base/mod.ts";

/**
 * Why opening `path` for writing (creating it if missing) failed, in words an operator can
 * act on: `no such directory /var/log/mpmd`, `permission denied`, `it is a directory`.
 *
 * @param error what `Deno.openSync()` threw.
 * @param path the file it tried to open.
 */
export function openFailure(error: unknown, path: string): string {
  // With `create`, NotFound means a missing directory on the way, or a file system (such as
  // /proc) that makes no files.
  if (error instanceof Deno.errors.NotFound) {
    return isDirectory(dirname(path)) ? describeError(error) : `no such directory ${dirname(path)}`;
  }
  if (error instanceof Deno.errors.NotADirectory) return `no such directory ${dirname(path)}`;
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  return describeError(error);
}

/**
 * Checks that the server will be able to write `path`: an existing file is opened for
 * appending, a missing one is created and removed again, so the check leaves nothing behind.
 *
 * @param path an absolute file path.
 * @returns why it cannot be written ({@link openFailure}), or `null` when it can.
 */
export function whyNotWritable(path: string): string | null {
  let created = false;
  try {
    try {
      Deno.openSync(path, { append: true }).close();
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      Deno.openSync(path, { write: true, createNew: true }).close();
      created = true;
    }
  } catch (error) {
    return openFailure(error, path);
  }
  if (created) Deno.removeSync(path);
  return null;
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
