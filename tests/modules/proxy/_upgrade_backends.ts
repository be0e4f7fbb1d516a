/**
 * Backends for the upgrade tunnel's tests, each on 127.0.0.1:0: a WebSocket echo server
 * (`npm:ws`), raw servers that serve each connection as a test says, one of which switches to
 * a byte echo; and a WebSocket client with awaitable events.
 *
 * @module
 */

import { WebSocketServer, WsClient } from "../../_dev_deps.ts";
import { within } from "../../_deadline.ts";

const WAIT_MS = 10_000;

/** What a WebSocket echo backend saw. */
export interface WebSocketEcho extends AsyncDisposable {
  readonly port: number;
  /** The request heads of the connections it accepted. */
  readonly requests: Array<{ url: string; headers: Record<string, string | string[] | undefined> }>;
  /** Resolves with the close code of the first connection's close. */
  readonly firstClose: Promise<number>;
  /** Closes every connection it holds, with `code`. */
  closeAll(code: number): void;
}

/** A WebSocket server echoing every message with its kind (text or binary). */
export async function startWebSocketEcho(): Promise<WebSocketEcho> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, maxPayload: 64 << 20 });
  await within(
    new Promise((resolve) => server.once("listening", resolve)),
    "ws listening",
    WAIT_MS,
  );
  const requests: WebSocketEcho["requests"] = [];
  const firstClose = Promise.withResolvers<number>();
  server.on("connection", (socket, request) => {
    requests.push({ url: request.url ?? "", headers: request.headers });
    socket.on("message", (data, binary) => socket.send(data, { binary }));
    socket.on("close", (code) => firstClose.resolve(code));
  });
  return {
    port: (server.address() as { port: number }).port,
    requests,
    firstClose: firstClose.promise,
    closeAll(code) {
      for (const client of server.clients) client.close(code);
    },
    async [Symbol.asyncDispose]() {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A WebSocket client whose messages and close are awaited in order. */
export interface TestSocket extends Disposable {
  readonly socket: InstanceType<typeof WsClient>;
  /** The next message received: its bytes and whether it was binary. */
  next(): Promise<{ data: Uint8Array; binary: boolean }>;
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
}

/** Opens a WebSocket to `url` (`ca`: the certificate to trust for wss) and waits until it is open. */
export async function openSocket(
  url: string,
  options: { readonly ca?: string } = {},
): Promise<TestSocket> {
  const socket = new WsClient(url, { maxPayload: 64 << 20, ...options });
  const queue: Array<{ data: Uint8Array; binary: boolean }> = [];
  const waiters: Array<() => void> = [];
  const closed = Promise.withResolvers<number>();
  socket.on("message", (data: Uint8Array, binary: boolean) => {
    queue.push({ data: new Uint8Array(data), binary });
    waiters.shift()?.();
  });
  socket.on("close", (code: number) => closed.resolve(code));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
    socket.once(
      "unexpected-response",
      (_: unknown, response: { statusCode: number }) =>
        reject(new Error(`WebSocket handshake answered ${response.statusCode}`)),
    );
  });
  await within(opened, `WebSocket open of ${url}`, WAIT_MS);
  return {
    socket,
    async next() {
      if (queue.length === 0) {
        await within(new Promise<void>((resolve) => waiters.push(resolve)), "a message", WAIT_MS);
      }
      return queue.shift()!;
    },
    closed: closed.promise,
    [Symbol.dispose]: () => socket.terminate(),
  };
}

/** A raw backend on 127.0.0.1:0 that gives each connection to `serve`. */
export interface RawBackend extends AsyncDisposable {
  readonly port: number;
}

/** Serves every connection with `serve` until disposed. */
export function startRawBackend(serve: (conn: Deno.Conn) => Promise<void>): RawBackend {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const accepting = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      void serve(conn).catch(() => {}).finally(() => {
        conns.delete(conn);
        try {
          conn.close();
        } catch {
          // Closed by `serve`.
        }
      });
    }
  })().catch(() => {});
  return {
    port: listener.addr.port,
    async [Symbol.asyncDispose]() {
      listener.close();
      for (const conn of conns) conn.close();
      await accepting;
    },
  };
}

/** Reads from `conn` until a head's empty line; returns the head and the bytes behind it. */
export async function readHead(
  conn: Deno.Conn,
): Promise<{ head: string; rest: Uint8Array }> {
  let bytes = new Uint8Array(0);
  const chunk = new Uint8Array(16 * 1024);
  for (;;) {
    const text = new TextDecoder().decode(bytes);
    const end = text.indexOf("\r\n\r\n");
    if (end >= 0) return { head: text.slice(0, end + 4), rest: bytes.slice(end + 4) };
    const n = await within(conn.read(chunk), "a head", WAIT_MS);
    if (n === null) throw new Error(`Connection closed inside a head: ${text}`);
    const grown = new Uint8Array(bytes.length + n);
    grown.set(bytes);
    grown.set(chunk.subarray(0, n), bytes.length);
    bytes = grown;
  }
}

/**
 * A raw backend that switches every request to `protocol` and echoes what follows, the bytes
 * that came behind the request head first.
 */
export function startRawEcho(protocol: string): RawBackend {
  return startRawBackend(async (conn) => {
    const { rest } = await readHead(conn);
    await conn.write(
      new TextEncoder().encode(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${protocol}\r\nConnection: Upgrade\r\n\r\n`,
      ),
    );
    if (rest.length > 0) await conn.write(rest);
    const chunk = new Uint8Array(4096);
    for (let n = await conn.read(chunk); n !== null; n = await conn.read(chunk)) {
      await conn.write(chunk.subarray(0, n));
    }
  });
}
