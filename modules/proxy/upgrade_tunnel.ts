/**
 * An upgrade through the proxy (mod_proxy_http's `upgrade=`, httpd 2.4.47+): the request head
 * goes to the backend on a connection of its own; a `101` answer becomes the engine's upgrade
 * response, whose tunnel copies bytes both ways with back-pressure; any other answer goes to
 * the client as an ordinary response on that connection, which then closes.
 *
 * @module
 */

import {
  ChunkedDecoder,
  DEFAULT_ENGINE_SETTINGS,
  errorResponse,
  type ServerRequest,
  type ServerResponse,
  type UpgradedConnection,
} from "../../server/http/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import { TIMED_OUT, withDeadline } from "../../base/mod.ts";
import { type BackendHead, headEndOf, parseBackendHead } from "./backend_head.ts";
import { upgradeRequestHead } from "./upgrade_request.ts";

/** Each direction of a tunnel copies through a buffer of this size. */
const COPY_BYTES = 64 * 1024;
/** The backend's response head may not grow beyond this (httpd's default field limits). */
const MAX_HEAD_BYTES = 64 * 1024;
const encoder = new TextEncoder();

/** How one upgrade request is proxied. */
export interface UpgradeTunnelOptions {
  /** The backend URL the request goes to. */
  readonly target: URL;
  /** The `Upgrade` value asked for (`upgradeWanted()`). */
  readonly upgrade: string;
  /** The proxying server's name (`X-Forwarded-Server`). */
  readonly serverName: string;
  /**
   * ProxyTimeout: how long the backend may take to connect and answer, and, once upgraded, how
   * long the tunnel may stay without a byte moving either way.
   */
  readonly timeoutMs: number;
  /**
   * Send the client's `Host` (ProxyPreserveHost).
   * @default false
   */
  readonly preserveHost?: boolean;
  /** Where a failing backend is reported. */
  readonly logger: Logger;
}

/** A backend connection and the bytes read from it but not yet handed on. */
interface Backend {
  readonly conn: Deno.Conn;
  /** Read behind the head: the first bytes of the body or of the new protocol. */
  rest: Uint8Array;
}

/**
 * Proxies an upgrade request: 502 (logged, naming the backend) when the backend cannot be
 * reached or does not answer with an HTTP/1.x head, 504 when it takes longer than
 * `timeoutMs`; a `101` tunnels.
 */
export async function proxyUpgrade(
  request: ServerRequest,
  options: UpgradeTunnelOptions,
): Promise<ServerResponse> {
  const { target, logger } = options;
  const backendName = `${target.protocol}//${target.host}`;
  const what = `${request.method} ${target.pathname}${target.search} to ${backendName}`;
  // ProxyTimeout bounds the connect and the wait for the answer's head together.
  const deadlineMs = Date.now() + options.timeoutMs;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  let conn: Deno.Conn;
  try {
    conn = await Deno.connect({
      hostname: target.hostname.replace(/^\[|\]$/g, ""),
      port: Number(target.port || 80),
      signal: deadline,
    });
  } catch (error) {
    if (deadline.aborted) return timedOut(what, options);
    logger.error(
      `Cannot connect to backend ${backendName} for ${request.method} ${request.target}`,
      error,
    );
    return errorResponse(502);
  }
  const backend: Backend = { conn, rest: new Uint8Array(0) };
  const head = await withDeadline(
    readHead(backend, request, options),
    Math.max(0, deadlineMs - Date.now()),
  );
  if (head === TIMED_OUT || typeof head === "string") {
    conn.close();
    if (head === TIMED_OUT) return timedOut(what, options);
    logger.error(`Cannot proxy ${what}: ${head}`);
    return errorResponse(502);
  }
  if (head.status === 101) {
    return {
      status: 101,
      statusText: head.statusText,
      headers: [...head.headers, ["Upgrade", head.upgrade]],
      body: null,
      idleTimeoutMs: options.timeoutMs,
      tunnel: (client) => tunnel(client, backend, { logger, backendName }),
    };
  }
  const headers = head.framing === "chunked" || head.framing === "close"
    ? head.headers
    : [...head.headers, ["Content-Length", String(head.framing)] as [string, string]];
  return {
    status: head.status,
    statusText: head.statusText,
    // The backend connection was asked to upgrade: it is not kept for another request.
    headers,
    body: head.framing === 0 ? closed(backend) : bodyOf(backend, head),
  };
}

/** 504, logged: the backend did not answer within ProxyTimeout. */
function timedOut(what: string, options: UpgradeTunnelOptions): ServerResponse {
  options.logger.error(
    `Cannot proxy ${what}: no answer within ProxyTimeout (${options.timeoutMs} ms)`,
  );
  return errorResponse(504);
}

