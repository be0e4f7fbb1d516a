/**
 * A slot: the configured HTTP engine (mpmd's own or Deno's native server, behind one face)
 * fed by the slot's own accept loop, so that the connection discipline is the MPM's. A slot
 * holds one connection at a time (prefork, worker, …), or holds requests only and lets idle
 * keep-alive connections wait (event), accepting while its process stays under event's
 * connection limit.
 *
 * @module
 */

import type { ConnectionView } from "../server/http/mod.ts";
import { createServingEngine, type ServingEngine } from "./start_server.ts";
import { type ConnectionSource, openConnectionSource, WOKEN } from "./acceptor.ts";
import { requestRecorder } from "./_request_record.ts";
import { requestGate, slotHandler } from "./_slot_parts.ts";
import { HEARTBEAT_MS, type Slot, type SlotOptions } from "./slot.ts";
import { overConnectionLimit } from "../mpm/mod.ts";
import type { SlotState } from "../scoreboard/mod.ts";

/** How often an event slot over its process's connection limit looks again. */
const LIMIT_RECHECK_MS = 50;
/** How long an event process stays over its limit before it closes parked connections. */
const STARVED_MS = 1_000;

/**
 * Loads the site's handler, creates the engine, opens the slot's source of connections and
 * starts its accept loop.
 *
 * @throws {ConfigErrors} when an address cannot be bound or an access log cannot be opened,
 *   or what a module throws while loading.
 */
