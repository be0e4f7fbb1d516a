import assert from "node:assert/strict";
import { latin1, RawClient } from "./_raw_client.ts";
import { routes } from "./_handlers.ts";
import { startEngine, until } from "./_test_engine.ts";

const LIMITS = { limitRequestLine: 100, limitRequestFieldSize: 100, limitRequestFields: 5 };
const H = "Host: t\r\n";

const REJECTIONS: Array<{ name: string; request: string; status: number }> = [
  { name: "obs-fold", request: `GET / HTTP/1.1\r\n${H}X: 1\r\n 2\r\n\r\n`, status: 400 },
  {
    name: "whitespace before the colon",
    request: `GET / HTTP/1.1\r\nHost : t\r\n\r\n`,
    status: 400,
  },
  { name: "a non-token field name", request: `GET / HTTP/1.1\r\n${H}X@Y: 1\r\n\r\n`, status: 400 },
  {
    name: "a control byte in a value",
    request: `GET / HTTP/1.1\r\n${H}X: a\x01\r\n\r\n`,
    status: 400,
  },
  { name: "a bare LF", request: `GET / HTTP/1.1\n${H}\n`, status: 400 },
  { name: "no Host on HTTP/1.1", request: "GET / HTTP/1.1\r\n\r\n", status: 400 },
  { name: "two Host fields", request: `GET / HTTP/1.1\r\n${H}${H}\r\n`, status: 400 },
  {
    name: "Content-Length and Transfer-Encoding",
    request:
      `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    status: 400,
  },
  {
    name: "a non-decimal Content-Length",
    request: `POST / HTTP/1.1\r\n${H}Content-Length: 1e3\r\n\r\n`,
    status: 400,
  },
  {
    name: "differing Content-Length fields",
    request: `POST / HTTP/1.1\r\n${H}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    status: 400,
  },
  {
    name: "a Content-Length list",
    request: `POST / HTTP/1.1\r\n${H}Content-Length: 1, 2\r\n\r\nab`,
    status: 400,
  },
  {
    name: "Transfer-Encoding not ending in chunked",
    request: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, gzip\r\n\r\n`,
    status: 400,
  },
  {
    name: "an unsupported transfer coding",
    request: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n`,
    status: 501,
  },
  {
    name: "Transfer-Encoding on HTTP/1.0",
    request: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
    status: 400,
  },
  {
    name: "a request line over LimitRequestLine",
    request: `GET /${"a".repeat(120)} HTTP/1.1\r\n${H}\r\n`,
    status: 414,
  },
  {
    name: "a request line over LimitRequestLine, without its end",
    request: `GET /${"a".repeat(300)}`,
    status: 414,
  },
  {
    name: "a field over LimitRequestFieldSize",
    request: `GET / HTTP/1.1\r\n${H}X: ${"b".repeat(120)}\r\n\r\n`,
    status: 400,
  },
  {
    name: "more fields than LimitRequestFields",
    request: `GET / HTTP/1.1\r\n${H}A: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\n\r\n`,
    status: 400,
  },
  { name: "HTTP/2.0", request: `GET / HTTP/2.0\r\n${H}\r\n`, status: 505 },
  { name: "a garbage version", request: `GET / HTTX/1.1\r\n${H}\r\n`, status: 400 },
  {
    name: "garbage instead of a request",
    request: "\x16\x03\x01\x00\xa5\x01\x00\x00\r\n\r\n",
    status: 400,
  },
  { name: "CONNECT", request: `CONNECT t:443 HTTP/1.1\r\n${H}\r\n`, status: 501 },
  {
    name: "an unknown expectation",
    request: `GET / HTTP/1.1\r\n${H}Expect: magic\r\n\r\n`,
    status: 417,
  },
  { name: "asterisk-form for GET", request: `GET * HTTP/1.1\r\n${H}\r\n`, status: 400 },
];

Deno.test("engine answers malformed requests and keeps serving", async (t) => {
  await using server = startEngine(routes(), LIMITS);
  for (const [i, c] of REJECTIONS.entries()) {
    await t.step(`${c.name}: ${c.status}`, async () => {
      {
        await using client = await RawClient.connect(server.port);
        await client.send(c.request);
        const response = await client.readResponse();
        assert.equal(response.status, c.status);
        assert.equal(response.headers.get("connection"), "close");
        assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
        assert.match(response.text, new RegExp(`<h1>${c.status} `));
        await client.waitForClose();
      }
      await using next = await RawClient.connect(server.port);
      await next.send(`GET /after HTTP/1.1\r\n${H}\r\n`);
      assert.equal((await next.readResponse()).status, 200);
      const records = await server.waitForRecords(2 * (i + 1));
      const rejected = records.at(-2)!;
      assert.equal(rejected.status, c.status);
      assert.equal(rejected.method, "");
      assert.equal(rejected.connectionStatus, "-");
    });
  }
  assert.deepEqual(server.errors(), []);
});

