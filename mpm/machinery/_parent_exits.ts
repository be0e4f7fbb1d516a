/**
 * How the parent's children end, and what it says about ending: httpd's reclaim schedule for a
 * stop, and the startup notice about listeners that reset their queue when they close.
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

/**
 * The startup notice about `net.ipv4.tcp_migrate_req` (null when it is 1, or not Linux): what a
 * closing listener risks, what mpmd does about it, and the sysctl that makes it moot.
 */
export function migrationNotice(
  tcpMigrateReq: boolean | null,
  canSteer: boolean,
): { readonly level: "notice" | "warn"; readonly message: string } | null {
  if (tcpMigrateReq !== false) return null;
  const remedy = "sysctl -w net.ipv4.tcp_migrate_req=1 lets the kernel move them instead";
  return canSteer
    ? {
      level: "notice",
      message: "net.ipv4.tcp_migrate_req is 0: a closing listener resets the connections queued " +
        "on it; mpmd steers new connections away from draining listeners (SO_INCOMING_CPU), and " +
        remedy,
    }
    : {
      level: "warn",
      message: "net.ipv4.tcp_migrate_req is 0 and this kernel cannot steer connections " +
        "(SO_INCOMING_CPU needs Linux 6.1): graceful restarts and recycling under load may reset " +
        `queued connections; ${remedy}`,
    };
}
