import assert from "node:assert/strict";
import { routeByAlpn } from "../../slot/alpn_engines.ts";
import { routes } from "../server/http/_handlers.ts";
import { startEngine, until } from "../server/http/_test_engine.ts";
import { localhostCertificate, serveTls } from "../server/http/_localhost_certificate.ts";
import { within } from "../_deadline.ts";

const WAIT_MS = 5_000;

Deno.test("routeByAlpn(): a shutdown lets a handshake under way reach its engine and be answered", async () => {
  await using certificate = await localhostCertificate();
  await using http1 = startEngine(routes());
  await using h2 = startEngine(routes());
  const route = routeByAlpn({ http1: http1.engine, h2: h2.engine, handshakeMs: WAIT_MS });
  await using server = await serveTls(certificate, (conn) => route.handleConnection(conn));
  // Connected, its handshake not begun: the slot retires now.
  const plain = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await until(() => route.stats.connections === 1, "the connection handshaking");
  route.drain();
  const shutdown = route.shutdown();
  using conn = await Deno.startTls(plain, { hostname: "localhost", caCerts: [certificate.cert] });
  await conn.write(new TextEncoder().encode("GET /a HTTP/1.1\r\nHost: t\r\n\r\n"));
  const answer = new Uint8Array(4096);
  let text = "";
  for (let n; !text.includes("hello GET /a") && (n = await conn.read(answer)) !== null;) {
    text += new TextDecoder().decode(answer.subarray(0, n));
  }
  assert.match(text, /^HTTP\/1\.1 200 /);
  assert.match(text, /\r\nConnection: close\r\n/i, "answered as a draining engine answers");
  await within(shutdown, "the shutdown", WAIT_MS);
});
