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
  type ServerRequest,
  type ServerResponse,
} from "../../server/http/mod.ts";
import { escapeLogItem, type Logger } from "../../server/log/mod.ts";
import {
  type BackendConnection,
  BackendError,
  RESPONSE_HEAD_LIMITS,
} from "./backend_connection.ts";
import type { BackendChoice } from "./backend_choice.ts";
import type { BackendPool } from "./backend_pool.ts";
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
/** Largest read of a body straight from the backend's socket. */
const DIRECT_READ_BYTES = 64 * 1024;
const LAST_CHUNK = new TextEncoder().encode("0\r\n\r\n");
const CRLF = new TextEncoder().encode("\r\n");

/**
 * Closes the backend connection when the backend stays silent for the timeout; each sign of
 * progress starts the wait anew.
 */
class SilenceTimer {
  expired = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #ms: number;
  #connection: BackendConnection | null = null;

  constructor(ms: number) {
    this.#ms = ms;
  }

  /** Watches `connection` from now on. */
  watch(connection: BackendConnection): void {
    this.#connection = connection;
    this.kick();
  }

  kick(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.expired = true;
      this.#connection?.close();
    }, this.#ms);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * Passes `request` to the chosen backend and answers with what it says.
 *
 * @throws {HttpError} the client's own body error (400, 408, 413) met while forwarding it.
 */
export async function proxyExchange(
  request: ServerRequest,
  options: ExchangeOptions,
): Promise<ServerResponse> {
  const { choice, pool, worker, logger } = options;
  const url = choice.url;
  const prefix = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  const headBytes = encodeLatin1(backendRequestHead(request, {
    ...options.head,
    target: prefix + options.target,
    backendHost: url.host,
    upgrade: options.upgrade,
  }));
  const backendName = `${url.protocol}//${url.host}`;
  const retryable = IDEMPOTENT.has(request.method) && !request.body.present;
  const silence = new SilenceTimer(options.timeoutMs);
  let bytes = headBytes.length;
  let head: ResponseHead;
  let connection: BackendConnection;
  const upload: Upload = { done: !request.body.present, clientFailure: null };
  for (let attempt = 0;; attempt++) {
    try {
      const acquired = await pool.acquire({
        hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: Number(url.port || 80),
        worker,
        connectTimeoutMs: worker.connectionTimeoutMs ?? options.timeoutMs,
      }, { fresh: attempt > 0 });
      connection = acquired.connection;
      silence.watch(connection);
      try {
        await connection.write(headBytes);
        if (request.body.present) {
          const conn = connection;
          sendBody(request.body, conn, silence).then(
            (sent) => {
              bytes += sent;
              upload.done = true;
            },
            (error: unknown) => {
              // A backend that stops reading fails the upload; its answer may still come.
              if (error instanceof ClientBodyError) {
                upload.clientFailure = error;
                conn.close();
              }
            },
          );
        }
        head = await connection.readHead(request.method);
        if (head.status === 101 && (options.upgrade === null || switchedProtocol(head) === null)) {
          throw new BackendError("Cannot read the response head: a 101 nobody asked for", {
            beforeAnswer: false,
          });
        }
        break;
      } catch (error) {
        connection.close();
        pool.release(connection, false, worker);
        const stale = acquired.reused && attempt === 0 && retryable &&
          (!(error instanceof BackendError) || error.beforeAnswer) && !silence.expired;
        if (!stale) throw error;
      }
    } catch (error) {
      silence.stop();
      if (upload.clientFailure !== null) {
        choice.finished({ failed: false, bytes });
        throw upload.clientFailure.cause;
      }
      const status = silence.expired ? 504 : 502;
      logger.error(
        `${status === 504 ? "Timeout" : "Error"} from backend ${backendName} for ${
          describeRequest(request)
        }: ${silence.expired ? `no answer within ${options.timeoutMs} ms` : describeError(error)}`,
      );
      choice.finished({ failed: true, bytes });
      return errorResponse(status);
    }
  }
  const fields = clientResponseFields(head.fields, options.rewrite, selfUrl(request));
  for (const field of choice.responseHeaders) fields.push([field[0], field[1]]);
  const protocol = switchedProtocol(head);
  if (protocol !== null) {
    // The tunnel's idle timeout, enforced by the engine, takes over from the silence timer.
    silence.stop();
    fields.push(["Upgrade", protocol]);
    return tunnelResponse(request, connection, {
      statusText: head.reason,
      headers: fields,
      idleTimeoutMs: options.timeoutMs,
      backendName,
      logger,
      ended: (moved) => {
        pool.release(connection, false, worker);
        choice.finished({ failed: false, bytes: bytes + moved });
      },
    });
  }
  const exchange = { request, head, connection, silence, upload, options, backendName, bytes };
  return {
    status: head.status,
    statusText: head.reason,
    headers: fields,
    body: answerBody(exchange),
  };
}

/** How forwarding the client's body went. */
interface Upload {
  /** Every byte of it has been written to the backend. */
  done: boolean;
  /** Reading it from the client failed (its error is the answer). */
  clientFailure: ClientBodyError | null;
}

/** The state of an exchange once the head is in. */
interface Answered {
  readonly request: ServerRequest;
  readonly head: ResponseHead;
  readonly connection: BackendConnection;
  readonly silence: SilenceTimer;
  readonly upload: Upload;
  readonly options: ExchangeOptions;
  readonly backendName: string;
  bytes: number;
}

/** The answer's body: bytes already buffered when they are all there, else a stream. */
function answerBody(exchange: Answered): Uint8Array | AsyncIterable<Uint8Array> | null {
  const { head, connection } = exchange;
  const framing = head.framing;
  if (framing.kind === "none") {
    finish(exchange, true);
    return null;
  }
  if (framing.kind === "length" && connection.end - connection.start >= framing.length) {
    const body = connection.buf.slice(connection.start, connection.start + framing.length);
    connection.start += framing.length;
    exchange.bytes += body.length;
    finish(exchange, true);
    return body;
  }
  return streamBody(exchange);
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
        const chunk = await readSome(connection, DIRECT_READ_BYTES, silence);
        if (chunk === null) break;
        exchange.bytes += chunk.length;
        yield chunk;
      }
    }
    complete = true;
  } catch (error) {
    const { request, options, backendName } = exchange;
    const reason = silence.expired
      ? `no data within ${options.timeoutMs} ms`
      : describeError(error);
    options.logger.error(
      `Error reading the body from backend ${backendName} for ${
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
  const { connection, silence, options, head } = exchange;
  silence.stop();
  const reusable = complete && exchange.upload.done && head.keepAlive &&
    connection.start === connection.end && !silence.expired;
  options.pool.release(connection, reusable, options.worker);
  options.choice.finished({ failed: !complete, bytes: exchange.bytes });
}

/** The next bytes of a body, at most `max`: buffered ones first. */
async function readSome(
  connection: BackendConnection,
  max: number,
  silence: SilenceTimer,
): Promise<Uint8Array | null> {
  const buffered = connection.end - connection.start;
  if (buffered > 0) {
    const n = Math.min(buffered, max);
    const chunk = connection.buf.slice(connection.start, connection.start + n);
    connection.start += n;
    return chunk;
  }
  const into = new Uint8Array(Math.min(max, DIRECT_READ_BYTES));
  silence.kick();
  const n = await connection.readInto(into);
  return n === null ? null : into.subarray(0, n);
}

async function fillWatched(connection: BackendConnection, silence: SilenceTimer): Promise<boolean> {
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
  silence: SilenceTimer,
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
      await connection.write(new TextEncoder().encode(`${chunk.length.toString(16)}\r\n`));
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
