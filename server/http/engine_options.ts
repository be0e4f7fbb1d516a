/**
 * What the HTTP engine is configured with: the server settings it applies (a slice of
 * {@link ServerConfig}, httpd's defaults where not given), the handler, the logger and the
 * optional hooks through which the access log and the scoreboard follow it.
 *
 * @module
 */

import type { Handler } from "./handler.ts";
import {
  DEFAULT_REQUEST_READ_TIMEOUT,
  SERVER_DIRECTIVES,
  type ServerConfig,
} from "../config/mod.ts";
import type { AccessRecord, Endpoint, Logger } from "../log/mod.ts";

/** The server settings the engine applies. */
export type EngineSettings = Pick<
  ServerConfig,
  | "timeoutMs"
  | "keepAlive"
  | "keepAliveTimeoutMs"
  | "maxKeepAliveRequests"
  | "requestReadTimeout"
  | "limitRequestLine"
  | "limitRequestFieldSize"
  | "limitRequestFields"
  | "limitRequestBodyBytes"
  | "serverTokens"
>;

/** httpd 2.4's defaults for {@link EngineSettings}, taken from the directive table. */
export const DEFAULT_ENGINE_SETTINGS: Readonly<EngineSettings> = Object.freeze({
  timeoutMs: SERVER_DIRECTIVES.Timeout.default,
  keepAlive: SERVER_DIRECTIVES.KeepAlive.default,
  keepAliveTimeoutMs: SERVER_DIRECTIVES.KeepAliveTimeout.default,
  maxKeepAliveRequests: SERVER_DIRECTIVES.MaxKeepAliveRequests.default,
  requestReadTimeout: DEFAULT_REQUEST_READ_TIMEOUT,
  limitRequestLine: SERVER_DIRECTIVES.LimitRequestLine.default,
  limitRequestFieldSize: SERVER_DIRECTIVES.LimitRequestFieldSize.default,
  limitRequestFields: SERVER_DIRECTIVES.LimitRequestFields.default,
  limitRequestBodyBytes: SERVER_DIRECTIVES.LimitRequestBody.default,
  serverTokens: SERVER_DIRECTIVES.ServerTokens.default,
});

/** The states a connection reports to {@link HttpEngineOptions.onState}. */
export const CONNECTION_STATES = [
  /** Waiting for or reading a request head (scoreboard `R`). */
  "read",
  /** The handler is running, possibly reading the request body (`W` in httpd). */
  "busy",
  /** Writing the response (`W`). */
  "write",
  /** Idle between requests of a kept-alive connection (`K`). */
  "keepalive",
  /** Lingering close: discarding what the client still sends (`C`). */
  "closing",
  /**
   * Switched protocols: the handler tunnels bytes both ways (`W` for a slot that holds one
   * connection; under event it holds no thread, as a parked keep-alive connection does not).
   */
  "tunnel",
  /** Closed; the last report for this connection. */
  "closed",
] as const;
/** One of {@link CONNECTION_STATES}. */
export type ConnectionState = typeof CONNECTION_STATES[number];

/** A live connection as a state observer sees it. The same object is passed on each change. */
export interface ConnectionView {
  /** Unique within the engine. */
  readonly id: number;
  /** What the connection is doing now. */
  readonly state: ConnectionState;
  /** The client's address. */
  readonly remote: Endpoint;
  /** The address the client connected to. */
  readonly local: Endpoint;
  /** Requests answered on this connection so far. */
  readonly requests: number;
  /** Request line of the request in progress, `""` between requests. */
  readonly requestLine: string;
  /** Host field (or absolute-form authority) of the request in progress, `""` between requests. */
  readonly host: string;
}

/**
 * Names the host that answers a request (`%v`, the status page's vhost): from the address it
 * arrived on and its Host field (`""` when it has none or could not be read).
 */
export type ServerNameOf = (local: Endpoint, host: string) => string;

/** Options of `createHttpEngine()`: settings (each defaulting as in httpd) and hooks. */
export interface HttpEngineOptions extends Partial<EngineSettings> {
  /** Answers every request; `null` means 404. */
  readonly handler: Handler;
  /** Where errors go (handler crashes, stream failures, accept failures). */
  readonly logger: Logger;
  /**
   * Names the host reported in access records (`%v`).
   * @default {() => "localhost"}
   */
  readonly serverNameOf?: ServerNameOf;
  /** Called once per finished exchange, including rejected requests (the access log). */
  readonly onExchange?: (record: AccessRecord) => void;
  /** Called whenever a connection changes state (the scoreboard). */
  readonly onState?: (connection: ConnectionView) => void;
}
