/**
 * `-X`: one slot in this process, httpd's ONE_PROCESS debugging mode. It serves like any
 * slot's engine but without the MPM around it (no parent, no children, no accept discipline),
 * and keeps a scoreboard of one slot in memory so that its status page works too.
 *
 * @module
 */

import type { ServerConfig } from "../../server/config/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import { createSiteHandler } from "../../server/site.ts";
import { type RunningServer, startServer } from "../../server/start_server.ts";
import { decodeSoleProcess, EMPTY_LEDGER, ProcessScoreboard } from "../scoreboard/mod.ts";
import { requestRecorder } from "./_request_record.ts";

/**
 * Loads the site's handler and starts serving `config` in this process.
 *
 * @throws {ConfigErrors} when an address cannot be bound or an access log cannot be opened,
 *   or what a module throws while loading.
 */
export async function startSingleSlot(
  config: ServerConfig,
  logger: Logger,
): Promise<RunningServer> {
  const startTimeMs = Date.now();
  const scoreboard = ProcessScoreboard.create({
    pid: Deno.pid,
    generation: 1,
    threadLimit: 1,
    nowMs: startTimeMs,
  });
  const record = scoreboard.slot(0);
  const requests = requestRecorder(record, config);
  const header = {
    generation: 1,
    parentPid: Deno.pid,
    startTimeMs,
    restartTimeMs: startTimeMs,
    ledger: EMPTY_LEDGER,
  };
  let server: RunningServer | null = null;

  const readScoreboard = () => {
    // The engine's own counts stand in for the bookkeeping an MPM slot does per connection:
    // they are read only when the page asks, and cost nothing per request.
    const stats = server!.engine.stats;
    scoreboard.addConnections(stats.connections - scoreboard.connections);
    scoreboard.addKeepAlive(stats.keepAliveIdle - scoreboard.keepAlive);
    record.setState(stats.busy + stats.writing > 0 ? "W" : "_");
    return Promise.resolve(decodeSoleProcess(header, scoreboard.copyRegion(Date.now())));
  };

  const handler = await createSiteHandler(config, { logger, readScoreboard });
  server = startServer(config, {
    logger,
    handler,
    onState: (connection) => {
      if (connection.state === "busy") requests.start(connection);
    },
    onExchange: requests.end,
  });
  record.setState("_");
  return server;
}
