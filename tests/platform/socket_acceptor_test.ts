import assert from "node:assert/strict";
import {
  closeListenSocket,
  type ListenSocket,
  openListenSocket,
  probeSharedAccept,
  SocketAcceptor,
  WOKEN,
} from "../../platform/mod.ts";
import { within } from "../_deadline.ts";

const DEADLINE_MS = 5_000;

function listening(hostname = "127.0.0.1"): ListenSocket & Disposable {
  const socket = openListenSocket({ hostname, port: 0 });
  return { ...socket, [Symbol.dispose]: () => closeListenSocket(socket.fd) };
}

function acceptorOf(socket: ListenSocket, errors: Error[] = []): Promise<SocketAcceptor> {
  return SocketAcceptor.open([socket.fd], { onError: (error) => errors.push(error) });
}

async function accepted(acceptor: SocketAcceptor): Promise<Deno.TcpConn> {
  const next = await within(acceptor.next(), "a connection", DEADLINE_MS);
  assert.ok(next !== null && next !== WOKEN, `a connection, not ${String(next)}`);
  return next;
}

Deno.test("probeSharedAccept() finds the whole path working on Linux", async () => {
  assert.equal(await probeSharedAccept(), null);
});

Deno.test("SocketAcceptor.next() gives a Deno.TcpConn with the real peer and local addresses", async (t) => {
  for (const hostname of ["127.0.0.1", "::1"]) {
    await t.step(hostname, async () => {
      using socket = listening(hostname);
      const acceptor = await acceptorOf(socket);
      try {
        const client = await Deno.connect({ hostname, port: socket.port });
        const conn = await accepted(acceptor);
        const { remoteAddr, localAddr } = conn;
        assert.deepEqual(
          [remoteAddr.transport, remoteAddr.hostname, remoteAddr.port],
          ["tcp", client.localAddr.hostname, client.localAddr.port],
        );
        assert.deepEqual(
          [localAddr.transport, localAddr.hostname, localAddr.port],
          ["tcp", hostname, socket.port],
        );
        await client.write(new TextEncoder().encode("ping"));
        const buffer = new Uint8Array(4);
        assert.equal(await conn.read(buffer), 4);
        await conn.write(buffer);
        assert.equal(await client.read(buffer), 4);
        assert.equal(new TextDecoder().decode(buffer), "ping");
        conn.close();
        assert.equal(await client.read(buffer), null, "the client sees the close");
        client.close();
      } finally {
        await acceptor.close();
      }
    });
  }
});

Deno.test("SocketAcceptor.wake() ends a pending next() with WOKEN, or the next one", async () => {
  using socket = listening();
  const acceptor = await acceptorOf(socket);
  try {
    const pending = acceptor.next();
    acceptor.wake();
    assert.equal(await within(pending, "WOKEN", DEADLINE_MS), WOKEN);
    acceptor.wake();
    assert.equal(await within(acceptor.next(), "WOKEN at once", DEADLINE_MS), WOKEN);
    // Woken once, it waits again for a connection.
    const client = await Deno.connect({ hostname: "127.0.0.1", port: socket.port });
    (await accepted(acceptor)).close();
    client.close();
  } finally {
    await acceptor.close();
  }
});

Deno.test("SocketAcceptor.close() ends a pending next() with null and leaves the socket open", async () => {
  using socket = listening();
  const first = await acceptorOf(socket);
  const pending = first.next();
  assert.deepEqual(await first.close(), []);
  assert.equal(await within(pending, "null", DEADLINE_MS), null);
  assert.equal(await first.next(), null);
  // Another slot goes on accepting from the same socket.
  const second = await acceptorOf(socket);
  try {
    const client = await Deno.connect({ hostname: "127.0.0.1", port: socket.port });
    (await accepted(second)).close();
    client.close();
  } finally {
    await second.close();
  }
});

