/**
 * One proxied exchange: the request passed to the backend a picker chose over a pooled
 * connection, its body streamed with back-pressure, the answer's head rewritten for the client
 * and its body streamed back. Failures before the answer's head are answered 502 (504 when the
 * backend stayed silent for the timeout); a failure after it ends the client's connection, so
 * that a cut answer is never passed as a whole one. A `101` to an upgrade the rule lets through
 * becomes the client's `101` and a tunnel between the two connections.
 *
 * @module
 */

import { describeError } from "../../base/mod.ts";
import type { ProxyWorker } from "../../server/config/mod.ts";
import {
  ChunkedDecoder,
  encodeLatin1,
  errorResponse,
  type RequestBody,
  type ResponseHead,
  type ResponseHeaders,
  type ServerRequest,
  type ServerResponse,
} from "../../server/http/mod.ts";
import { escapeLogItem, type Logger } from "../../server/log/mod.ts";
import {
  type BackendConnection,
  BackendError,
  RESPONSE_HEAD_LIMITS,
} from "./backend_connection.ts";
import { type BackendAddress, backendAddress } from "./backend_address.ts";
import type { BackendChoice } from "./backend_choice.ts";
import type { BackendPool } from "./backend_pool.ts";
import type { Silence } from "./silence_watch.ts";
import { type BackendHeadOptions, backendRequestHead } from "./backend_request.ts";
import { clientResponseFields, type ResponseRewrite } from "./client_response_fields.ts";
import { tunnelResponse } from "./upgrade_tunnel.ts";
import { switchedProtocol } from "./upgrade_request.ts";

/** Everything an exchange needs besides the request. */
export interface ExchangeOptions {
  /** The slot's connections. */
  readonly pool: BackendPool;
  /** The backend, and where the outcome is reported. */
  readonly choice: BackendChoice;
  /** The request target under the backend's URL (path and query). */
  readonly target: string;
  /** The rule's worker settings. */
  readonly worker: ProxyWorker;
  /** How long the backend may stay silent (`timeout=`, else ProxyTimeout, else Timeout). */
  readonly timeoutMs: number;
  /** What the request head carries besides the client's fields. */
  readonly head: Omit<BackendHeadOptions, "target" | "backendHost" | "upgrade">;
  /**
   * The protocol the client asks to switch to and the rule's `upgrade=` lets through, or
   * `null`: a backend's `101` then is an error.
   */
  readonly upgrade: string | null;
  /** How the answer's fields are rewritten. */
  readonly rewrite: ResponseRewrite;
  /** The proxy's error log. */
  readonly logger: Logger;
}

/** Methods a stale pooled connection may be retried for (RFC 9110 §9.2.2). */
const IDEMPOTENT: ReadonlySet<string> = new Set([
  "GET",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "PUT",
  "DELETE",
]);
const encoder = new TextEncoder();
const LAST_CHUNK = encoder.encode("0\r\n\r\n");
const CRLF = encoder.encode("\r\n");

/**
 * Passes `request` to the chosen backend and answers with what it says.
 *
 * @throws {HttpError} the client's own body error (400, 408, 413) met while forwarding it.
 */
export async function proxyExchange(
  request: ServerRequest,
  options: ExchangeOptions,
): Promise<ServerResponse> {
  let choice = options.choice;
  for (;;) {
    const address = backendAddress(choice.url);
    const headBytes = encodeLatin1(backendRequestHead(request, {
      ...options.head,
      target: address.prefix + options.target,
      backendHost: address.host,
      upgrade: options.upgrade,
    }));
    const exchange: Exchange = {
      request,
      options,
      choice,
      address,
      reached: false,
      silence: null,
      upload: { done: !request.body.present, clientFailure: null },
      bytes: headBytes.length,
      connection: null,
    };
    let head: ResponseHead;
    let body: Uint8Array | AsyncIterable<Uint8Array> | null = null;
    try {
      head = await sendHead(exchange, headBytes);
      if (head.status === 101 && (options.upgrade === null || switchedProtocol(head) === null)) {
        throw new BackendError("Cannot read the response head: a 101 nobody asked for", {
          beforeAnswer: false,
        });
      }
      if (head.status !== 101) body = await answerBody(exchange, head);
    } catch (error) {
      // Nothing went to a backend that could not be reached: a balancer's next member may
      // take the request, whatever its method.
      const next = exchange.reached ? null : choice.retry();
      if (next === null) return failed(exchange, error);
      exchange.silence?.stop();
      options.logger.warn(
        `Cannot reach backend ${exchange.address.name} for ${describeRequest(request)}: ${
          describeError(error)
        }; trying ${backendAddress(next.url).name}`,
      );
      choice = next;
      continue;
    }
    const fields = clientResponseFields(head.fields, options.rewrite, selfUrl(request));
    for (const field of choice.responseHeaders) fields.push([field[0], field[1]]);
    if (head.status === 101) return switched(exchange, head, fields);
    return { status: head.status, statusText: head.reason, headers: fields, body };
  }
}

