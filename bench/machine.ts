/**
 * Facts about this machine, printed in the report header so that numbers from different
 * machines are never compared blindly.
 *
 * @module
 */

/** The machine the benchmark ran on. */
export interface MachineFacts {
  /** Logical CPUs (`navigator.hardwareConcurrency`). */
  readonly cores: number;
  /** CPU model name from `lscpu`, or "unknown". */
  readonly cpuModel: string;
  /** Operating system, as `Deno.build.os` names it (`linux`). */
  readonly os: string;
  /** Kernel release (`Deno.osRelease()`). */
  readonly kernel: string;
  /** Version of the Deno that ran the benchmark. */
  readonly deno: string;
  /** 1-minute load average before the run: a busy machine skews every number. */
  readonly loadAverage1m: number;
}

/** The "Model name" in `lscpu` output, or `null`. */
export function cpuModelFromLscpu(text: string): string | null {
  return /^Model name:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? null;
}

/** The CPU model from `lscpu` (Deno reads /proc only with --allow-all); "unknown" without it. */
async function cpuModel(): Promise<string> {
  try {
    const output = await new Deno.Command("lscpu", {
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      env: { LC_ALL: "C" },
    }).output();
    return cpuModelFromLscpu(new TextDecoder().decode(output.stdout)) ?? "unknown";
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "unknown";
    throw error;
  }
}

/** Reads the machine facts. */
export async function machineFacts(): Promise<MachineFacts> {
  return {
    cores: navigator.hardwareConcurrency,
    cpuModel: await cpuModel(),
    os: Deno.build.os,
    kernel: Deno.osRelease(),
    deno: Deno.version.deno,
    loadAverage1m: Deno.loadavg()[0] ?? 0,
  };
}
