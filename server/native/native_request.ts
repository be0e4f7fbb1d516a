/**
 * The engine request built over a `Request` that Deno's server produced: the fields built-in
 * modules read, computed from the `Request` only when read (the header map is built for the
 * modules that ask for it, never for an app), and the `Request` itself as its `source`.
 *
 * @module
 */

import {
  DRAIN_MAX_BYTES,
  HTTP2_VERSION,
  HttpError,
  type HttpVersion,
  type RequestBody,
  type WebRequest,
} from "../http/mod.ts";
import type { Endpoint, TlsRecord } from "../log/mod.ts";

const NO_TRAILERS: ReadonlyMap<string, string> = new Map();
const EMPTY_BODY: RequestBody = {
  length: 0,
  present: false,
  read: () => Promise.resolve(null),
  trailers: NO_TRAILERS,
};

/** Where a request arrived and what its body may hold. */
export interface NativeRequestContext {
  /** The client's address. */
  readonly remote: Endpoint;
  /** The listener's address. */
  readonly local: Endpoint;
  /** LimitRequestBody in bytes; 0: unlimited. */
  readonly limitBodyBytes: number;
  /** Deno's `info.completed` for the request. */
  readonly completed: Promise<void>;
  /** What the connection's TLS handshake negotiated; `null` on plain HTTP. */
  readonly tls: TlsRecord | null;
  /**
   * HTTP/2.0 on the HTTP/2 engine; HTTP/1.1 otherwise (Deno's `Request` does not say, and
   * hyper answers HTTP/1.0 clients in HTTP/1.0).
   */
  readonly version: HttpVersion | typeof HTTP2_VERSION;
}

/** An engine request of the native engines. */
export interface NativeServerRequest extends WebRequest {
  /**
   * Once the answer is given: reads away what the handler left of the body, up to
   * DRAIN_MAX_BYTES, then cancels the rest; never fails. Deno's HTTP/2 server resets a stream
   * whose body is dropped unread, and that reset can overtake the answer queued before it (an
   * answer lost to the client: seen for about one POST in seven that a handler answered
   * without reading, Deno 2.9.6); a body read to its end lets the stream close cleanly, and
   * on HTTP/1.1 the connection stays usable, as mpmd's own engine reads such a body away.
   */
  discardUnreadBody(): Promise<void>;
}

/** The body bytes of a request read so far, for the access log's `%I`. */
export interface BodyCount {
  /** Bytes the handler has read of the body. */
  bytes: number;
}

/**
 * An engine request for `request`. Its body reads from the `Request`'s stream, counted into
 * `count`, and fails with 413 past LimitRequestBody (a declared length past it is refused
 * before the handler runs, see {@link refuseDeclaredTooLarge}).
 */
export function nativeServerRequest(
  request: Request,
  context: NativeRequestContext,
  count: BodyCount,
): NativeServerRequest {
  return new NativeRequest(request, context, count);
}

/**
 * Fields from the header list are read only when asked for: Deno builds that list on the
 * first look, and an app that reads none should not pay for it. A class, not a literal with
 * getters: one allocation per request (the getters read plain fields, so an object made with
 * this one as prototype, as a module that replaces the body does, reads through).
 */
class NativeRequest implements NativeServerRequest {
  readonly method: string;
  readonly target: string;
  readonly path: string;
  readonly query: string;
  readonly version: HttpVersion | typeof HTTP2_VERSION;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  readonly scheme: "http" | "https";
  readonly receivedAt: number = Date.now();
  readonly web: Request;
  private readonly context: NativeRequestContext;
  private readonly count: BodyCount;
  private headerMap: Map<string, string> | null = null;
  private requestBody: NativeBody | typeof EMPTY_BODY | null = null;
  private hostName: string | null = null;

  constructor(request: Request, context: NativeRequestContext, count: BodyCount) {
    this.web = request;
    this.method = request.method;
    this.remote = context.remote;
    this.local = context.local;
    this.version = context.version;
    this.scheme = context.tls === null ? "http" : "https";
    this.context = context;
    this.count = count;
    const url = request.url;
    // `http://host[:port]/path?query`: Deno builds the URL, so the path starts at the first
    // `/` after the scheme's `//`, and a fragment is never there.
    const pathStart = url.indexOf("/", url.indexOf("//") + 2);
    const queryStart = url.indexOf("?", pathStart);
    this.target = url.slice(pathStart);
    this.path = queryStart === -1 ? this.target : url.slice(pathStart, queryStart);
    this.query = queryStart === -1 ? "" : url.slice(queryStart + 1);
  }

  get headers(): ReadonlyMap<string, string> {
    if (this.headerMap !== null) return this.headerMap;
    this.headerMap = new Map(this.web.headers);
    // As mod_http2: an HTTP/2 request's `:authority` is its Host field (RFC 9113 section
    // 8.3.1), so that what reads Host (virtual hosts, logs, modules) finds it.
    if (this.version === HTTP2_VERSION && !this.headerMap.has("host")) {
      this.headerMap.set("host", this.host);
    }
    return this.headerMap;
  }

