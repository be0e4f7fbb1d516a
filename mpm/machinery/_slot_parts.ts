/**
 * What every slot builds the same way whichever engine serves it: its site handler (with the
 * status page reading its own process live, and event's MaxRequestsPerThread gate around it)
 * and the listening sockets it opened, as steering needs them.
 *
 * @module
 */

import type { ServerConfig } from "../../server/config/mod.ts";
import type { Handler } from "../../server/http/mod.ts";
import { listeningSocketFds } from "../../platform/mod.ts";
import { createSiteHandler } from "../../server/site.ts";
import { readScoreboard } from "../scoreboard/mod.ts";
import { RequestGate } from "./_request_gate.ts";
import type { ListenerFd, SlotOptions } from "./slot.ts";

/** event's MaxRequestsPerThread gate for a slot, or `null` when there is no cap. */
export function requestGate(options: SlotOptions): RequestGate | null {
  const { scoreboard, maxRequestsPerThread } = options;
  return maxRequestsPerThread > 0
    ? new RequestGate(maxRequestsPerThread, () => scoreboard.signalRoom())
    : null;
}

/**
 * The slot's site handler behind `gate`.
 *
 * @throws what a module throws while loading (an app module that cannot be imported).
 */
export async function slotHandler(
  options: SlotOptions,
  gate: RequestGate | null,
): Promise<Handler> {
  const { scoreboard } = options;
  const siteHandler = await createSiteHandler(options.config, {
    logger: options.logger,
    // The own process as it is now: the request asking is busy in it, as httpd's page shows.
    readScoreboard: () =>
      readScoreboard(options.scoreboardPath, {
        index: options.processIndex,
        region: scoreboard.copyRegion(Date.now()),
      }),
  });
  return gate === null ? siteHandler : gate.wrap(siteHandler);
}

/**
 * What `open` bound: it runs under the process's listen lock, and the sockets on the config's
 * ports that appeared meanwhile are this slot's (none where /proc cannot tell: the steering
 * they serve exists only on Linux).
 */
export function openWithFds<T>(
  options: SlotOptions,
  open: () => T,
): { readonly opened: T; readonly fds: ListenerFd[] } {
  return options.scoreboard.withListenLock(() => {
    const before = listenerFds(options.config);
    const opened = open();
    const others = new Set(before.map((entry) => entry.fd));
    return { opened, fds: listenerFds(options.config).filter((entry) => !others.has(entry.fd)) };
  });
}

/** The process's listening sockets on the config's ports; empty where /proc cannot tell. */
function listenerFds(config: ServerConfig): ListenerFd[] {
  const ports = [...new Set(config.listen.map((address) => address.port))];
  try {
    return ports.flatMap((port) => listeningSocketFds(port).map((fd) => ({ port, fd })));
  } catch {
    return [];
  }
}
