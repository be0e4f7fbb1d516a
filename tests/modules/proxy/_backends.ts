/**
 * Backends the proxy tests put behind mpmd, all on 127.0.0.1 in the test's own process: a plain
 * node:http server that says what it received, and a raw one that misbehaves on purpose.
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A running backend. */
export interface Backend extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly port: number;
}

/** The node:http backend, and how many connections it has accepted. */
export interface EchoBackend extends Backend {
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Requests answered so far. */
  readonly requests: number;
  /** Connections open now. */
  readonly open: number;
  /** Closes every idle keep-alive connection (a pooled one goes stale). */
  closeIdle(): void;
}

/** What the echo backend answers with for an ordinary path. */
export interface Echo {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Body bytes received. */
  readonly received: number;
}

/**
 * A node:http backend. Paths (after any prefix): `/redirect` answers 302 with a Location on
 * itself and two cookies; `/bytes/N` streams N bytes; `/early` answers 413 without reading the
 * body; anything else answers the {@link Echo} of the request as JSON with a hop-by-hop field.
 */
export async function startEchoBackend(): Promise<EchoBackend> {
  let connections = 0;
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bytes = /\/bytes\/(\d+)$/.exec(req.url ?? "");
    if (bytes !== null) return streamBytes(res, Number(bytes[1]));
    if (req.url?.endsWith("/early")) {
      res.writeHead(413, { "Content-Length": "5", Connection: "close" });
      res.end("early");
      return;
    }
    let received = 0;
    req.on("data", (chunk: Uint8Array) => received += chunk.length);
    req.on("end", () => {
      if (req.url?.endsWith("/redirect")) {
        res.writeHead(302, {
          Location: `${origin}/app/elsewhere?x=1`,
          "Set-Cookie": ["a=1; Path=/app/cart; HttpOnly", "b=2; Path=/"],
          "Content-Length": "0",
        });
        res.end();
        return;
      }
      const body = JSON.stringify(
        {
          method: req.method,
          url: req.url,
          headers: req.headers,
          received,
        },
      );
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Content-Length": String(Buffer.byteLength(body)),
        Connection: "X-Backend-Secret",
        "X-Backend-Secret": "hop",
      });
      res.end(body);
    });
  });
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // Longer than any test: a kept-alive connection closes because the proxy closed it.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    get open() {
      return sockets.size;
    },
    closeIdle: () => server.closeIdleConnections(),
    [Symbol.asyncDispose]: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Writes `total` bytes of `x` in 64 KiB pieces, each after the last has drained. */
function streamBytes(res: ServerResponse, total: number): void {
  const piece = new Uint8Array(64 * 1024).fill(0x78);
  res.writeHead(200, {
    "Content-Type": "application/octet-stream",
    "Content-Length": String(total),
  });
  let left = total;
  const more = () => {
    while (left > 0) {
      const n = Math.min(left, piece.length);
      left -= n;
      if (!res.write(piece.subarray(0, n))) {
        res.once("drain", more);
        return;
      }
    }
    res.end();
  };
  more();
}

/**
 * A raw backend that misbehaves by the request's path: `/garbage` answers bytes that are no
 * HTTP, `/bad-field` a head with an invalid field line, `/cut` half of its declared body and
 * closes, `/silent` nothing ever, `/hang-up` closes at once.
 */
export function startMisbehavingBackend(): Backend {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const serving = (async () => {
    for await (const conn of listener) {
      open.add(conn);
      misbehave(conn).catch(() => {}).finally(() => open.delete(conn));
    }
  })();
  return {
    origin: `http://127.0.0.1:${listener.addr.port}`,
    port: listener.addr.port,
    [Symbol.asyncDispose]: async () => {
      listener.close();
      for (const conn of open) conn.close();
      await serving.catch(() => {});
    },
  };
}

async function misbehave(conn: Deno.Conn): Promise<void> {
  const head = await readHead(conn);
  const path = head.split(" ")[1] ?? "";
  const send = (text: string) => conn.write(new TextEncoder().encode(text));
  if (path.endsWith("/garbage")) await send("SSH-2.0-OpenSSH_9.2\r\n\r\n");
  else if (path.endsWith("/bad-field")) await send("HTTP/1.1 200 OK\r\nBad Field: x\r\n\r\n");
  else if (path.endsWith("/cut")) {
    await send(`HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n${"x".repeat(50_000)}`);
  } else if (path.endsWith("/silent")) {
    // Holds the connection open without a byte until the test ends.
    await conn.read(new Uint8Array(1));
  }
  conn.close();
}

/** Reads up to the end of a request head (bodies are not sent to this backend). */
async function readHead(conn: Deno.Conn): Promise<string> {
  const buf = new Uint8Array(16 * 1024);
  let length = 0;
  for (;;) {
    const n = await conn.read(buf.subarray(length));
    if (n === null) return "";
    length += n;
    const text = new TextDecoder().decode(buf.subarray(0, length));
    if (text.includes("\r\n\r\n")) return text;
  }
}

/** A loopback port nothing listens on: bound, read and released. */
export function refusedPort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return listener.addr.port;
}
