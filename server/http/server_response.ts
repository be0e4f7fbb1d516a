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
 * engine writes from its fields, or a handler's web-standard `Response` handed back whole.
 */
export type ServerResponse = FieldsResponse | WebResponse;

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
}