Deno.test("SocketAcceptor: slots sharing a socket take each connection exactly once", async () => {
  using socket = listening();
  const acceptors = await Promise.all([acceptorOf(socket), acceptorOf(socket), acceptorOf(socket)]);
  const CONNECTIONS = 60;
  const seen = new Map<number, number>();
  try {
    // Each slot serves one connection at a time, as prefork does: it reads the client's
    // number, answers, closes, and only then asks for the next connection.
    const serving = acceptors.map(async (acceptor, slot) => {
      for (;;) {
        const next = await acceptor.next();
        if (next === null) return;
        if (next === WOKEN) continue;
        const buffer = new Uint8Array(8);
        const n = await next.read(buffer);
        const number = Number(new TextDecoder().decode(buffer.subarray(0, n ?? 0)));
        seen.set(number, (seen.get(number) ?? 0) + 1);
        await next.write(new TextEncoder().encode(String(slot)));
        next.close();
      }
    });
    const clients = Array.from({ length: CONNECTIONS }, async (_, number) => {
      const client = await Deno.connect({ hostname: "127.0.0.1", port: socket.port });
      await client.write(new TextEncoder().encode(String(number)));
      const buffer = new Uint8Array(8);
      const n = await within(client.read(buffer), `the answer to client ${number}`, DEADLINE_MS);
      client.close();
      return Number(new TextDecoder().decode(buffer.subarray(0, n ?? 0)));
    });
    const slots = await Promise.all(clients);
    assert.equal(seen.size, CONNECTIONS);
    assert.ok([...seen.values()].every((count) => count === 1), "no connection twice");
    assert.ok(slots.every((slot) => slot >= 0 && slot < acceptors.length));
    for (const acceptor of acceptors) await acceptor.close();
    await Promise.all(serving);
  } finally {
    for (const acceptor of acceptors) await acceptor.close();
  }
});

Deno.test("SocketAcceptor: a slot that does not ask leaves the connection to one that does", async () => {
  using socket = listening();
  const busy = await acceptorOf(socket);
  const idle = await acceptorOf(socket);
  try {
    // `busy` asked once and got its connection; it does not ask again while serving it.
    const first = await Deno.connect({ hostname: "127.0.0.1", port: socket.port });
    const held = await accepted(busy);
    for (let i = 0; i < 20; i++) {
      const client = await Deno.connect({ hostname: "127.0.0.1", port: socket.port });
      const conn = await accepted(idle);
      assert.equal(conn.remoteAddr.port, client.localAddr.port);
      conn.close();
      client.close();
    }
    held.close();
    first.close();
  } finally {
    await busy.close();
    await idle.close();
  }
});

Deno.test("SocketAcceptor hands a raw listener's descriptors to start, adopting the rest", async () => {
  using plain = listening();
  using raw = listening();
  const started: { fd: number; remotePort: number; localPort: number }[] = [];
  const acceptor = await SocketAcceptor.open<Deno.Conn>([plain.fd, raw.fd], {
    onError: () => {},
    raw: {
      fds: [raw.fd],
      start: (socket) => {
        started.push({
          fd: socket.fd,
          remotePort: socket.remoteAddr.port,
          localPort: socket.localAddr.port,
        });
        // What a caller makes of the descriptor (TLS, in the slot); here only its close, which
        // closeListenSocket() does for any descriptor.
        return { close: () => closeListenSocket(socket.fd) } as unknown as Deno.Conn;
      },
    },
  });
  try {
    const toRaw = await Deno.connect({ hostname: "127.0.0.1", port: raw.port });
    const fromRaw = await within(acceptor.next(), "the raw connection", DEADLINE_MS);
    assert.ok(fromRaw !== null && fromRaw !== WOKEN);
    assert.deepEqual(started.map((s) => [s.remotePort, s.localPort]), [
      [toRaw.localAddr.port, raw.port],
    ]);
    fromRaw.close();
    toRaw.close();

    const toPlain = await Deno.connect({ hostname: "127.0.0.1", port: plain.port });
    const fromPlain = await within(acceptor.next(), "the plain connection", DEADLINE_MS);
    assert.ok(fromPlain !== null && fromPlain !== WOKEN);
    assert.equal(started.length, 1, "a plain listener's connection is adopted, not started");
    assert.equal((fromPlain.remoteAddr as Deno.NetAddr).port, toPlain.localAddr.port);
    fromPlain.close();
    toPlain.close();
  } finally {
    await acceptor.close();
  }
});