/** Sends the request head, then reads the backend's answer head. */
async function readHead(
  backend: Backend,
  request: ServerRequest,
  options: UpgradeTunnelOptions,
): Promise<BackendHead | string> {
  try {
    await writeAll(backend.conn, encoder.encode(upgradeRequestHead(request, options)));
    let buffered = new Uint8Array(0);
    const chunk = new Uint8Array(COPY_BYTES);
    for (;;) {
      const end = headEndOf(buffered);
      if (end >= 0) {
        backend.rest = buffered.slice(end);
        return parseBackendHead(buffered.subarray(0, end), request.method);
      }
      if (buffered.length > MAX_HEAD_BYTES) return `its head is over ${MAX_HEAD_BYTES} bytes`;
      const n = await backend.conn.read(chunk);
      if (n === null) return "it closed the connection before a complete head";
      const grown = new Uint8Array(buffered.length + n);
      grown.set(buffered);
      grown.set(chunk.subarray(0, n), buffered.length);
      buffered = grown;
    }
  } catch (error) {
    return `the connection failed (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Closes the backend connection of a bodiless answer and returns no body. */
function closed(backend: Backend): null {
  backend.conn.close();
  return null;
}

/** The body of a non-`101` answer, streamed from the backend and then its connection closed. */
async function* bodyOf(backend: Backend, head: BackendHead): AsyncIterable<Uint8Array> {
  const { conn } = backend;
  try {
    if (head.framing === "chunked") {
      yield* chunkedBody(backend);
      return;
    }
    let left = head.framing === "close" ? Infinity : head.framing;
    let pending: Uint8Array | null = backend.rest;
    while (left > 0) {
      if (pending === null) {
        const chunk = new Uint8Array(Math.min(COPY_BYTES, left));
        const n = await conn.read(chunk);
        if (n === null) {
          if (left === Infinity) return;
          throw new Error(`Cannot read backend body: it closed with ${left} bytes to come`);
        }
        pending = chunk.subarray(0, n);
      }
      const piece = pending.subarray(0, Math.min(pending.length, left));
      pending = null;
      left -= piece.length;
      if (piece.length > 0) yield piece;
    }
  } finally {
    conn.close();
  }
}

/** Decodes a chunked backend body with the engine's own decoder. */
async function* chunkedBody(backend: Backend): AsyncIterable<Uint8Array> {
  const decoder = new ChunkedDecoder(DEFAULT_ENGINE_SETTINGS);
  let buf = backend.rest;
  let start = 0;
  while (!decoder.done) {
    if (start === buf.length) {
      const chunk = new Uint8Array(COPY_BYTES);
      const n = await backend.conn.read(chunk);
      if (n === null) throw new Error("Cannot read backend body: it closed inside a chunk");
      buf = chunk.subarray(0, n);
      start = 0;
    }
    start = decoder.decode(buf, start, buf.length);
    // A copy: the next read may reuse nothing, but the engine may hold the piece past it.
    if (decoder.dataEnd > decoder.dataStart) {
      yield buf.slice(decoder.dataStart, decoder.dataEnd);
    }
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
}

/** The two ends of one direction of a tunnel. */
interface Direction {
  readonly first: Uint8Array;
  read(into: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<void>;
  closeWrite(): Promise<void>;
}

/**
 * Copies `from` to its writer until `from` ends, then ends the writer's sending side: each
 * write is awaited before the next read, so a slow reader holds back a fast writer.
 */
async function copy(direction: Direction): Promise<void> {
  if (direction.first.length > 0) await direction.write(direction.first);
  const buffer = new Uint8Array(COPY_BYTES);
  for (;;) {
    const n = await direction.read(buffer);
    if (n === null) break;
    await direction.write(buffer.subarray(0, n));
  }
  // A shutdown that fails finds the peer gone already: the other direction ends on its own.
  await direction.closeWrite().catch(() => {});
}

/**
 * Runs the tunnel until both directions have ended, or one fails (a peer reset), or the engine
 * closes the client's connection; the backend connection is closed then. A failure ends the
 * tunnel as any end does, logged at debug level as httpd logs a tunnel's end.
 */
async function tunnel(
  client: UpgradedConnection,
  backend: Backend,
  options: { readonly logger: Logger; readonly backendName: string },
): Promise<void> {
  const { conn } = backend;
  let closedBackend = false;
  const closeBackend = () => {
    if (closedBackend) return;
    closedBackend = true;
    conn.close();
  };
  // Idle timeout or server stop: the client's side is gone, so the backend's goes too.
  void client.closed.then(closeBackend);
  const directions = [
    copy({
      first: client.buffered,
      read: (into) => client.read(into),
      write: (bytes) => writeAll(conn, bytes),
      closeWrite: () => conn.closeWrite(),
    }),
    copy({
      first: backend.rest,
      read: (into) => conn.read(into),
      write: (bytes) => client.write(bytes),
      closeWrite: () => client.closeWrite(),
    }),
  ];
  try {
    await Promise.all(directions);
  } catch (error) {
    // The other direction is woken by the close below (backend) or by the engine closing the
    // client's connection once this returns; its failure then is an echo of this one.
    for (const direction of directions) direction.catch(() => {});
    if (options.logger.enabled("debug")) {
      options.logger.debug(`Tunnel to backend ${options.backendName} ended: ${String(error)}`);
    }
  } finally {
    closeBackend();
  }
}
