/**
 * How the parent's children end when it stops: httpd's reclaim schedule.
 *
 * @module
 */

import type { ChildHandle } from "../../platform/mod.ts";
import type { Logger } from "../../server/log/mod.ts";

/** httpd's reclaim_child_processes(): SIGTERM again at these times, SIGKILL at the last. */
const RECLAIM_SCHEDULE_MS = [3_000, 5_000, 7_000] as const;
const RECLAIM_KILL_MS = 9_000;

/**
 * Stops `children`: SIGTERM now and again at 3, 5 and 7 s, SIGKILL at 9 s to any still there
 * (logged); resolves once every one has exited.
 */
export async function reclaimChildren(
  children: readonly { readonly pid: number; readonly handle: ChildHandle }[],
  logger: Logger,
): Promise<void> {
  const terminate = () => {
    for (const child of children) child.handle.kill("SIGTERM");
  };
  terminate();
  const timers = [
    ...RECLAIM_SCHEDULE_MS.map((ms) => setTimeout(terminate, ms)),
    setTimeout(() => {
      for (const child of children) {
        if (child.handle.kill("SIGKILL")) {
          logger.error(`child pid ${child.pid} still did not exit, sending a SIGKILL`);
        }
      }
    }, RECLAIM_KILL_MS),
  ];
  await Promise.all(children.map((child) => child.handle.status));
  for (const timer of timers) clearTimeout(timer);
}
