/**
 * The engine's own response object: what handlers return and the response writer
 * serialises. Built-in modules build it directly; `fromResponse()` converts a web-standard
 * `Response` into it.
 *
 * @module
 */

/** Header fields in order, names as they should appear on the wire. */
export type ResponseHeaders = Array<[name: string, value: string]>;

/**
 * A response body: nothing, bytes in memory, or a stream of chunks written with
 * backpressure (a `ReadableStream` is an async iterable).
 */
export type ResponseBody = Uint8Array | AsyncIterable<Uint8Array> | null;

/**
 * One response, before the engine adds Date, Server, framing and Connection fields: one the
 * engine writes from its fields, a handler's web-standard `Response` handed back whole, or a
 * `101 Switching Protocols` after which the handler takes over the connection.
 */
export type ServerResponse = FieldsResponse | WebResponse | UpgradeResponse;

/** A response the engine writes from its fields. */
export interface FieldsResponse {
  /** Status code (100–599). */
  readonly status: number;
  /** Reason phrase; the standard one for `status` when omitted. */
  readonly statusText?: string;
  /** Header fields; the engine adds Date, Server, framing and Connection. */
  readonly headers: ResponseHeaders;
  /**
   * The body. For a streamed body, a `Content-Length` header (if the handler knows it)
   * is honoured; otherwise HTTP/1.1 uses chunked coding and HTTP/1.0 closes the
   * connection to end it. For HEAD, 204 and 304 no body is sent whatever this holds.
   */
  readonly body: ResponseBody;
  /** Not a {@link WebResponse}. */
  readonly web?: undefined;
  /** Not an {@link UpgradeResponse}. */
  readonly tunnel?: undefined;
}

/**
 * A handler's `Response` for an engine that sends `Response`s (Deno's native engine, for a
 * request that came as a `Request`): sent untouched, so Deno keeps its fast path for a body it
 * holds in full. Its status and header fields are there for the logs; an engine that writes
 * fields itself converts it with `fromResponse()`.
 */
export interface WebResponse {
  /** The `Response`'s status. */
  readonly status: number;
  /** Its reason phrase, when it has one. */
  readonly statusText?: string;
  /** Its header fields, copied when first read. */
  readonly headers: ResponseHeaders;
  /** Its body is the `Response`'s own. */
  readonly body: null;
  /** The `Response` to send. */
  readonly web: Response;
  /** Not an {@link UpgradeResponse}. */
  readonly tunnel?: undefined;
}

/**
 * `101 Switching Protocols` (RFC 9110 §15.2.2): the engine writes the head with its fields and
 * `Connection: Upgrade`, then hands the connection to {@link tunnel} as a byte stream both ways.
 * The connection leaves keep-alive and the request read timeouts; it is closed when no byte has
 * moved either way for {@link idleTimeoutMs}, when the server stops (after its grace), or when
 * `tunnel` settles. Its access record (status 101, the bytes moved) is written then.
 *
 * Only mpmd's own engine switches protocols; Deno's native engine answers 500.
 */
export interface UpgradeResponse {
  /** Always 101. */
  readonly status: 101;
  /** Reason phrase; `Switching Protocols` when omitted. */
  readonly statusText?: string;
  /** Header fields, among them `Upgrade` naming the protocol switched to. */
  readonly headers: ResponseHeaders;
  /** No body: what follows the head belongs to the new protocol. */
  readonly body: null;
  /** Not a {@link WebResponse}. */
  readonly web?: undefined;
  /** How long the tunnel may stay without a byte moving either way before it is closed. */
  readonly idleTimeoutMs: number;
  /**
   * Runs the new protocol over the client's connection; the engine closes the connection once
   * the returned promise settles (a rejection is logged).
   */
  tunnel(client: UpgradedConnection): Promise<void>;
}

/** The client's connection after a `101` head, as {@link UpgradeResponse.tunnel} sees it. */
export interface UpgradedConnection {
  /**
   * Bytes the client sent behind the request head that the engine had read already: the
   * first bytes of the new protocol, to be handled before any {@link read}.
   */
  readonly buffered: Uint8Array;
  /**
   * Reads the client's next bytes into `into`; `null` once the client has ended its sending
   * side, or the connection has been closed (idle timeout, server stop).
   */
  read(into: Uint8Array): Promise<number | null>;
  /**
   * Writes all of `bytes` to the client; resolves once the socket has taken them.
   *
   * @throws When the connection is closed or reset.
   */
  write(bytes: Uint8Array): Promise<void>;
  /** Ends our sending side (TLS: close_notify); the client may still send. */
  closeWrite(): Promise<void>;
  /**
   * Resolves once the engine has closed the connection: the tunnel idled out or the server
   * stopped, so whatever the tunnel holds open on its other side must close too.
   */
  readonly closed: Promise<void>;
}
