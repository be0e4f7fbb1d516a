/**
 * The engine's own request object: what the HTTP/1.1 parser produces and what built-in
 * modules (static files, status) read on the hot path. Application code never sees it:
 * `toRequest()` turns it into a web-standard `Request` where one is needed.
 *
 * @module
 */

import type { Endpoint } from "../log/mod.ts";

/** The two HTTP versions the engine speaks. */
export const HTTP_VERSIONS = ["HTTP/1.0", "HTTP/1.1"] as const;
/** One of {@link HTTP_VERSIONS}. */
export type HttpVersion = typeof HTTP_VERSIONS[number];
/** The version of a request that came as an HTTP/2 stream (Deno's server parsed it). */
export const HTTP2_VERSION = "HTTP/2.0";

/** A request body as the engine delivers it: decoded from Content-Length or chunked framing. */
export interface RequestBody {
  /** Declared Content-Length, or `null` for chunked bodies (length unknown until the end). */
  readonly length: number | null;
  /** Whether the request carried a body at all (Content-Length > 0 or chunked). */
  readonly present: boolean;
  /**
   * Reads the next decoded chunk, or `null` at the end. The first call sends
   * `100 Continue` when the client asked for it. Throws `HttpError` (400/408/413) on a
   * malformed, stalled or oversized body.
   */
  read(): Promise<Uint8Array | null>;
  /** Trailer fields of a chunked body (lower-case names); empty until the body is read. */
  readonly trailers: ReadonlyMap<string, string>;
}

/**
 * One parsed HTTP/1.x request: read by mpmd's engine, or a `Request` Deno's native engine
 * received ({@link WebRequest}).
 */
export type ServerRequest = EngineRequest | WebRequest;

/** A request mpmd's engine read. */
export interface EngineRequest extends RequestFields {
  /** Not a {@link WebRequest}. */
  readonly web?: undefined;
}

/**
 * A request Deno's server received as a web-standard `Request`: an app handler is given that
 * object itself rather than a copy (unless a body must be read through the engine's limits).
 */
export interface WebRequest extends RequestFields {
  /** The `Request` it was read from. */
  readonly web: Request;
}

/** What every request tells its handler. */
export interface RequestFields {
  /** Method token, case-sensitive as sent (`GET`, `HEAD`, …). */
  readonly method: string;
  /** The request-target exactly as received (origin-form, absolute-form, or `*`). */
  readonly target: string;
  /** Path part of the target, still percent-encoded (always starts with `/`, or is `*`). */
  readonly path: string;
  /** Query part of the target without the `?`, or `""`. */
  readonly query: string;
  /** Protocol version of the request line, or of the HTTP/2 stream. */
  readonly version: HttpVersion | typeof HTTP2_VERSION;
  /**
   * Header fields by lower-case name. Repeated fields are combined with `, `
   * (RFC 9110 §5.3), except `cookie`, combined with `; ` (RFC 6265 §5.4).
   */
  readonly headers: ReadonlyMap<string, string>;
  /** Host the client asked for (Host field, or the authority of an absolute-form target). */
  readonly host: string;
  /** The client's address. */
  readonly remote: Endpoint;
  /** The address the connection was accepted on. */
  readonly local: Endpoint;
  /** `https` when the connection is TLS, else `http`: the scheme of the URLs it names. */
  readonly scheme: "http" | "https";
  /** The request body, decoded from its framing (empty when none was sent). */
  readonly body: RequestBody;
  /** Wall-clock time (ms since the epoch) at which the request head was complete. */
  readonly receivedAt: number;
  /**
   * Resolves once the exchange has ended: the response sent, or the connection gone (what
   * `deno serve` gives a handler as `info.completed`). A method, so that a request whose
   * handler never asks costs no promise.
   */
  completed(): Promise<void>;
}
