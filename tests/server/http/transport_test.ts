import assert from "node:assert/strict";
import { BufferPool } from "../../../server/http/_buffer_pool.ts";
import { LINGER, Transport } from "../../../server/http/_transport.ts";
import { collectingLogger } from "./_test_engine.ts";
import { DEFAULT_ENGINE_SETTINGS, HttpError } from "../../../server/http/mod.ts";

/**
 * A socket that never receives anything (like Deno's, a read into no room returns 0 at once)
 * and whose writes succeed, or fail as to a client that has reset the connection.
 */
function silentConn(options: { writesFail?: boolean } = {}): Deno.Conn {
  let closed = false;
  const conn = {
    read: (into: Uint8Array) => {
      if (into.length === 0) return Promise.resolve(0);
      if (closed) return Promise.reject(new Deno.errors.BadResource("Bad resource ID"));
      return new Promise<number | null>(() => {});
    },
    write: (bytes: Uint8Array) =>
      options.writesFail
        ? Promise.reject(new Deno.errors.ConnectionReset("Connection reset by peer"))
        : Promise.resolve(bytes.length),
    closeWrite: () => Promise.resolve(),
    close: () => closed = true,
  };
  return conn as unknown as Deno.Conn;
}

/** A transport in the middle of an exchange whose body has just begun. */
function transport(conn = silentConn()): Transport {
  const io = new Transport(conn, {
    settings: DEFAULT_ENGINE_SETTINGS,
    buffers: new BufferPool(64, 1),
    logger: collectingLogger([]),
    maxBufferBytes: 64,
    peer: "192.0.2.1",
    onStateChange: () => {},
    onClosed: () => {},
  });
  io.bodyStartMs = Date.now();
  return io;
}

Deno.test("Transport refuses a body read once the exchange is over", async (t) => {
  await t.step("while lingering: the phase and its deadline stay", async () => {
    const io = transport();
    const deadline = Date.now() + 2_000;
    io.enter(LINGER, deadline);
    await assert.rejects(io.fill(), HttpError);
    await assert.rejects(io.readInto(new Uint8Array(8)), HttpError);
    assert.equal(io.phase, LINGER);
    assert.equal(io.deadline, deadline);
  });
  await t.step("after close and recycling: no read into the emptied buffer", async () => {
    const io = transport();
    io.abort();
    io.recycle();
    // Were the read made, it would return 0 bytes forever: a body loop that never ends.
    await assert.rejects(io.fill(), HttpError);
  });
});

Deno.test("Transport.sendContinue() reports a client gone as HttpError(400), as a read would", async () => {
  // Not the socket's own error: a handler would pass that on, and the client's disconnect
  // would be logged as the handler's crash.
  const io = transport(silentConn({ writesFail: true }));
  await assert.rejects(
    io.sendContinue(),
    (error: unknown) => error instanceof HttpError && error.status === 400,
  );
});
