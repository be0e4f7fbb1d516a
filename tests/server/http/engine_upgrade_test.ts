/**
 * The engine's protocol upgrade: a handler's `UpgradeResponse` gets its `101` head and then the
 * connection, with the bytes pipelined behind the request head; the connection shows `tunnel`
 * while the tunnel lives, gets one access record when it ends, and is closed at its idle
 * timeout, by `closeTunnels()` and by a shutdown's grace; plain HTTP and TLS alike.
 */

import assert from "node:assert/strict";
import type { ConnectionState, Handler, UpgradeResponse } from "../../../server/http/mod.ts";
import { startEngine, until } from "./_test_engine.ts";
import { within } from "../../_deadline.ts";
import { localhostCertificate, serveTls } from "./_localhost_certificate.ts";

const WAIT_MS = 10_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Echoes what the client sends, pipelined bytes first, and ends when the client does. */
const echoTunnel: UpgradeResponse["tunnel"] = async (client) => {
  if (client.buffered.length > 0) await client.write(client.buffered);
  const buffer = new Uint8Array(1024);
  for (let n = await client.read(buffer); n !== null; n = await client.read(buffer)) {
    await client.write(buffer.subarray(0, n));
  }
  await client.closeWrite();
};

function upgradeTo(idleTimeoutMs = WAIT_MS): Handler {
  return (request) =>
    request.path === "/plain" ? { status: 200, headers: [], body: encoder.encode("plain") } : {
      status: 101,
      headers: [["Upgrade", "x-echo"]],
      body: null,
      idleTimeoutMs,
      tunnel: echoTunnel,
    };
}

const UPGRADE = "GET /tunnel HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: x-echo\r\n\r\n";

/** A connection to read with a bound: text until `expected` has arrived, or `null` at its end. */
class Client {
  readonly #conn: Deno.Conn;
  #text = "";
  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }
  send(text: string): Promise<number> {
    return this.#conn.write(encoder.encode(text));
  }
  closeWrite(): Promise<void> {
    return this.#conn.closeWrite();
  }
  /** Reads until the text received so far ends with `expected`; returns it and starts anew. */
  async until(expected: string): Promise<string> {
    const buffer = new Uint8Array(4096);
    while (!this.#text.endsWith(expected)) {
      const n = await within(this.#conn.read(buffer), JSON.stringify(expected), WAIT_MS);
      if (n === null) throw new Error(`Closed before ${JSON.stringify(expected)}: ${this.#text}`);
      this.#text += decoder.decode(buffer.subarray(0, n));
    }
    const text = this.#text;
    this.#text = "";
    return text;
  }
  /** Resolves once the server has closed the connection (end or reset). */
  async ended(): Promise<void> {
    const buffer = new Uint8Array(4096);
    try {
      while (await within(this.#conn.read(buffer), "the end", WAIT_MS) !== null) {
        // Whatever still comes is not under test.
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.ConnectionReset)) throw error;
    }
  }
}

