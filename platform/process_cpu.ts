/**
 * CPU time used by a process, as Linux's `/proc/<pid>/stat` reports it: what mod_status's
 * CPU fields show. Elsewhere (no /proc) the times are unknown.
 *
 * @module
 */

import { procStatFields } from "./_proc_stat.ts";

/**
 * Clock ticks per second of `/proc/<pid>/stat`'s times: Linux reports them in USER_HZ, which
 * is 100 on every architecture Deno runs on (the ABI keeps it so whatever the kernel's HZ).
 */
export const PROC_TICKS_PER_SECOND = 100;

/** A process's CPU seconds, its own and those of its children it has reaped. */
export interface ProcessCpu {
  /** Seconds in user mode. */
  readonly user: number;
  /** Seconds in the kernel on its behalf. */
  readonly system: number;
  /** User seconds of its children that have exited and been waited for. */
  readonly childrenUser: number;
  /** System seconds of its children that have exited and been waited for. */
  readonly childrenSystem: number;
}

/**
 * Reads the CPU fields (utime, stime, cutime, cstime) of a stat line.
 *
 * @returns the times in seconds, or `null` if the text is not a stat line.
 */
export function parseProcessCpu(stat: string): ProcessCpu | null {
  const fields = procStatFields(stat);
  // proc(5) numbers fields from 1: utime is 14, so index 11 after the state (field 3).
  const ticks = fields?.slice(11, 15).map(Number);
  if (ticks === undefined || ticks.length < 4 || ticks.some((t) => !Number.isFinite(t))) {
    return null;
  }
  const [user, system, childrenUser, childrenSystem] = ticks.map((t) => t / PROC_TICKS_PER_SECOND);
  return {
    user: user!,
    system: system!,
    childrenUser: childrenUser!,
    childrenSystem: childrenSystem!,
  };
}

/** The CPU times of process `pid`, or `null` if it is gone or the OS has no /proc. */
export async function readProcessCpu(pid: number): Promise<ProcessCpu | null> {
  try {
    return parseProcessCpu(await Deno.readTextFile(`/proc/${pid}/stat`));
  } catch {
    return null;
  }
}
