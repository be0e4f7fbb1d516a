/**
 * One serving slot — a prefork child's main thread or one Worker: its own reuseport
 * listeners, its own accept loop, its own HTTP engine, and its scoreboard record. The
 * connection discipline comes from the MPM's topology: a slot holds one connection at a time
 * (prefork, worker, …), or holds requests only and lets idle keep-alive connections wait
 * (event), accepting while its process stays under event's connection limit.
 *
 * @module
 */

import type { ServerConfig } from "../../server/config/mod.ts";
import type { ConnectionView } from "../../server/http/mod.ts";
import { listeningSocketFds } from "../../platform/mod.ts";
import { openListeners } from "../../server/http/open_listeners.ts";
import type { Logger } from "../../server/log/mod.ts";
import { createSiteHandler } from "../../server/site.ts";
import { createServingEngine } from "../../server/start_server.ts";
import { type ProcessScoreboard, readScoreboard } from "../scoreboard/mod.ts";
import type { SlotState } from "../scoreboard_snapshot.ts";
import { Acceptor, QUIET, WOKEN } from "./acceptor.ts";
import { RequestGate } from "./_request_gate.ts";
import { requestRecorder } from "./_request_record.ts";

/**
 * A retiring slot keeps accepting until no connection arrived for this long: longer than a
 * handshake takes, so nothing is still on its way to a listener that is about to close.
 */
export const RETIRE_QUIET_MS = 500;
/**
 * A retiring slot under load closes its listeners after this long even if never quiet:
 * steered, a listener goes quiet within a handshake's time; unsteered, it may never.
 */
export const RETIRE_QUIET_LIMIT_MS = { steered: 30_000, unsteered: 5_000 } as const;

/** How often a slot stamps its heartbeat; RequestTimeout is measured against it. */
export const HEARTBEAT_MS = 250;
/**
 * A slot whose heartbeat is this old gets no new connections (its replacement waits for
 * RequestTimeout): eight missed beats, beyond the pauses of a healthy event loop even on a
 * machine whose cores are all busy (one second was seen to be too short there).
 */
export const AVOID_STUCK_AFTER_MS = 8 * HEARTBEAT_MS;
/** How often an event slot over its process's connection limit looks again. */
const LIMIT_RECHECK_MS = 50;
/** How long an event process stays over its limit before it closes parked connections. */
const STARVED_MS = 1_000;

/** What a slot is started with. */
export interface SlotOptions {
  /** The resolved configuration, as the parent sent it. */
  readonly config: ServerConfig;
  /** This isolate's error log. */
  readonly logger: Logger;
  /** Its process's scoreboard region. */
  readonly scoreboard: ProcessScoreboard;
  /** Its slot index in that region. */
  readonly index: number;
  /** Slots of the process (event's connection limit counts their idle ones). */
  readonly processSlots: number;
  /** Reuseport listeners per `Listen` address (more than one when a generation is small). */
  readonly listenersPerAddress: number;
  /** event's AsyncRequestWorkerFactor, or `null` for one connection at a time. */
  readonly asyncRequestWorkerFactor: number | null;
  /** event's MaxRequestsPerThread: handlers this slot runs at once; 0: no cap. */
  readonly maxRequestsPerThread: number;
  /** The process's MaxConnectionsPerChild (jitter included); 0: never. */
  readonly maxConnections: number;
  /** The scoreboard file: what the status page reads, every process's regions in it. */
  readonly scoreboardPath: string;
  /** Its process's region in the file. */
  readonly processIndex: number;
  /** Called when this slot's accept made the process reach `maxConnections`. */
  readonly onRecycle: () => void;
}

/** How a slot retires. */
export interface RetireOptions {
  /**
   * Keep accepting until no connection arrived for this long, then close the listeners: with
   * the new generation steered to take every new connection, this empties the queue (a
   * reuseport listener that closes resets what waits on it). 0 closes at once.
   */
  readonly quietMs: number;
  /**
   * The listeners close after this long even if connections keep coming: without steering a
   * listener under load is never quiet.
   */
  readonly quietLimitMs: number;
  /** How long requests in flight may take after the listeners closed; Infinity: no limit. */
  readonly graceMs: number;
}

/** One listening socket of a slot, as the OS numbers it: what steering pins to a CPU. */
export interface ListenerFd {
  /** The port it listens on. */
  readonly port: number;
  /** Its file descriptor in this process (every thread shares the table). */
  readonly fd: number;
}

/** A running slot. */
export interface Slot {
  /** Its listeners' addresses, the first listener of each `Listen` address. */
  readonly addresses: readonly Deno.NetAddr[];
  /** Its listening sockets (none where the OS does not show them, outside Linux). */
  readonly fds: readonly ListenerFd[];
  /** Resolves once its listeners are closed (retired or stopped). */
  readonly listenersClosed: Promise<void>;
  /** Graceful exit: answers what it has and what its queue still holds, then closes. */
  retire(options: RetireOptions): Promise<void>;
  /** Hard exit: closes listeners and aborts every connection. */
  stop(): Promise<void>;
}

/**
 * Loads the site's handler, opens the slot's listeners and starts its accept loop.
 *
 * @throws {ConfigErrors} when an address cannot be bound or an access log cannot be opened,
 *   or what a module throws while loading.
 */
export async function startSlot(options: SlotOptions): Promise<Slot> {
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

  const gate = async && options.maxRequestsPerThread > 0
    ? new RequestGate(options.maxRequestsPerThread, () => scoreboard.signalRoom())
    : null;
  const siteHandler = await createSiteHandler(config, {
    logger,
    // The own process as it is now: the request asking is busy in it, as httpd's page shows.
    readScoreboard: () =>
      readScoreboard(options.scoreboardPath, {
        index: options.processIndex,
        region: scoreboard.copyRegion(Date.now()),
      }),
  });
  const handler = gate === null ? siteHandler : gate.wrap(siteHandler);
  const { engine, closeLogs } = createServingEngine(config, {
    logger,
    handler,
    onState,
    onExchange: requests.end,
  });
  let listeners: Deno.TcpListener[];
  let fds: ListenerFd[];
  try {
    ({ listeners, fds } = scoreboard.withListenLock(() => {
      const before = listenerFds(config);
      const opened = Array.from(
        { length: options.listenersPerAddress },
        () => openListeners(config.listen, { reusePort: true }),
      ).flat();
      const others = new Set(before.map((entry) => entry.fd));
      return {
        listeners: opened,
        fds: listenerFds(config).filter((entry) => !others.has(entry.fd)),
      };
    }));
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

/**
 * The process's listening sockets on the config's ports; empty where /proc cannot tell (the
 * steering they serve exists only on Linux).
 */
function listenerFds(config: ServerConfig): ListenerFd[] {
  const ports = [...new Set(config.listen.map((address) => address.port))];
  try {
    return ports.flatMap((port) => listeningSocketFds(port).map((fd) => ({ port, fd })));
  } catch {
    return [];
  }
}
