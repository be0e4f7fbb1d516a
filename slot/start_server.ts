/**
 * The configured HTTP engine (mpmd's own, or Deno's native server) with each host's access
 * logs, and one serving slot over it that binds the `Listen` addresses itself: what `mpmd -X`
 * runs. Under an MPM each slot accepts for its engine instead.
 *
 * @module
 */

import { openAccessLogging } from "./configured_logs.ts";
import {
  type ConnectionView,
  createHttpEngine,
  formatAddress,
  type Handler,
  type HttpEngine,
  openListeners,
} from "../server/http/mod.ts";
import type { AccessRecord, Endpoint, Logger } from "../server/log/mod.ts";
import { VirtualHostTable } from "./virtual_hosts.ts";
import type { ListenProtocol, ServerConfig } from "../server/config/mod.ts";
import { createH2Engine, createNativeEngine } from "../server/native/mod.ts";
import { routeByAlpn } from "./alpn_engines.ts";

/** A serving slot. */
export interface RunningServer {
  /** The bound addresses (with the real port where the config said 0). */
  readonly addresses: readonly Deno.NetAddr[];
  /** The engine serving its connections (its `stats` count them). */
  readonly engine: HttpEngine;
  /**
   * Stops accepting, lets requests in flight finish for up to `graceMs` (then aborts them),
   * and flushes and closes the access logs. Called again with 0 during a graceful stop, it
   * aborts what is left and resolves once the logs are closed.
   */
  shutdown(graceMs: number): Promise<void>;
}

/** Options of {@link createServingEngine}. */
export interface ServingEngineOptions {
  /** The slot's error log. */
  readonly logger: Logger;
  /** Answers every request (usually the site handler). */
  readonly handler: Handler;
  /** Called on each connection state change (an MPM slot updates its scoreboard record). */
  readonly onState?: (connection: ConnectionView) => void;
  /** Called once per finished exchange, after the access logs are written. */
  readonly onExchange?: (record: AccessRecord) => void;
}

/** An engine and the access logs it writes. */
export interface ServingEngine {
  /** The engine, mpmd's own or Deno's native one as HttpEngine says. */
  readonly engine: HttpEngine;
  /** Flushes and closes the access logs. */
  closeLogs(): Promise<void>;
}

/**
 * Creates the HTTP engine `config` names (HttpEngine), configured from it, that writes each
 * host's access logs; the caller feeds it connections (an MPM slot runs its own accept
 * discipline).
 *
 * @throws {ConfigErrors} when an access log cannot be opened.
 */
export function createServingEngine(
  config: ServerConfig,
  options: ServingEngineOptions,
): ServingEngine {
  const { logger, handler } = options;
  const hosts = new VirtualHostTable(config.hosts);
  const { onExchange, closeLogs } = openAccessLogging(config, logger, {
    hosts,
    ...(options.onExchange !== undefined && { then: options.onExchange }),
  });
  const hooks = {
    ...(onExchange !== undefined && { onExchange }),
    ...(options.onState !== undefined && { onState: options.onState }),
    serverNameOf: (local: Endpoint, host: string) => hosts.hostOf(local, host).serverName,
  };
  try {
    const engine = config.httpEngine === "native"
      ? createNativeEngine(config, { logger, handler, ...hooks })
      : createHttpEngine({
        ...config,
        handler,
        logger: logger.withModule("http"),
        ...hooks,
      });
    if (!offersH2(config)) return { engine, closeLogs };
    return {
      engine: routeByAlpn({
        http1: engine,
        h2: createH2Engine(config, { logger, handler, ...hooks }),
        handshakeMs: config.requestReadTimeout.header.initialMs,
      }),
      closeLogs,
    };
  } catch (error) {
    void closeLogs();
    throw error;
  }
}

/** Whether some host may choose HTTP/2 by ALPN: an https address, and h2 in its Protocols. */
function offersH2(config: ServerConfig): boolean {
  return config.listen.some((address) => address.protocol === "https") &&
    config.hosts.some((host) => host.protocols.includes("h2"));
}

/**
 * Binds the listeners and starts serving.
 *
 * @throws {ConfigErrors} when an address cannot be bound (naming its `Listen` line) or an
 *   access log cannot be opened.
 */
export function startServer(config: ServerConfig, options: ServingEngineOptions): RunningServer {
  const { engine, closeLogs } = createServingEngine(config, options);
  let listeners: Deno.TcpListener[];
  try {
    listeners = openListeners(config.listen);
  } catch (error) {
    void closeLogs();
    throw error;
  }
  const serving = Promise.all(listeners.map((listener) => engine.serve(listener)));
  return {
    addresses: listeners.map((listener) => listener.addr),
    engine,
    async shutdown(graceMs) {
      await engine.shutdown({ graceMs });
      await serving;
      await closeLogs();
    },
  };
}

/** The URL a person would type for a bound address (`0.0.0.0` shown as bound). */
export function listenerUrl(address: Deno.NetAddr, protocol: ListenProtocol = "http"): string {
  return `${protocol}://${formatAddress(address)}/`;
}
