/**
 * What the MPM integration tests share: a real mpmd (parent and children) started from YAML,
 * and views of it from outside — its children and Worker threads in /proc, its scoreboard
 * file — each read with a deadline, never after a guessed sleep.
 *
 * @module
 */

import { eventually } from "../../_deadline.ts";
import { startMpmd, type TestServer } from "../../_server.ts";
import {
  defaultScoreboardPath,
  readScoreboard,
  type ScoreboardDetail,
} from "../../../scoreboard/mod.ts";

export { startMpmd };
export type { TestServer };

/**
 * How long a pool may take to reach a wanted shape: a bound for a loaded 2-core machine, where
 * replacing a child (a new process, its isolates) has taken over 15 s.
 */
export const SHAPE_DEADLINE_MS = 30_000;

/** One child of two threads that may grow: the smallest pool a worker or event test needs. */
export const ONE_CHILD_TWO_THREADS = {
  StartServers: 1,
  ThreadsPerChild: 2,
  MinSpareThreads: 1,
  MaxSpareThreads: 3,
} as const;

/** A config for tests: loopback port 0, the example site, a fast maintenance cycle. */
export function mpmConfig(mpm: string, section: Record<string, number>, extra = ""): string {
  const directives = Object.entries(section).map(([name, value]) => `  ${name}: ${value}`);
  return [
    "Listen: 127.0.0.1:0",
    `MPM: ${mpm}`,
    "LogLevel: info",
    "MaintenanceInterval: 100ms",
    `DocumentRoot: ${new URL("../../../examples/site", import.meta.url).pathname}`,
    extra,
    `${mpm}:`,
    ...directives,
  ].join("\n");
}

/** A test case: an MPM and its section, on mpmd's engine unless it names Deno's native one. */
export interface MpmCase {
  readonly mpm: string;
  readonly section: Record<string, number>;
  readonly engine?: "native";
}

/** The case as test names show it: `event`, or `event on the native engine`. */
export function caseName(c: MpmCase): string {
  return c.engine === undefined ? c.mpm : `${c.mpm} on the ${c.engine} engine`;
}

/** {@link mpmConfig} for the case, with its HttpEngine. */
export function caseConfig(c: MpmCase, extra = ""): string {
  return mpmConfig(
    c.mpm,
    c.section,
    c.engine === undefined ? extra : `HttpEngine: ${c.engine}\n${extra}`,
  );
}

/** Config lines mounting the faulty app (`_fixtures/faulty_app.ts`) on /app. */
export const FAULTY_APP = [
  "App:",
  "  - Location: /app",
  `    Module: ${new URL("./_fixtures/faulty_app.ts", import.meta.url).pathname}`,
].join("\n");

/** The pids of `pid`'s children, from /proc. */
export function childrenOf(pid: number): number[] {
  const text = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim();
  return text === "" ? [] : text.split(/\s+/).map(Number).sort((a, b) => a - b);
}

/** The Worker threads of process `pid`: Deno names their OS threads `worker-N`. */
export function workerThreadsOf(pid: number): number {
  let count = 0;
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    try {
      if (Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/comm`).startsWith("worker-")) {
        count++;
      }
    } catch {
      // The thread ended while we looked.
    }
  }
  return count;
}

/** The server's scoreboard, as any process reads it. */
export function scoreboardOf(server: TestServer): Promise<ScoreboardDetail> {
  return readScoreboard(defaultScoreboardPath(server.pid));
}

/** Waits until the scoreboard satisfies `wanted`, and returns that scoreboard. */
export function scoreboardWhere(
  server: TestServer,
  wanted: (scoreboard: ScoreboardDetail) => boolean,
  what: string,
  ms = SHAPE_DEADLINE_MS,
): Promise<ScoreboardDetail> {
  return eventually(
    async () => {
      const scoreboard = await scoreboardOf(server);
      return wanted(scoreboard) && scoreboard;
    },
    what,
    ms,
  );
}

/** The pids in the scoreboard, ascending. */
export function scoreboardPids(scoreboard: ScoreboardDetail): number[] {
  return scoreboard.processes.map((process) => process.pid).sort((a, b) => a - b);
}

/** GETs `path` with `Connection: close` and returns the status (the body is read). */
export async function getStatus(origin: string, path = "/"): Promise<number> {
  const response = await fetch(`${origin}${path}`, { headers: { connection: "close" } });
  await response.arrayBuffer();
  return response.status;
}
