/**
 * A slot on Deno's native HTTP server (`HttpEngine: native`, event only): its own
 * `Deno.serve` per `Listen` address in the reuseport group, so the kernel spreads connections
 * across slots as it does for mpmd's engine, but Deno accepts them all. The slot keeps what
 * the MPM needs of it: its scoreboard record (each request's start, end, bytes and duration),
 * a heartbeat, MaxRequestsPerThread, recycling and graceful retirement.
 *
 * @module
 */

import { startNativeServer } from "../../server/native/mod.ts";
import { requestRecorder } from "./_request_record.ts";
import { openWithFds, requestGate, slotHandler } from "./_slot_parts.ts";
import { HEARTBEAT_MS, type Slot, type SlotOptions } from "./slot.ts";

/** How often a retiring slot looks whether requests have stopped coming. */
const QUIET_CHECK_MS = 50;

/**
 * Loads the site's handler and starts Deno's server on the slot's listeners.
 *
 * @throws {ConfigErrors} when an address cannot be bound or an access log cannot be opened,
 *   or what a module throws while loading.
 */
export async function startNativeSlot(options: SlotOptions): Promise<Slot> {
  const { config, logger, scoreboard } = options;
  const record = scoreboard.slot(options.index);
  record.setState("S");
  const requests = requestRecorder(record, config);
  const handler = await slotHandler(options, requestGate(options));
  let retiring = false;
  let recycled = false;
  let lastRequestMs = 0;

  const { opened: server, fds } = openWithFds(options, () =>
    startNativeServer(config, {
      logger,
      handler,
      reusePort: true,
      serversPerAddress: options.listenersPerAddress,
      onRequest(request) {
        lastRequestMs = request.startedAt;
        requests.start(request);
        // Deno's server shows no connections: MaxConnectionsPerChild counts requests here.
        const counted = scoreboard.countAccepted();
        if (options.maxConnections > 0 && counted === options.maxConnections && !recycled) {
          recycled = true;
          options.onRecycle();
        }
      },
      onExchange(access) {
        requests.end(access);
        // Each request's start wrote `W`; the last one out says the slot is idle (`G` when its
        // process is on its way out, as httpd shows it).
        if (server.inFlight === 0) record.setState(retiring ? "G" : "_");
      },
    }));
  const heartbeat = setInterval(() => record.heartbeat(Date.now()), HEARTBEAT_MS);
  Deno.unrefTimer(heartbeat);
  record.heartbeat(Date.now());
  record.setState("_");

  let listenersClosed!: () => void;
  const closed = new Promise<void>((resolve) => listenersClosed = resolve);

  async function finish(graceMs: number): Promise<void> {
    const stopping = server.shutdown(graceMs);
    listenersClosed();
    await stopping;
    clearInterval(heartbeat);
    record.setState(".");
  }

  return {
    addresses: server.addresses,
    fds,
    listenersClosed: closed,
    async retire(how) {
      retiring = true;
      record.setState("G");
      server.drain();
      // Deno's server cannot hand over what waits in its listener's queue when it closes:
      // keep answering (each answer closing its connection) until no request has come for
      // quietMs, so that the queue is empty once the new generation takes the new ones.
      const retiredAt = Date.now();
      lastRequestMs = retiredAt;
      while (how.quietMs > 0) {
        const now = Date.now();
        if (now - lastRequestMs >= how.quietMs || now - retiredAt >= how.quietLimitMs) break;
        await new Promise((resolve) => setTimeout(resolve, QUIET_CHECK_MS));
      }
      await finish(how.graceMs);
    },
    stop: () => finish(0),
  };
}
