/**
 * What every slot builds the same way whichever engine serves it: its site handler, with the
 * status page reading its own process live, and event's MaxRequestsPerThread gate around it.
 *
 * @module
 */

import { createSiteHandler, type Site } from "./site.ts";
import { readScoreboard } from "../scoreboard/mod.ts";
import { RequestGate } from "./_request_gate.ts";
import type { SlotOptions } from "./slot.ts";

/** event's MaxRequestsPerThread gate for a slot, or `null` when there is no cap. */
export function requestGate(options: SlotOptions): RequestGate | null {
  const { scoreboard, discipline } = options;
  return discipline.kind === "requests" && discipline.maxRequestsPerThread > 0
    ? new RequestGate(discipline.maxRequestsPerThread, {
      onRoom: () => scoreboard.signalRoom(),
      onFull: (full) => scoreboard.addFullSlots(full ? 1 : -1),
    })
    : null;
}

/**
 * The slot's site, its handler behind `gate`; `draining` says whether the slot retires,
 * `listening` resolves once it accepts.
 *
 * @throws {ConfigErrors} when a virtual host's ErrorLog cannot be opened; what a module throws
 *   while loading (an app module that cannot be imported).
 */
export async function slotHandler(
  options: SlotOptions,
  gate: RequestGate | null,
  draining: () => boolean,
  listening: Promise<readonly Deno.NetAddr[]>,
): Promise<Site> {
  const { scoreboard } = options;
  const site = await createSiteHandler(options.config, {
    logger: options.logger,
    // The own process as it is now: the request asking is busy in it, as httpd's page shows.
    readScoreboard: () =>
      readScoreboard(options.scoreboardPath, {
        index: options.processIndex,
        region: scoreboard.copyRegion(Date.now()),
      }),
    draining,
    listening,
  });
  return gate === null ? site : { ...site, handler: gate.wrap(site.handler) };
}