Deno.test("engine lingers after a rejection: the 400 arrives whole while the client still sends", async () => {
  await using server = startEngine(routes());
  const client = await RawClient.connect(server.port);
  const junk = new Uint8Array(256 * 1024).fill(0x41);
  const sending = (async () => {
    await client.send(`GET / HTTP/1.1\r\n${H}X: 1\r\n 2\r\n\r\n`);
    await client.send(junk);
  })();
  const response = await client.readResponse();
  assert.equal(response.status, 400);
  assert.match(response.text, /400 Bad Request/);
  // The server has shut down its sending side but still reads and discards (httpd's
  // lingering_close) rather than closing with unread bytes, which would reset the connection.
  await client.waitForClose();
  await until(() => server.engine.stats.closing === 1, "lingering");
  await sending;
  await client.send(junk);
  client.close();
  await until(() => server.engine.stats.connections === 0, "closed");
});

Deno.test("engine reads LimitRequestFields 0 as unlimited, as httpd does", async () => {
  await using server = startEngine(routes(), { limitRequestFields: 0 });
  await using client = await RawClient.connect(server.port);
  const fields = Array.from({ length: 250 }, (_, i) => `X-F${i}: ${i}\r\n`).join("");
  await client.send(`GET /after HTTP/1.1\r\n${H}${fields}\r\n`);
  assert.equal((await client.readResponse()).status, 200);
});

Deno.test("engine refuses a head that would fill its receive buffer, and keeps serving", async () => {
  // The longest head these limits allow is larger than the first 4 KiB buffer, so the buffer
  // grows to its cap while this head arrives.
  const limits = { limitRequestLine: 1000, limitRequestFieldSize: 1000, limitRequestFields: 5 };
  await using server = startEngine(routes(), limits);
  const fields = Array.from({ length: 5 }, (_, i) => `X${i}: ${"b".repeat(996)}\r\n`).join("");
  {
    await using client = await RawClient.connect(server.port);
    await client.send(`${"\r\n".repeat(5)}GET /${"a".repeat(985)} HTTP/1.1\r\n${fields}`);
    await client.send("Y".repeat(100));
    assert.equal((await client.readResponse()).status, 400);
  }
  await using next = await RawClient.connect(server.port);
  await next.send(`GET /after HTTP/1.1\r\n${H}\r\n`);
  assert.equal((await next.readResponse()).status, 200);
});

Deno.test("engine escapes the client's bytes in what it logs about a refused request", async (t) => {
  await using server = startEngine(routes());
  const cases = [
    {
      name: "a version with ESC and a lone CR",
      request: `GET / HTTP/1.1\x1b[2J\rX\r\n${H}\r\n`,
      shown: String.raw`"HTTP/1.1\x1b[2J\rX"`,
    },
    {
      name: "a target with quotes and a backslash",
      request: `GET "/\\x" HTTP/1.1\r\n${H}\r\n`,
      shown: String.raw`"\"/\\x\""`,
    },
    {
      name: "a Content-Length with obs-text",
      request: `POST / HTTP/1.1\r\n${H}Content-Length: 5\xff"\r\n\r\n`,
      shown: String.raw`"5\xff\""`,
    },
    {
      name: "a transfer coding with obs-text",
      request: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: x\xff, chunked\r\n\r\n`,
      shown: String.raw`"x\xff"`,
    },
    {
      name: "an expectation with obs-text",
      request: `GET / HTTP/1.1\r\n${H}Expect: \xff\r\n\r\n`,
      shown: String.raw`"\xff"`,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using client = await RawClient.connect(server.port);
      const logged = server.logs.length;
      await client.send(latin1(c.request));
      assert.ok((await client.readResponse()).status >= 400);
      const entry = server.logs.slice(logged).find((e) => e.message.startsWith("Refused"));
      assert.ok(entry !== undefined, "the refusal is logged");
      assert.match(entry.message, /^[\x20-\x7e]*$/, "printable ASCII only");
      assert.ok(entry.message.includes(c.shown), `${entry.message} shows ${c.shown}`);
    });
  }
});
