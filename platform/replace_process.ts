/**
 * Replacing the running program with another (`execve`): the same process id, parent, signals
 * and standard streams, another command line. What a server started by an init, a container
 * runtime or `-k` needs when it must run again under other `deno` flags: a child would be a
 * second process to signal and to wait for.
 *
 * @module
 */

import { lastErrno, libc, osError } from "./_libc.ts";
import type { SelfCommand } from "./self_command.ts";

const encoder = new TextEncoder();

/** A NULL-terminated array of pointers to NUL-terminated copies of `strings`. */
function cStringArray(strings: readonly string[]): { array: BigUint64Array; keep: Uint8Array[] } {
  const keep = strings.map((text) => encoder.encode(`${text}\0`));
  const array = new BigUint64Array(keep.length + 1);
  keep.forEach((bytes, i) => {
    array[i] = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes)));
  });
  return { array, keep };
}

/**
 * Runs `command` in place of this program, with `env` as its whole environment. Returns only
 * if that fails.
 *
 * @returns why the program could not be replaced.
 */
export function replaceProcess(
  command: SelfCommand,
  env: Readonly<Record<string, string>>,
): Error {
  const path = encoder.encode(`${command.command}\0`);
  const argv = cStringArray([command.command, ...command.args]);
  const envp = cStringArray(Object.entries(env).map(([name, value]) => `${name}=${value}`));
  libc().execve(path, argv.array, envp.array);
  // Still here: execve failed (the buffers above stayed alive through the call).
  void argv.keep;
  void envp.keep;
  return osError(`execve ${command.command}`, lastErrno());
}