export async function startSlot(options: SlotOptions): Promise<Slot> {
  const { config, logger, scoreboard, processSlots } = options;
  const record = scoreboard.slot(options.index);
  record.setState("S");
  const { discipline } = options;
  const async = discipline.kind === "requests";
  const requests = requestRecorder(record, config);
  const keptAlive = new Set<number>();
  const reading = new Set<number>();
  const tunnelling = new Set<number>();
  let ending = false;
  let retiring = false;

  const onState = (connection: ConnectionView) => {
    const { state } = connection;
    if (state === "keepalive") {
      keptAlive.add(connection.id);
      scoreboard.addKeepAlive(1);
    } else if (keptAlive.delete(connection.id)) {
      scoreboard.addKeepAlive(-1);
    }
    let doneReading = false;
    if (state === "read") {
      if (!reading.has(connection.id)) scoreboard.addReading(1);
      reading.add(connection.id);
    } else if (reading.delete(connection.id)) {
      scoreboard.addReading(-1);
      doneReading = true;
    }
    if (state === "tunnel") {
      tunnelling.add(connection.id);
      scoreboard.addTunnels(1);
    } else if (tunnelling.delete(connection.id)) {
      scoreboard.addTunnels(-1);
    }
    if (state === "busy") requests.start(connection);
    if (state === "closed") scoreboard.addConnections(-1);
    // A connection that stops needing a thread makes room under event's limit.
    if (
      async && (doneReading || state === "closed" || state === "keepalive" || state === "tunnel")
    ) {
      scoreboard.signalRoom();
    }
    if (state === "busy") return;
    let letter = SLOT_LETTER[state];
    if (async) letter = engine.stats.busy + engine.stats.writing > 0 ? "W" : "_";
    // An idle slot of a retiring process shows it is on its way out, as httpd's `G`.
    record.setState(letter === "_" && retiring ? "G" : letter);
  };

  const gate = async ? requestGate(options) : null;
  const listening = Promise.withResolvers<readonly Deno.NetAddr[]>();
  const site = await slotHandler(options, gate, () => retiring, listening.promise);
  let serving: ServingEngine;
  try {
    serving = createServingEngine(config, {
      logger,
      handler: site.handler,
      onState,
      onExchange: requests.end,
    });
  } catch (error) {
    void site.close();
    throw error;
  }
  const { engine } = serving;
  const closeLogs = async () => {
    await serving.closeLogs();
    await site.close();
  };
  let source: ConnectionSource;
  try {
    source = await openConnectionSource(options.listen, config, { logger, record });
  } catch (error) {
    void closeLogs();
    throw error;
  }
  listening.resolve(
    config.listen.map(({ hostname, port }) => ({ transport: "tcp", hostname, port })),
  );
  const heartbeat = setInterval(() => record.heartbeat(Date.now()), HEARTBEAT_MS);
  Deno.unrefTimer(heartbeat);
  record.heartbeat(Date.now());
  record.setState("_");

  let recycled = false;

  const overLimit = () =>
    overConnectionLimit(discipline, {
      connections: scoreboard.connections,
      keepAlive: scoreboard.keepAlive,
      reading: scoreboard.reading,
      tunnels: scoreboard.tunnels,
      slots: processSlots,
      idleSlots: processSlots - scoreboard.fullSlots,
    });
  // MaxRequestsPerThread: a full thread leaves new connections to the other slots.
  const mustWait = () => overLimit() || gate?.full === true;

  async function waitForRoom(): Promise<void> {
    scoreboard.setFlags({ notAccepting: true });
    const since = Date.now();
    while (mustWait() && !ending) {
      // Clients have waited long: as httpd's event when its workers stay busy, close the
      // parked connections so that their clients come back through another process.
      if (Date.now() - since >= STARVED_MS) engine.closeIdle();
      await scoreboard.waitForRoom(LIMIT_RECHECK_MS);
    }
    scoreboard.setFlags({ notAccepting: false });
  }

  async function serve(conn: Deno.Conn): Promise<void> {
    scoreboard.addConnections(1);
    const accepted = scoreboard.countAccepted();
    if (options.maxConnections > 0 && accepted === options.maxConnections && !recycled) {
      recycled = true;
      options.onRecycle();
    }
    const served = engine.handleConnection(conn);
    if (!async) return await served;
    if (mustWait()) await waitForRoom();
  }

  const loop = (async () => {
    while (!ending) {
      const next = await source.next();
      if (next === null) break;
      if (next !== WOKEN) await serve(next);
    }
    // What the kernel handed over as the source closed is answered too, each with
    // `Connection: close`: a connection accepted is never dropped.
    for (const conn of await source.close()) void serve(conn);
  })();

  /** Stops the accept loop; the engine serves on. */
  function stopAccepting(): void {
    ending = true;
    source.wake();
  }

  async function ended(): Promise<void> {
    clearInterval(heartbeat);
    record.setState(".");
    await closeLogs();
  }

  return {
    async retire(how) {
      retiring = true;
      record.setState("G");
      engine.drain();
      stopAccepting();
      // The grace counts from now, also while the loop still awaits a one-connection slot's
      // connection (drained, it closes after its next answer).
      const graceOver = Number.isFinite(how.graceMs)
        ? setTimeout(() => void engine.shutdown({ graceMs: 0 }), how.graceMs)
        : undefined;
      // A graceful restart waits for requests however long they take, as httpd's; a tunnel
      // need not end by itself, so GracefulShutdownTimeout (when set) bounds it there too.
      const tunnelGraceMs = config.gracefulShutdownTimeoutMs;
      const tunnelsOver = tunnelGraceMs > 0 && tunnelGraceMs < how.graceMs
        ? setTimeout(() => engine.closeTunnels(), tunnelGraceMs)
        : undefined;
      await loop;
      await engine.shutdown();
      clearTimeout(graceOver);
      clearTimeout(tunnelsOver);
      await ended();
    },
    async stop() {
      stopAccepting();
      // The engine first: what it aborts includes the connection the loop may be awaiting.
      const shutDown = engine.shutdown({ graceMs: 0 });
      await loop;
      await shutDown;
      await ended();
    },
  };
}

/** The scoreboard letter of a one-connection slot, by its connection's state. */
const SLOT_LETTER: Readonly<Record<ConnectionView["state"], SlotState>> = {
  read: "R",
  busy: "W",
  write: "W",
  keepalive: "K",
  closing: "C",
  closed: "_",
  // httpd shows a slot that tunnels as sending its reply.
  tunnel: "W",
};
