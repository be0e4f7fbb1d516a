/**
 * mpmd for the memory benches: started from this checkout on a free loopback port with the
 * event test pool (one child of two threads) and the directives a bench adds, ready once it
 * answers; and the resident memory of its processes.
 *
 * @module
 */

import { MPMD_DENO_CONFIG, MPMD_ENTRY } from "./contenders.ts";

/** A running mpmd; stopped (SIGTERM) and its directory removed on dispose. */
export interface BenchMpmd extends AsyncDisposable {
  /** The loopback port it listens on. */
  readonly port: number;
  /** The parent's pid. */
  readonly pid: number;
}

/** Resident memory (bytes) of `pid` and every process below it, from /proc. */
export function treeRss(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  let total = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    const children = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/children`).trim();
    if (children !== "") {
      for (const child of children.split(/\s+/)) total += treeRss(Number(child));
    }
  }
  return total;
}

/**
 * Starts mpmd with `directives` (YAML lines) added to the pool's, and waits until it answers.
 *
 * @param prefix The temporary directory's prefix (it holds the config and is the DocumentRoot).
 */
export async function startBenchMpmd(
  prefix: string,
  directives: readonly string[],
): Promise<BenchMpmd> {
  const dir = await Deno.makeTempDir({ prefix });
  const port = (() => {
    using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    return listener.addr.port;
  })();
  await Deno.writeTextFile(
    `${dir}/mpmd.yaml`,
    [
      `Listen: [127.0.0.1:${port}]`,
      `DocumentRoot: ${dir}`,
      "LogLevel: warn",
      ...directives,
      "event:",
      "  StartServers: 1",
      "  ThreadsPerChild: 2",
      "  MinSpareThreads: 1",
      "  MaxSpareThreads: 3",
      "",
    ].join("\n"),
  );
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", MPMD_DENO_CONFIG, MPMD_ENTRY, "-f", `${dir}/mpmd.yaml`],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const stop = async () => {
    server.kill("SIGTERM");
    await server.status;
    await Deno.remove(dir, { recursive: true });
  };
  try {
    for (let attempt = 0;; attempt++) {
      try {
        const signal = AbortSignal.timeout(500);
        await (await fetch(`http://127.0.0.1:${port}/ready`, { signal })).body?.cancel();
        break;
      } catch (error) {
        if (attempt > 200) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, pid: server.pid, [Symbol.asyncDispose]: stop };
}
