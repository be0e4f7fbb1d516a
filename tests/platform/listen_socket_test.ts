import assert from "node:assert/strict";
import {
  buildSelfCommand,
  closeListenSocket,
  openListenSocket,
  readSelfFacts,
  setInheritable,
  spawnChild,
} from "../../platform/mod.ts";
import { within } from "../_deadline.ts";

/** Whether `fd` is close-on-exec, from the kernel's own view of it. */
function closeOnExec(fd: number): boolean {
  const flags = /^flags:\s+(\d+)$/m.exec(Deno.readTextFileSync(`/proc/self/fdinfo/${fd}`))?.[1];
  return (parseInt(flags!, 8) & 0o2000000) !== 0;
}

async function readAll(conn: Deno.Conn): Promise<string> {
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(256);
  for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
    chunks.push(buffer.slice(0, n));
  }
  return new TextDecoder().decode(new Uint8Array(chunks.flatMap((chunk) => [...chunk])));
}

Deno.test("openListenSocket() binds IPv4 and IPv6 loopback; port 0 gets a real port", () => {
  for (const hostname of ["127.0.0.1", "::1"]) {
    const socket = openListenSocket({ hostname, port: 0 });
    try {
      assert.equal(socket.hostname, hostname);
      assert.ok(socket.port > 0);
      assert.ok(closeOnExec(socket.fd), "close-on-exec until a child is started");
    } finally {
      closeListenSocket(socket.fd);
    }
  }
});

Deno.test("openListenSocket() fails with AddrInUse on a port another listener holds", () => {
  const socket = openListenSocket({ hostname: "127.0.0.1", port: 0 });
  try {
    assert.throws(
      () => openListenSocket({ hostname: "127.0.0.1", port: socket.port }),
      (error) => error instanceof Deno.errors.AddrInUse && /\(os error 98\)$/.test(error.message),
    );
    // Nor can a reuseport listener join it: the port is not in a reuseport group.
    assert.throws(
      () => Deno.listen({ hostname: "127.0.0.1", port: socket.port, reusePort: true }),
      Deno.errors.AddrInUse,
    );
  } finally {
    closeListenSocket(socket.fd);
  }
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0, reusePort: true });
  assert.throws(
    () => openListenSocket({ hostname: "127.0.0.1", port: taken.addr.port }),
    Deno.errors.AddrInUse,
  );
});

Deno.test("openListenSocket() refuses a host name: Listen takes numeric addresses", () => {
  assert.throws(() => openListenSocket({ hostname: "localhost", port: 0 }), TypeError);
});

Deno.test("setInheritable() clears and sets close-on-exec", () => {
  const socket = openListenSocket({ hostname: "127.0.0.1", port: 0 });
  try {
    setInheritable(socket.fd, true);
    assert.equal(closeOnExec(socket.fd), false);
    setInheritable(socket.fd, false);
    assert.equal(closeOnExec(socket.fd), true);
  } finally {
    closeListenSocket(socket.fd);
  }
});

Deno.test("spawnChild() with inheritFds: the child accepts from the parent's socket", async () => {
  const socket = openListenSocket({ hostname: "127.0.0.1", port: 0 });
  const child = spawnChild(
    buildSelfCommand(
      {
        ...readSelfFacts(),
        mainModule: new URL("./_shared_socket_child.ts", import.meta.url).href,
      },
      [String(socket.fd)],
    ),
    { inheritFds: [socket.fd] },
  );
  try {
    assert.ok(closeOnExec(socket.fd), "close-on-exec again once the child is started");
    // The kernel completes the handshake whether or not anyone accepts yet.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: socket.port });
    assert.equal(await within(readAll(conn), "the child's answer", 10_000), `pong ${socket.fd}`);
    conn.close();
    assert.equal((await child.status).code, 0);
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await child.closeInput().catch(() => {});
    for await (const _ of child.messages) { /* drain */ }
    closeListenSocket(socket.fd);
  }
});