Deno.test("engine: a 101 hands the connection and its pipelined bytes to the tunnel", async () => {
  const states: ConnectionState[] = [];
  await using server = startEngine(upgradeTo(), {
    onState: (connection) => states.push(connection.state),
  });
  using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  const client = new Client(conn);
  await client.send(`${UPGRADE}early bytes|`);
  const head = await client.until("early bytes|");
  assert.match(head, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  assert.match(head, /\r\nUpgrade: x-echo\r\nConnection: Upgrade\r\n\r\nearly bytes\|$/);
  assert.doesNotMatch(head, /Content-Length|Keep-Alive|Transfer-Encoding/i);
  await client.send("more|");
  await client.until("more|");
  assert.deepEqual(states.slice(-3), ["busy", "write", "tunnel"]);
  assert.equal(server.engine.stats.tunnels, 1);
  await client.closeWrite();
  await client.ended();
  const [record] = await server.waitForRecords(1, WAIT_MS);
  assert.equal(record!.status, 101);
  assert.equal(record!.requestLine, "GET /tunnel HTTP/1.1");
  assert.equal(record!.bodyBytes, "early bytes|more|".length);
  assert.equal(record!.connectionStatus, "-");
  assert.equal(record!.receivedBytes, UPGRADE.length + "early bytes|more|".length);
  await until(() => server.engine.stats.connections === 0, "closed");
  assert.deepEqual(server.errors(), []);
});

Deno.test("engine: a 101 for a request that did not ask to switch is answered 500", async (t) => {
  const cases = [
    { name: "no Upgrade field", head: "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\n\r\n" },
    {
      name: "no upgrade connection option",
      head: "GET / HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\nUpgrade: x-echo\r\n\r\n",
    },
    {
      name: "HTTP/1.0",
      head: "GET / HTTP/1.0\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: x-echo\r\n\r\n",
    },
    {
      name: "an unread request body",
      head:
        "POST / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: x-echo\r\nContent-Length: 3\r\n\r\nabc",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using server = startEngine(upgradeTo());
      using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      const client = new Client(conn);
      await client.send(c.head);
      assert.match(await client.until("</html>\n"), /^HTTP\/1\.[01] 500 /);
      assert.match(server.errors()[0]?.message ?? "", /^Cannot switch protocols for /);
    });
  }
});

Deno.test("engine: a tunnel is closed at its idle timeout, by closeTunnels() and by shutdown", async (t) => {
  await t.step("idle timeout", async () => {
    await using server = startEngine(upgradeTo(200));
    using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    const client = new Client(conn);
    await client.send(UPGRADE);
    await client.until("\r\n\r\n");
    await client.ended();
    assert.equal((await server.waitForRecords(1, WAIT_MS))[0]!.status, 101);
  });
  await t.step("closeTunnels() closes tunnels only, and refuses new ones", async () => {
    await using server = startEngine(upgradeTo());
    using tunnelled = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    using kept = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    const tunnel = new Client(tunnelled);
    const plain = new Client(kept);
    await tunnel.send(UPGRADE);
    await tunnel.until("\r\n\r\n");
    await plain.send("GET /plain HTTP/1.1\r\nHost: t\r\n\r\n");
    await plain.until("plain");
    assert.equal(server.engine.closeTunnels(), 1);
    await tunnel.ended();
    await plain.send("GET /plain HTTP/1.1\r\nHost: t\r\n\r\n");
    await plain.until("plain");
    // Once tunnels are closed, none may start.
    await plain.send(UPGRADE);
    assert.match(await plain.until("</html>\n"), /^HTTP\/1\.1 503 /);
  });
  await t.step("a shutdown's grace", async () => {
    await using server = startEngine(upgradeTo());
    using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    const client = new Client(conn);
    await client.send(UPGRADE);
    await client.until("\r\n\r\n");
    await within(server.engine.shutdown({ graceMs: 100 }), "the shutdown", WAIT_MS);
    await client.ended();
  });
});

Deno.test("engine: a tunnel over TLS gets the decrypted pipelined bytes and echoes", async () => {
  await using certificate = await localhostCertificate();
  await using server = startEngine(upgradeTo());
  await using tlsServer = await serveTls(
    certificate,
    (conn) => server.engine.handleConnection(conn),
  );
  using conn = await Deno.connectTls({
    hostname: "localhost",
    port: tlsServer.port,
    caCerts: [certificate.cert],
  });
  const client = new Client(conn);
  await client.send(`${UPGRADE}over tls|`);
  assert.match(await client.until("over tls|"), /^HTTP\/1\.1 101 /);
  await client.send("again|");
  await client.until("again|");
  await client.closeWrite();
  await client.ended();
  const [record] = await server.waitForRecords(1, WAIT_MS);
  assert.equal(record!.status, 101);
  assert.equal(record!.bodyBytes, "over tls|again|".length);
});
