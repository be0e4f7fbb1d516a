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

/** One response, before the engine adds Date, Server, framing and Connection fields. */
export interface ServerResponse {
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
  /**
   * The web-standard `Response` it stands for, when a handler made one and the engine sends
   * `Response`s (Deno's native engine): the engine sends that object untouched, so Deno keeps
   * its fast path for a body it holds in full. Its fields above are read for logs only.
   */
  readonly source?: Response;
}
