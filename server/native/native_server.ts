/**
 * Deno's built-in HTTP server (`Deno.serve`: hyper, in Rust) as mpmd's second engine
 * (`HttpEngine: native`). It answers with the same site handler and writes the same access
 * records as mpmd's own engine; what it cannot do is the MPM's part of a connection: it
 * takes every connection its listener is handed, keeps its own limits and timeouts, and shows
 * no connection states. An app's `Response` goes out as the app made it, so an app answers
 * as fast here as under `deno serve`.
 *
 * @module
 */

// The files, not the folders' mod.ts: every Worker loads this module, and must not load the
// config readers (the YAML parser) with it.
import type { ServerConfig } from "../config/server_config.ts";
import type { AccessRecord } from "../http/access_record.ts";
import { errorResponse } from "../http/error_response.ts";
import type { Handler } from "../http/handler.ts";
import { bindEach } from "../http/open_listeners.ts";
import type { Endpoint } from "../http/server_request.ts";
import type { ServerResponse } from "../http/server_response.ts";
import type { Logger } from "../log/logger.ts";
import { openAccessLogging } from "../configured_logs.ts";
import { serverBanner } from "../version.ts";
import { refuseDeclaredTooLarge } from "./native_request.ts";
import { nativeResponse } from "./native_response.ts";
import { NativeExchange } from "./_native_exchange.ts";

/** Options of {@link startNativeServer}. */
export interface NativeServerOptions {
  /** The slot's error log. */
  readonly logger: Logger;
  /** Answers every request (the site handler); `null` means 404. */
  readonly handler: Handler;
  /**
   * Join each address's `SO_REUSEPORT` group (one server per slot).
   * @default false
   */
  readonly reusePort?: boolean;
  /**
   * Servers per `Listen` address (more than one when a generation is small).
   * @default 1
   */
  readonly serversPerAddress?: number;
  /** Called as each request's handler starts. */
  readonly onRequest?: (
    request: Pick<AccessRecord, "requestLine" | "remote" | "startedAt">,
  ) => void;
  /** Called once per finished exchange, after the access logs are written. */
  readonly onExchange?: (record: AccessRecord) => void;
}

/** A running native engine. */
export interface NativeServer {
  /** The bound addresses, the first server of each `Listen` address. */
  readonly addresses: readonly Deno.NetAddr[];
  /** Requests whose answer is not completely sent yet. */
  readonly inFlight: number;
  /** From now on every answer asks its client to close the connection. */
  drain(): void;
  /**
   * Stops accepting, lets answers in flight finish for up to `graceMs` (Infinity: no limit)
   * and closes the access logs. Deno's server cannot abort what is left: the slot's isolate
   * ends it.
   */
  shutdown(graceMs: number): Promise<void>;
}

/**
 * Binds the `Listen` addresses with `Deno.serve` and answers with `options.handler`.
 *
 * @throws {ConfigErrors} when an address cannot be bound (naming its `Listen` line) or an
 *   access log cannot be opened.
 */
export function startNativeServer(
  config: ServerConfig,
  options: NativeServerOptions,
): NativeServer {
  const { handler } = options;
  const logger = options.logger.withModule("http");
  const { onExchange, closeLogs } = openAccessLogging(config, options.logger, options.onExchange);
  const banner = serverBanner(config.serverTokens);
  const serverName = config.hosts[0].serverName;
  const limitBodyBytes = config.limitRequestBodyBytes;
  let closing = !config.keepAlive;
  let inFlight = 0;

  const answer = (
    local: Endpoint,
    request: Request,
    info: Deno.ServeHandlerInfo,
  ): Response | Promise<Response> => {
    inFlight++;
    const exchange = new NativeExchange(request, info, local, limitBodyBytes, serverName);
    options.onRequest?.(exchange);
    let result: ReturnType<Handler>;
    try {
      refuseDeclaredTooLarge(request, limitBodyBytes);
      result = handler(exchange.request);
    } catch (error) {
      return send(exchange, exchange.failed(error, logger), info);
    }
    // An answer given at once goes back at once: Deno sends a Response it is handed sooner
    // than one it has to wait for.
    if (!(result instanceof Promise)) return send(exchange, result ?? errorResponse(404), info);
    return result.then(
      (response) => send(exchange, response ?? errorResponse(404), info),
      (error) => send(exchange, exchange.failed(error, logger), info),
    );
  };
  const send = (
    exchange: NativeExchange,
    response: ServerResponse,
    info: Deno.ServeHandlerInfo,
  ): Response => {
    const how = { method: exchange.method, closing, banner };
    let sending: Response;
    try {
      sending = nativeResponse(response, how, exchange.sent);
    } catch (error) {
      // A field the Fetch standard refuses (a bad name or value from a handler).
      response = exchange.failed(error, logger);
      sending = nativeResponse(response, how, exchange.sent);
    }
    exchange.answered(response, sending.status, how.closing);
    info.completed.then(() => finish(exchange, "done"), () => finish(exchange, "aborted"));
    return sending;
  };
  const finish = (exchange: NativeExchange, end: "done" | "aborted") => {
    inFlight--;
    exchange.finished(end);
    onExchange?.(exchange);
  };

  let servers: Deno.HttpServer<Deno.NetAddr>[];
  try {
    servers = Array.from({ length: options.serversPerAddress ?? 1 }, () =>
      bindEach(
        config.listen,
        (address) => {
          let local: Endpoint = address;
          const server = Deno.serve({
            hostname: address.hostname,
            port: address.port,
            reusePort: options.reusePort ?? false,
            onListen() {},
          }, (request, info) => answer(local, request, info));
          local = { hostname: server.addr.hostname, port: server.addr.port };
          return server;
        },
        (server) => void server.shutdown(),
      )).flat();
  } catch (error) {
    void closeLogs();
    throw error;
  }
  // A `Listen` port of 0 is bound to a fresh port: requests arrive on the real one.
  const addresses = servers.slice(0, config.listen.length).map((server) => server.addr);
  let stopped: Promise<unknown> | null = null;
  let logsClosed: Promise<void> | null = null;
  return {
    addresses,
    get inFlight() {
      return inFlight;
    },
    drain() {
      closing = true;
    },
    async shutdown(graceMs) {
      closing = true;
      stopped ??= Promise.all(servers.map((server) => server.shutdown()));
      if (Number.isFinite(graceMs)) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise((resolve) => timer = setTimeout(resolve, graceMs));
        await Promise.race([stopped, late]);
        clearTimeout(timer);
      } else {
        await stopped;
      }
      await (logsClosed ??= closeLogs());
    },
  };
}
