/**
 * A slot on mpmd's own HTTP engine: its own accept loop over its listeners, so the connection
 * discipline is the MPM's. A slot holds one connection at a time (prefork, worker, …), or
 * holds requests only and lets idle keep-alive connections wait (event), accepting while its
 * process stays under event's connection limit.
 *
 * @module
 */

import type { ConnectionView } from "../../server/http/mod.ts";
import { openListeners } from "../../server/http/open_listeners.ts";
import { createServingEngine } from "../../server/start_server.ts";
import type { SlotState } from "../scoreboard_snapshot.ts";
import { Acceptor, QUIET, WOKEN } from "./acceptor.ts";
import { requestRecorder } from "./_request_record.ts";
import { openWithFds, requestGate, slotHandler } from "./_slot_parts.ts";
import {
  HEARTBEAT_MS,
  type ListenerFd,
  type RetireOptions,
  type Slot,
  type SlotOptions,
} from "./slot.ts";

/** How often an event slot over its process's connection limit looks again. */
const LIMIT_RECHECK_MS = 50;
/** How long an event process stays over its limit before it closes parked connections. */
const STARVED_MS = 1_000;

/**
 * Loads the site's handler, opens the slot's listeners and starts its accept loop.
 *
 * @throws {ConfigErrors} when an address cannot be bound or an access log cannot be opened,
 *   or what a module throws while loading.
 */
export async function startEngineSlot(options: SlotOptions): Promise<Slot> {
  const { config, logger, scoreboard, processSlots } = options;
  const record = scoreboard.slot(options.index);
  record.setState("S");
  const async = options.asyncRequestWorkerFactor !== null;
  const factor = options.asyncRequestWorkerFactor ?? 0;
  const requests = requestRecorder(record, config);
  const keptAlive = new Set<number>();

  const onState = (connection: ConnectionView) => {
    const { state } = connection;
    if (state === "keepalive") {
      keptAlive.add(connection.id);
      scoreboard.addKeepAlive(1);
    } else if (keptAlive.delete(connection.id)) {
      scoreboard.addKeepAlive(-1);
    }
    if (state === "busy") requests.start(connection);
    if (state === "closed") scoreboard.addConnections(-1);
    if (async && (state === "closed" || state === "keepalive")) scoreboard.signalRoom();
    if (state === "busy") return;
    let letter = SLOT_LETTER[state];
    if (async) letter = engine.stats.busy + engine.stats.writing > 0 ? "W" : "_";
    // An idle slot of a retiring process shows it is on its way out, as httpd's `G`.
    record.setState(letter === "_" && retiring !== null ? "G" : letter);
  };

  const gate = async ? requestGate(options) : null;
  const handler = await slotHandler(options, gate);
  const { engine, closeLogs } = createServingEngine(config, {
    logger,
    handler,
    onState,
    onExchange: requests.end,
  });
  let listeners: Deno.TcpListener[];
  let fds: ListenerFd[];
  try {
    ({ opened: listeners, fds } = openWithFds(options, () =>
      Array.from(
        { length: options.listenersPerAddress },
        () => openListeners(config.listen, { reusePort: true }),
      ).flat()));
  } catch (error) {
    void closeLogs();
    throw error;
  }
  const addresses = listeners.slice(0, config.listen.length).map((listener) => listener.addr);
  const acceptor = new Acceptor(listeners, logger);
  const heartbeat = setInterval(() => record.heartbeat(Date.now()), HEARTBEAT_MS);
  Deno.unrefTimer(heartbeat);
  record.heartbeat(Date.now());
  record.setState("_");

  let retiring = null as RetireOptions | null;
  let recycled = false;

  // event's limit (httpd: ThreadsPerChild + AsyncRequestWorkerFactor × idle threads) counts
  // the connections that need a thread: a parked keep-alive connection costs a few KiB here,
  // not a thread, so it does not keep new clients out.
  const overLimit = () =>
    scoreboard.connections - scoreboard.keepAlive >=
      processSlots + factor * scoreboard.idleSlots(processSlots);
  // MaxRequestsPerThread: a full thread leaves new connections to the other listeners.
  const mustWait = () => overLimit() || gate?.full === true;

  async function waitForRoom(): Promise<void> {
    scoreboard.setFlags({ notAccepting: true });
    const since = Date.now();
    while (mustWait() && !acceptor.closed) {
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

  let listenersClosed!: () => void;
  const closed = new Promise<void>((resolve) => listenersClosed = resolve);

  let retiredAt = 0;
  const loop = (async () => {
    for (;;) {
      let quietMs: number | undefined;
      if (retiring !== null) {
        const left = retiredAt + retiring.quietLimitMs - Date.now();
        if (left <= 0) break;
        quietMs = Math.min(retiring.quietMs, left);
      }
      const next = await acceptor.next(quietMs);
      if (next === WOKEN) continue;
      if (next === null || next === QUIET) break;
      await serve(next);
    }
    const late = await acceptor.close();
    listenersClosed();
    for (const conn of late) void serve(conn);
  })();

  async function finish(graceMs: number): Promise<void> {
    await loop;
    await engine.shutdown({ graceMs });
    clearInterval(heartbeat);
    record.setState(".");
    await closeLogs();
  }

  return {
    addresses,
    fds,
    listenersClosed: closed,
    retire(how) {
      retiring = how;
      retiredAt = Date.now();
      record.setState("G");
      engine.drain();
      if (how.quietMs === 0) void acceptor.close();
      else acceptor.wake();
      return finish(how.graceMs);
    },
    stop() {
      void acceptor.close();
      return finish(0);
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
};
