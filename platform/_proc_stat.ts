/**
 * Reading a process's scheduler state from Linux's `/proc/<pid>/stat`.
 *
 * @module
 */

/**
 * The one-letter state field of a `/proc/<pid>/stat` line (`R`, `S`, `D`, `Z`, `X`, …).
 *
 * The second field is the command name in parentheses, and a program may name itself with
 * spaces and `)` in it, so the state is the first field after the LAST `)`, not the third
 * space-separated word (proc(5)).
 *
 * @param stat the file's text.
 * @returns the state letter, or `null` if the text is not a stat line.
 */
export function procStatState(stat: string): string | null {
  const end = stat.lastIndexOf(")");
  if (end < 0) return null;
  const state = /^ (\S)( |$)/.exec(stat.slice(end + 1))?.[1];
  return state ?? null;
}

/** States of a process that has exited: a zombie not yet reaped (`Z`) or one being reaped (`X`). */
export const DEAD_PROC_STATES: ReadonlySet<string> = new Set(["Z", "X"]);
