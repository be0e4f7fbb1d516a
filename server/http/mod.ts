/**
 * mpmd's HTTP/1.1 engine on `Deno.listen`: a strict, smuggling-proof request parser, request
 * bodies (Content-Length and chunked, 100-continue, LimitRequestBody), response
 * serialisation with httpd's `Date`/`Server`/`Keep-Alive` fields, keep-alive and
 * pipelining, mod_reqtimeout-style read limits enforced by one sweeper, lingering close,
 * and an adapter to web-standard `Request`/`Response` for application handlers; for mpmd's
 * client side (the reverse proxy), the head scanner, a response-head parser and the chunked
 * decoder.
 *
 * @example Serve a fixed response and an app on one port
 * ```ts
 * import { createHttpEngine, fetchHandler } from "./mod.ts";
 * import { createErrorLog, createStderrSink } from "../log/mod.ts";
 *
 * const app = fetchHandler((request) => Response.json({ path: new URL(request.url).pathname }));
 * const hello = new TextEncoder().encode("hello\n");
 * const engine = createHttpEngine({
 *   logger: createErrorLog({ level: "warn", sink: createStderrSink() }),
 *   keepAliveTimeoutMs: 5_000,
 *   handler: (request) =>
 *     request.path === "/hello"
 *       ? { status: 200, headers: [["Content-Type", "text/plain"]], body: hello }
 *       : app(request),
 * });
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 8080 });
 * const serving = engine.serve(listener);
 * // later, e.g. on SIGTERM:
 * await engine.shutdown({ graceMs: 5_000 });
 * await serving;
 * ```
 *
 * @module
 */

export type { Handler } from "./handler.ts";
export { HttpError, methodRefusal } from "./http_error.ts";
export { HTTP2_VERSION, HTTP_VERSIONS } from "./server_request.ts";
export type {
  EngineRequest,
  HttpVersion,
  RequestBody,
  RequestFields,
  ServerRequest,
  WebRequest,
} from "./server_request.ts";
export type {
  FieldsResponse,
  ResponseBody,
  ResponseHeaders,
  ServerResponse,
  UpgradedConnection,
  UpgradeResponse,
  WebResponse,
} from "./server_response.ts";
export { createHttpEngine } from "./engine.ts";
export {
  acceptTls,
  type HandshakeOutcome,
  type TlsAcceptOptions,
  TlsConnection,
} from "./tls_connection.ts";
export { handshakeFailureOf } from "./handshake_failure.ts";
export type { EngineStats, HttpEngine, ShutdownOptions } from "./engine.ts";
export { CONNECTION_STATES, DEFAULT_ENGINE_SETTINGS } from "./engine_options.ts";
export type {
  ConnectionState,
  ConnectionView,
  EngineSettings,
  HttpEngineOptions,
  ServerNameOf,
} from "./engine_options.ts";
export { fetchHandler, fromResponse, toRequest } from "./fetch_adapter.ts";
export type { FetchHandler, FetchInfo } from "./fetch_adapter.ts";
export { errorPage, errorResponse, failureResponse, isErrorPage } from "./error_response.ts";
export { DRAIN_MAX_BYTES, drainIdleGraceMs } from "./keep_alive.ts";
export { EngineListeners, isClosedListenerError } from "./serve_listener.ts";
export {
  bindEach,
  formatAddress,
  openListeners,
  type OpenListenersOptions,
} from "./open_listeners.ts";
export { builtAt, MPMD_VERSION, serverBanner } from "./version.ts";
export { discardStreamBody } from "./_stream_body.ts";
export { cachedHttpDate, formatHttpDate, parseHttpDate } from "./http_date.ts";
export { isKnownStatus, STATUS_TEXT, statusText } from "./status_text.ts";
export type { KnownStatus } from "./status_text.ts";
export { HeadScanner, maxHeadBytes } from "./head_scanner.ts";
export type { HeadLimits } from "./parse_head.ts";
export type { FieldLimits } from "./_field_lines.ts";
export { ChunkedDecoder } from "./chunked_decoder.ts";
export { decodeLatin1, encodeLatin1 } from "./_latin1.ts";
export { parseResponseHead, type ResponseFraming, type ResponseHead } from "./response_head.ts";