/**
 * The client's `101` and the tunnel between the two connections; the engine enforces the
 * tunnel's idle timeout, which takes over from the silence watch.
 */
function switched(exchange: Exchange, head: ResponseHead, fields: ResponseHeaders): ServerResponse {
  const { options, choice } = exchange;
  const connection = exchange.connection!;
  exchange.silence!.stop();
  fields.push(["Upgrade", switchedProtocol(head)!]);
  return tunnelResponse(exchange.request, connection, {
    statusText: head.reason,
    headers: fields,
    idleTimeoutMs: options.timeoutMs,
    backendName: exchange.address.name,
    logger: options.logger,
    ended: (moved) => {
      options.pool.release(connection, false, options.worker);
      choice.finished({ failed: false, bytes: exchange.bytes + moved });
    },
  });
}

/** One exchange with a backend. */
interface Exchange {
  readonly request: ServerRequest;
  readonly options: ExchangeOptions;
  /** The backend this attempt goes to (a balancer's retry is a new exchange). */
  readonly choice: BackendChoice;
  /** The backend's address (its `name` is how log lines name it), from {@link choice}. */
  readonly address: BackendAddress;
  /** A connection to the backend was had: the request may have reached it. */
  reached: boolean;
  /** The watch on the backend's silence, from the first connection on. */
  silence: Silence | null;
  readonly upload: Upload;
  /** Bytes moved both ways so far. */
  bytes: number;
  /** The connection, once one is open. */
  connection: BackendConnection | null;
}

/** How forwarding the client's body went. */
interface Upload {
  /** Every byte of it has been written to the backend. */
  done: boolean;
  /** Reading it from the client failed (its error is the answer). */
  clientFailure: ClientBodyError | null;
}

/**
 * Sends the request (its body in the background) and reads the answer's head, once more on a
 * fresh connection when a pooled one turns out stale.
 */
async function sendHead(exchange: Exchange, headBytes: Uint8Array): Promise<ResponseHead> {
  const { request, options, upload } = exchange;
  const { pool, worker } = options;
  const retryable = IDEMPOTENT.has(request.method) && !request.body.present;
  for (let attempt = 0;; attempt++) {
    const pending = pool.acquire({
      address: exchange.address,
      worker,
      connectTimeoutMs: worker.connectionTimeoutMs ?? options.timeoutMs,
    }, { fresh: attempt > 0 });
    const acquired = pending instanceof Promise ? await pending : pending;
    const connection = acquired.connection;
    exchange.reached = true;
    exchange.connection = connection;
    if (exchange.silence === null) {
      exchange.silence = pool.silence.start(options.timeoutMs, () => exchange.connection?.close());
    } else exchange.silence.kick();
    const silence = exchange.silence;
    try {
      await connection.write(headBytes);
      if (request.body.present) {
        sendBody(request.body, connection, silence).then(
          (sent) => {
            exchange.bytes += sent;
            upload.done = true;
          },
          (error: unknown) => {
            // A backend that stops reading fails the upload; its answer may still come.
            if (error instanceof ClientBodyError) {
              upload.clientFailure = error;
              connection.close();
            }
          },
        );
      }
      return await connection.readHead(request.method);
    } catch (error) {
      exchange.connection = null;
      pool.release(connection, false, worker);
      const stale = acquired.reused && attempt === 0 && retryable &&
        (!(error instanceof BackendError) || error.beforeAnswer) && !silence.expired;
      if (!stale) throw error;
      // A stale connection took nothing: the request has reached no backend yet.
      exchange.reached = false;
    }
  }
}

