/**
 * The resident memory of a process, as Linux's `/proc/<pid>/status` reports it (`VmRSS`):
 * what MaxMemoryPerChild bounds and the status page shows. Elsewhere (no /proc) it is unknown.
 *
 * @module
 */

/**
 * Reads the resident set size from the text of `/proc/<pid>/status`.
 *
 * @returns bytes, or `null` if the text has no `VmRSS` line (a kernel thread, a zombie).
 */
export function parseResidentBytes(status: string): number | null {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kib === undefined ? null : Number(kib) * 1024;
}

/** The resident memory of process `pid` in bytes, or `null` if it is gone or unknown. */
export async function readResidentBytes(pid: number): Promise<number | null> {
  try {
    return parseResidentBytes(await Deno.readTextFile(`/proc/${pid}/status`));
  } catch {
    return null;
  }
}
