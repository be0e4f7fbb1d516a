/**
 * The serving slot: what one isolate (a prefork child's main thread, a Worker, or `-X`'s one
 * process) needs to serve — the site's handler with name-based virtual hosts, the configured
 * HTTP engine (mpmd's or Deno's native one) and the access logs both engines write, the accept
 * loop over the shared listening sockets (or the slot's own reuseport listeners) with the MPM's
 * connection discipline, the scoreboard record of each request, and event's
 * MaxRequestsPerThread gate. It knows no MPM by name and no process layout: the MPM machinery
 * starts slots and tells them how to take connections.
 *
 * @example
 * ```ts
 * import { startSingleSlot } from "./mod.ts";
 * import { createErrorLog, createStderrSink } from "../server/log/mod.ts";
 * import { loadConfig } from "../server/config/readers/mod.ts";
 *
 * const { config } = await loadConfig({ file: null, platformDefaultMpm: "event", installDir: "." });
 * const logger = createErrorLog({ level: "warn", sink: createStderrSink() });
 * const server = await startSingleSlot(config, logger); // as `mpmd -X`
 * await server.shutdown(5_000);
 * ```
 *
 * @module
 */

export { HEARTBEAT_MS } from "./slot.ts";
export type { RetireOptions, Slot, SlotOptions, SlotStart } from "./slot.ts";
export { startSlot } from "./start_slot.ts";
export { type SingleSlot, startSingleSlot } from "./single_slot.ts";
export {
  type ConnectionSource,
  ListenerAcceptor,
  type ListenSource,
  openConnectionSource,
  WOKEN,
} from "./acceptor.ts";
export type { HandshakeReport } from "./tls_hosts.ts";
export {
  createServingEngine,
  listenerUrl,
  type RunningServer,
  type ServingEngine,
  type ServingEngineOptions,
  startServer,
} from "./start_server.ts";
export { createSiteHandler, type Site, type SiteContext } from "./site.ts";
export { createVirtualHostRouter, hostName, VirtualHostTable } from "./virtual_hosts.ts";
export {
  type AccessLogging,
  type AccessLoggingOptions,
  checkHostLogs,
  type HostErrorLogs,
  logFilePaths,
  openAccessLogging,
  openConfiguredLog,
  openHostErrorLogs,
} from "./configured_logs.ts";
export { type IsolateLog, keepStdoutForMessages, openIsolateLog } from "./isolate_log.ts";