/**
 * The answer to an exchange that failed before its answer began: the client's own body error,
 * or 502 (504 when the backend stayed silent), logged with the backend's name.
 */
function failed(exchange: Exchange, error: unknown): ServerResponse {
  const { request, options, choice, upload, connection } = exchange;
  exchange.silence?.stop();
  const silent = exchange.silence?.expired === true;
  if (connection !== null) options.pool.release(connection, false, options.worker);
  if (upload.clientFailure !== null) {
    choice.finished({ failed: false, bytes: exchange.bytes });
    throw upload.clientFailure.cause;
  }
  const status = silent ? 504 : 502;
  options.logger.error(
    `${status === 504 ? "Timeout" : "Error"} from backend ${exchange.address.name} for ${
      describeRequest(request)
    }: ${silent ? `no answer within ${options.timeoutMs} ms` : describeError(error)}`,
  );
  choice.finished({ failed: true, bytes: exchange.bytes });
  return errorResponse(status);
}

/** An exchange whose answer's head is in, on its connection. */
interface Answered extends Exchange {
  readonly head: ResponseHead;
  readonly connection: BackendConnection;
  readonly silence: Silence;
}

/** Bodies up to this size are read whole before the answer starts: the client gets one write. */
const SMALL_BODY_BYTES = 64 * 1024;

/**
 * The answer's body: bytes when it is small (read whole first) or already buffered whole, else
 * a stream.
 *
 * @throws {BackendError} when a small body's bytes do not all come.
 */
async function answerBody(
  exchange: Exchange,
  head: ResponseHead,
): Promise<Uint8Array | AsyncIterable<Uint8Array> | null> {
  const connection = exchange.connection!;
  const silence = exchange.silence!;
  const answered: Answered = Object.assign(exchange, { head, connection, silence });
  const framing = head.framing;
  let body: Uint8Array | null = null;
  if (framing.kind === "none") {
    finish(answered, true);
    return null;
  }
  if (framing.kind === "length" && framing.length <= SMALL_BODY_BYTES) {
    while (connection.end - connection.start < framing.length) {
      if (!(await fillWatched(connection, silence))) {
        throw closedEarly(`${framing.length - (connection.end - connection.start)} bytes short`);
      }
    }
    body = connection.buf.slice(connection.start, connection.start + framing.length);
    connection.start += framing.length;
  } else if (framing.kind === "chunked") body = bufferedChunkedBody(connection);
  if (body === null) return streamBody(answered);
  exchange.bytes += body.length;
  finish(answered, true);
  return body;
}

/** A chunked body held whole in the receive buffer, decoded (and consumed); else `null`. */
function bufferedChunkedBody(connection: BackendConnection): Uint8Array | null {
  const decoder = new ChunkedDecoder(RESPONSE_HEAD_LIMITS);
  const pieces: Uint8Array[] = [];
  let length = 0;
  let at = connection.start;
  while (at < connection.end && !decoder.done) {
    at = decoder.decode(connection.buf, at, connection.end);
    if (decoder.dataEnd > decoder.dataStart) {
      pieces.push(connection.buf.subarray(decoder.dataStart, decoder.dataEnd));
      length += decoder.dataEnd - decoder.dataStart;
    }
  }
  if (!decoder.done) return null;
  const body = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    body.set(piece, offset);
    offset += piece.length;
  }
  connection.start = at;
  return body;
}

