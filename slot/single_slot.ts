/**
 * `-X`: one slot in this process, httpd's ONE_PROCESS debugging mode. It serves like any
 * slot, on the configured engine, but without the MPM around it (no parent, no children, no
 * accept discipline), and keeps a scoreboard of one slot in memory so that its status page
 * works too.
 *
 * @module
 */

import type { ServerConfig } from "../server/config/mod.ts";
import { httpsRefusal } from "./tls_hosts.ts";
import type { ErrorLogger } from "../server/log/mod.ts";
import { createSiteHandler } from "./site.ts";
import type { HttpEngine } from "../server/http/mod.ts";
import { type RunningServer, startServer } from "./start_server.ts";
import { decodeSoleProcess, EMPTY_LEDGER, ProcessScoreboard } from "../scoreboard/mod.ts";
import { requestRecorder } from "./_request_record.ts";

/** `-X`'s server, whichever engine serves it. */
export interface SingleSlot {
  /** The bound addresses (with the real port where the config said 0). */
  readonly addresses: readonly Deno.NetAddr[];
  /**
   * Stops accepting, lets requests in flight finish for up to `graceMs` and closes the access
   * logs; called again with 0 during a graceful stop, it stops waiting.
   */
  shutdown(graceMs: number): Promise<void>;
}

/**
 * Loads the site's handler and starts serving `config` in this process, on the configured
 * engine.
 *
 * @throws {ConfigErrors} when an address cannot be bound or an access log cannot be opened,
 *   or an address is https (`-X` serves plain HTTP only); what a module throws while loading.
 */
export async function startSingleSlot(
  config: ServerConfig,
  logger: ErrorLogger,
): Promise<SingleSlot> {
  const refusal = httpsRefusal(config, "under -X: TLS is served by the MPMs' slots only");
  if (refusal !== null) throw refusal;
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
    mpm: config.mpm,
    ledger: EMPTY_LEDGER,
  };
  // The engine's own counts stand in for the bookkeeping an MPM slot does per connection:
  // they are read only when the page asks, and cost nothing per request.
  let engine: HttpEngine | null = null;
  const readScoreboard = () => {
    const stats = engine?.stats;
    scoreboard.addConnections((stats?.connections ?? 0) - scoreboard.connections);
    scoreboard.addKeepAlive((stats?.keepAliveIdle ?? 0) - scoreboard.keepAlive);
    record.setState(stats !== undefined && stats.busy + stats.writing > 0 ? "W" : "_");
    return Promise.resolve(decodeSoleProcess(header, scoreboard.copyRegion(Date.now())));
  };

  let draining = false;
  const listening = Promise.withResolvers<readonly Deno.NetAddr[]>();
  const site = await createSiteHandler(config, {
    logger,
    readScoreboard,
    draining: () => draining,
    listening: listening.promise,
  });
  let server: RunningServer;
  try {
    server = startServer(config, {
      logger,
      handler: site.handler,
      onState: (connection) => {
        if (connection.state === "busy") requests.start(connection);
      },
      onExchange: requests.end,
    });
  } catch (error) {
    await site.close();
    throw error;
  }
  engine = server.engine;
  listening.resolve(server.addresses);
  record.setState("_");
  return {
    ...server,
    async shutdown(graceMs) {
      draining = true;
      await server.shutdown(graceMs);
      await site.close();
    },
  };
}
