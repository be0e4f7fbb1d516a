/**
 * Process-tree snapshots, so that the workers of a server whose master had to be killed are
 * killed too (nginx workers outlive a SIGKILLed master). Uses `ps` (Debian's procps): Deno
 * reads /proc only with --allow-all.
 *
 * @module
 */

/** A process identified by pid and start time, so a recycled pid is never mistaken for it. */
export interface ProcessId {
  readonly pid: number;
  readonly startedAt: string;
}

/** One row of a process table. */
export interface ProcessRow extends ProcessId {
  readonly ppid: number;
}

/** Parses `ps -e -o pid=,ppid=,lstart=` output. */
export function parsePsOutput(text: string): ProcessRow[] {
  return text.split("\n").flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(.+?)\s*$/.exec(line);
    return match ? [{ pid: Number(match[1]), ppid: Number(match[2]), startedAt: match[3]! }] : [];
  });
}

/** Every descendant of `pid` in `table` (not `pid` itself). */
export function descendantsIn(table: readonly ProcessRow[], pid: number): ProcessId[] {
  const found: ProcessId[] = [];
  const queue = [pid];
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
    for (const row of table) {
      if (row.ppid !== parent) continue;
      found.push({ pid: row.pid, startedAt: row.startedAt });
      queue.push(row.pid);
    }
  }
  return found;
}

/** The current process table; empty when `ps` is not installed. */
async function processTable(): Promise<ProcessRow[]> {
  try {
    const output = await new Deno.Command("ps", {
      args: ["-e", "-o", "pid=,ppid=,lstart="],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      env: { LC_ALL: "C" },
    }).output();
    return parsePsOutput(new TextDecoder().decode(output.stdout));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** Every living descendant of `pid`. */
export async function descendantsOf(pid: number): Promise<ProcessId[]> {
  return descendantsIn(await processTable(), pid);
}

/** Sends SIGKILL to each process that is still the same process as when it was recorded. */
export async function killSurvivors(processes: readonly ProcessId[]): Promise<number[]> {
  if (processes.length === 0) return [];
  const table = await processTable();
  const killed: number[] = [];
  for (const p of processes) {
    if (!table.some((row) => row.pid === p.pid && row.startedAt === p.startedAt)) continue;
    try {
      Deno.kill(p.pid, "SIGKILL");
      killed.push(p.pid);
    } catch (error) {
      // It exited between the snapshot and the kill.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return killed;
}