  /** Read by the engine, the virtual hosts and the scoreboard for each request: looked up once. */
  get host(): string {
    return this.hostName ??= hostOf(this.web, this.version);
  }

  get body(): RequestBody {
    return this.requestBody ??= bodyOf(this.web, this.context, this.count);
  }

  completed(): Promise<void> {
    // Deno rejects it when the connection goes first; mpmd's engine resolves it either way.
    return this.context.completed.catch(() => {});
  }

  discardUnreadBody(): Promise<void> {
    if (this.method === "GET" || this.method === "HEAD") return Promise.resolve();
    // A body nobody asked for may still be there: an HTTP/2 request need not declare one.
    const body = this.requestBody instanceof NativeBody
      ? this.requestBody
      : new NativeBody(null, this.web, this.context.limitBodyBytes, this.count);
    return body.discard(DRAIN_MAX_BYTES);
  }
}

/** The host `request` names: its Host field, or on HTTP/2 its `:authority`. */
function hostOf(request: Request, version: HttpVersion | typeof HTTP2_VERSION): string {
  const field = request.headers.get("host");
  if (field !== null || version !== HTTP2_VERSION) return field ?? "";
  // HTTP/2 names the host in `:authority` (RFC 9113 section 8.3.1), which Deno puts in the URL
  // only.
  const url = request.url;
  const start = url.indexOf("//") + 2;
  return url.slice(start, url.indexOf("/", start));
}

/**
 * Refuses with 413 a request that declares a body longer than LimitRequestBody (0: unlimited),
 * before its handler runs. GET and HEAD are not asked (their bodies mean nothing, and asking
 * costs every request the header list): a body they carry is still cut at the limit as read.
 *
 * @throws {HttpError} 413.
 */
export function refuseDeclaredTooLarge(request: Request, limitBodyBytes: number): void {
  if (limitBodyBytes === 0 || request.method === "GET" || request.method === "HEAD") return;
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limitBodyBytes) throw tooLarge(limitBodyBytes);
}

function tooLarge(limitBodyBytes: number): HttpError {
  return new HttpError(413, `Request body exceeds LimitRequestBody (${limitBodyBytes} bytes)`);
}

/**
 * The request's body, known to be there by its framing fields (RFC 9112 §6.3): asking the
 * `Request` for its body stream would make one for every request. A GET or HEAD body is not
 * offered to modules, as mpmd's engine offers none to an app (the app's `Request` still holds
 * it).
 */
function bodyOf(
  request: Request,
  context: NativeRequestContext,
  count: BodyCount,
): NativeBody | typeof EMPTY_BODY {
  if (request.method === "GET" || request.method === "HEAD") return EMPTY_BODY;
  const declared = request.headers.get("content-length");
  const length = declared === null ? null : Number(declared);
  // HTTP/2 frames a body without declaring it (RFC 9113 section 8.1): without Content-Length
  // one may follow, and Deno's Request does not say whether it does, so it is read as one of
  // unknown length (which may turn out empty).
  const undeclared = context.version === HTTP2_VERSION || request.headers.has("transfer-encoding");
  if (length === null ? !undeclared : !(length > 0)) return EMPTY_BODY;
  return new NativeBody(length, request, context.limitBodyBytes, count);
}

/**
 * A body read from a `Request`'s stream, counted, and refused with 413 past LimitRequestBody
 * (what follows is left for {@link NativeBody.discard}, once the 413 is given).
 */
class NativeBody implements RequestBody {
  readonly present = true;
  readonly trailers = NO_TRAILERS;
  readonly length: number | null;
  readonly #request: Request;
  readonly #limitBodyBytes: number;
  readonly #count: BodyCount;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;

  constructor(length: number | null, request: Request, limitBodyBytes: number, count: BodyCount) {
    this.length = length;
    this.#request = request;
    this.#limitBodyBytes = limitBodyBytes;
    this.#count = count;
  }

  async read(): Promise<Uint8Array | null> {
    const limit = this.#limitBodyBytes;
    if (limit > 0 && this.#count.bytes > limit) throw tooLarge(limit);
    if (this.#request.body === null) return null;
    this.#reader ??= this.#request.body.getReader();
    const { done, value } = await this.#reader.read();
    if (done) return null;
    this.#count.bytes += value.byteLength;
    if (limit > 0 && this.#count.bytes > limit) throw tooLarge(limit);
    return value;
  }

  /** Reads and drops up to `maxBytes` more, then cancels what is left; never fails. */
  async discard(maxBytes: number): Promise<void> {
    const stream = this.#request.body;
    // Read by an app through the `Request` itself: it is the app's to finish.
    if (stream === null || (this.#reader === null && stream.locked)) return;
    const reader = this.#reader ??= stream.getReader();
    try {
      for (let left = maxBytes; left >= 0;) {
        const { done, value } = await reader.read();
        if (done) return;
        left -= value.byteLength;
      }
      await reader.cancel();
    } catch {
      // The client went, or the stream was cancelled already: nothing left to read.
    }
  }
}
