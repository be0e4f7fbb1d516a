import assert from "node:assert/strict";
import { headEndOf, parseBackendHead } from "../../../modules/proxy/mod.ts";

const encoder = new TextEncoder();

Deno.test("headEndOf() finds the empty line that ends a head", () => {
  assert.equal(headEndOf(encoder.encode("HTTP/1.1 200 OK\r\n\r\nbody")), 19);
  assert.equal(headEndOf(encoder.encode("HTTP/1.1 200 OK\r\n")), -1);
});

Deno.test("parseBackendHead()", async (t) => {
  const cases = [
    {
      name: "a 101 keeps its Upgrade apart and drops Connection",
      head: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Accept: a\r\n\r\n",
      method: "GET",
      want: {
        status: 101,
        statusText: "Switching Protocols",
        headers: [["Sec-WebSocket-Accept", "a"]],
        upgrade: "websocket",
        framing: 0,
      },
    },
    {
      name: "a length-framed answer; fields its Connection names are dropped",
      head: "HTTP/1.1 403 Forbidden\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\n" +
        "Content-Length: 7\r\nX-End: 2\r\n\r\n",
      method: "GET",
      want: {
        status: 403,
        statusText: "Forbidden",
        headers: [["X-End", "2"]],
        upgrade: "",
        framing: 7,
      },
    },
    {
      name: "chunked wins over a length",
      head: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
      method: "GET",
      want: { status: 200, statusText: "OK", headers: [], upgrade: "", framing: "chunked" },
    },
    {
      name: "no framing: read to the close",
      head: "HTTP/1.0 200 OK\r\n\r\n",
      method: "GET",
      want: { status: 200, statusText: "OK", headers: [], upgrade: "", framing: "close" },
    },
    {
      name: "no body for HEAD",
      head: "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n",
      method: "HEAD",
      want: { status: 200, statusText: "OK", headers: [], upgrade: "", framing: 0 },
    },
  ] as const;
  for (const c of cases) {
    await t.step(c.name, () => {
      assert.deepEqual(parseBackendHead(encoder.encode(c.head), c.method), c.want);
    });
  }
});

Deno.test("parseBackendHead() says why bytes are not a head", async (t) => {
  const cases = [
    { name: "not HTTP", head: "SSH-2.0-OpenSSH\r\n\r\n", reason: /status line/ },
    { name: "a bad field line", head: "HTTP/1.1 200 OK\r\nno colon\r\n\r\n", reason: /malformed/ },
    {
      name: "two lengths",
      head: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      reason: /not one number/,
    },
    {
      name: "a coding other than chunked",
      head: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
      reason: /not chunked/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const result = parseBackendHead(encoder.encode(c.head), "GET");
      assert.equal(typeof result, "string");
      assert.match(result as string, c.reason);
    });
  }
});
