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
  const state = procStatFields(stat)?.[0];
  return state !== undefined && state.length === 1 ? state : null;
}

/**
 * The fields of a stat line after the command name: the state (field 3 of proc(5)) first.
 *
 * @returns the fields, or `null` if the text is not a stat line.
 */
export function procStatFields(stat: string): string[] | null {
  const end = stat.lastIndexOf(")");
  if (end < 0 || stat[end + 1] !== " ") return null;
  const fields = stat.slice(end + 2).trimEnd().split(" ");
  return fields[0] === "" ? null : fields;
}

/** States of a process that has exited: a zombie not yet reaped (`Z`) or one being reaped (`X`). */
export const DEAD_PROC_STATES: ReadonlySet<string> = new Set(["Z", "X"]);