/** Streams the answer's body; the connection goes back to the pool when it has all come. */
async function* streamBody(exchange: Answered): AsyncGenerator<Uint8Array> {
  const { head, connection, silence } = exchange;
  let complete = false;
  try {
    const framing = head.framing;
    if (framing.kind === "length") {
      let remaining = framing.length;
      while (remaining > 0) {
        const chunk = await readSome(connection, remaining, silence);
        if (chunk === null) throw closedEarly(`${remaining} of ${framing.length} bytes short`);
        remaining -= chunk.length;
        exchange.bytes += chunk.length;
        yield chunk;
      }
    } else if (framing.kind === "chunked") {
      const decoder = new ChunkedDecoder(RESPONSE_HEAD_LIMITS);
      while (!decoder.done) {
        if (connection.start < connection.end) {
          connection.start = decoder.decode(connection.buf, connection.start, connection.end);
          if (decoder.dataEnd > decoder.dataStart) {
            const chunk = connection.buf.slice(decoder.dataStart, decoder.dataEnd);
            exchange.bytes += chunk.length;
            yield chunk;
          }
          continue;
        }
        if (!(await fillWatched(connection, silence))) throw closedEarly("before the last chunk");
      }
    } else {
      for (;;) {
        const chunk = await readSome(connection, Infinity, silence);
        if (chunk === null) break;
        exchange.bytes += chunk.length;
        yield chunk;
      }
    }
    complete = true;
  } catch (error) {
    const { request, options, address } = exchange;
    const reason = silence.expired
      ? `no data within ${options.timeoutMs} ms`
      : describeError(error);
    options.logger.error(
      `Error reading the body from backend ${address.name} for ${
        describeRequest(request)
      }: ${reason}; closing the client's connection`,
    );
    throw error;
  } finally {
    finish(exchange, complete);
  }
}

/**
 * Ends the exchange: the connection back to the pool, or closed when anything is left on it
 * (an upload the backend answered before reading it all: closing stops it); the outcome
 * reported.
 */
function finish(exchange: Answered, complete: boolean): void {
  const { connection, silence, options, choice, head } = exchange;
  silence.stop();
  const reusable = complete && exchange.upload.done && head.keepAlive &&
    connection.start === connection.end && !silence.expired;
  options.pool.release(connection, reusable, options.worker);
  choice.finished({ failed: !complete, bytes: exchange.bytes });
}

/** The next bytes of a body, at most `max`: buffered ones first. */
async function readSome(
  connection: BackendConnection,
  max: number,
  silence: Silence,
): Promise<Uint8Array | null> {
  // Read into the connection's own buffer and copy out what came: a stream that trickles holds
  // no large buffer per pending read.
  if (connection.start === connection.end && !(await fillWatched(connection, silence))) {
    return null;
  }
  const n = Math.min(connection.end - connection.start, max);
  const chunk = connection.buf.slice(connection.start, connection.start + n);
  connection.start += n;
  return chunk;
}

async function fillWatched(connection: BackendConnection, silence: Silence): Promise<boolean> {
  silence.kick();
  return await connection.fill();
}

function closedEarly(how: string): BackendError {
  return new BackendError(`Cannot read the body: the backend closed the connection ${how}`, {
    beforeAnswer: false,
  });
}

/** The client's body failed while it was being forwarded: its error answers the client. */
class ClientBodyError extends Error {
  constructor(cause: unknown) {
    super("Cannot read the request body", { cause });
    this.name = "ClientBodyError";
  }
}

/**
 * Forwards the client's body with back-pressure: each chunk is written before the next is
 * read (the engine sends `100 Continue` on the first read).
 *
 * @returns The body bytes sent.
 * @throws {ClientBodyError} when reading the client's body fails; whatever the write throws.
 */
async function sendBody(
  body: RequestBody,
  connection: BackendConnection,
  silence: Silence,
): Promise<number> {
  const chunked = body.length === null;
  let sent = 0;
  for (;;) {
    let chunk: Uint8Array | null;
    try {
      chunk = await body.read();
    } catch (error) {
      throw new ClientBodyError(error);
    }
    if (chunk === null) break;
    if (chunk.length === 0) continue;
    sent += chunk.length;
    silence.kick();
    if (chunked) {
      await connection.write(encoder.encode(`${chunk.length.toString(16)}\r\n`));
      await connection.write(chunk);
      await connection.write(CRLF);
    } else await connection.write(chunk);
  }
  if (chunked) await connection.write(LAST_CHUNK);
  return sent;
}

/** This host's own URL as the client named it: where rewritten URLs point. */
function selfUrl(request: ServerRequest): string {
  return `${request.scheme}://${request.host}`;
}

/** `GET /path` as log lines name a request (escaped). */
function describeRequest(request: ServerRequest): string {
  return escapeLogItem(`${request.method} ${request.target}`);
}
