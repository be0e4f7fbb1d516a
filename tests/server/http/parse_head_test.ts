import assert from "node:assert/strict";
import {
  parseRequestHead,
  type RequestHead,
  requestLineOf,
} from "../../../server/http/parse_head.ts";
import { latin1 } from "./_raw_client.ts";
import { HttpError } from "../../../server/http/mod.ts";

const LIMITS = { limitRequestLine: 8190, limitRequestFieldSize: 8190, limitRequestFields: 100 };
const encoder = new TextEncoder();

function parse(head: string | Uint8Array, limits = LIMITS): RequestHead | HttpError {
  return parseRequestHead(typeof head === "string" ? encoder.encode(head) : head, limits);
}

function parsed(head: string): RequestHead {
  const result = parse(head);
  if (result instanceof HttpError) {
    throw new Error(`unexpected ${result.status}: ${result.message}`);
  }
  return result;
}

const H = "Host: example.test\r\n";

const REJECTIONS: Array<
  { name: string; head: string | Uint8Array; status: number; limits?: typeof LIMITS }
> = [
  { name: "a method that is not a token", head: `G(T / HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: "two spaces after the method", head: `GET  / HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: "a missing version (HTTP/0.9 form)", head: `GET /\r\n${H}\r\n`, status: 400 },
  { name: "a lower-case version name", head: `GET / http/1.1\r\n${H}\r\n`, status: 400 },
  { name: "a garbage version", head: `GET / HTTP/1.1x\r\n${H}\r\n`, status: 400 },
  { name: "HTTP/2.0", head: `GET / HTTP/2.0\r\n${H}\r\n`, status: 505 },
  { name: "HTTP/0.9 written out", head: `GET / HTTP/0.9\r\n${H}\r\n`, status: 505 },
  { name: "a control byte in the target", head: `GET /a\x01b HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: "a fragment in the target", head: `GET /a#b HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: "a non-ASCII byte in the target", head: `GET /\u00e9 HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: "asterisk-form for GET", head: `GET * HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: "authority-form for GET", head: `GET example.test:80 HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: "CONNECT", head: `CONNECT example.test:443 HTTP/1.1\r\n${H}\r\n`, status: 501 },
  {
    name: "absolute-form with userinfo",
    head: `GET http://u@example.test/ HTTP/1.1\r\n${H}\r\n`,
    status: 400,
  },
  {
    name: "absolute-form without authority",
    head: `GET http:///x HTTP/1.1\r\n${H}\r\n`,
    status: 400,
  },
  { name: "obs-fold", head: `GET / HTTP/1.1\r\n${H}X-A: 1\r\n  2\r\n\r\n`, status: 400 },
  { name: "a tab-folded line", head: `GET / HTTP/1.1\r\n${H}X-A: 1\r\n\t2\r\n\r\n`, status: 400 },
  { name: "whitespace before the colon", head: `GET / HTTP/1.1\r\nHost : a\r\n\r\n`, status: 400 },
  { name: "a tab before the colon", head: `GET / HTTP/1.1\r\n${H}X-A\t: 1\r\n\r\n`, status: 400 },
  { name: "a non-token field name", head: `GET / HTTP/1.1\r\n${H}X(A): 1\r\n\r\n`, status: 400 },
  { name: "an empty field name", head: `GET / HTTP/1.1\r\n${H}: 1\r\n\r\n`, status: 400 },
  { name: "a line without a colon", head: `GET / HTTP/1.1\r\n${H}nonsense\r\n\r\n`, status: 400 },
  { name: "NUL in a value", head: `GET / HTTP/1.1\r\n${H}X-A: a\x00b\r\n\r\n`, status: 400 },
  { name: "a lone CR in a value", head: `GET / HTTP/1.1\r\n${H}X-A: a\rb\r\n\r\n`, status: 400 },
  { name: "DEL in a value", head: `GET / HTTP/1.1\r\n${H}X-A: a\x7fb\r\n\r\n`, status: 400 },
  { name: "ESC in a value", head: `GET / HTTP/1.1\r\n${H}X-A: a\x1bb\r\n\r\n`, status: 400 },
  {
    name: "a bare LF ending a field line",
    head: `GET / HTTP/1.1\r\n${H}X-A: 1\n\r\n`,
    status: 400,
  },
  { name: "a bare LF ending the request line", head: `GET / HTTP/1.1\n${H}\r\n`, status: 400 },
  { name: "HTTP/1.1 without Host", head: "GET / HTTP/1.1\r\n\r\n", status: 400 },
  { name: "two Host fields", head: `GET / HTTP/1.1\r\n${H}${H}\r\n`, status: 400 },
  { name: "an invalid Host", head: "GET / HTTP/1.1\r\nHost: a b/c\r\n\r\n", status: 400 },
  { name: "a Host with userinfo", head: "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", status: 400 },
  {
    name: "Content-Length with Transfer-Encoding",
    head: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`,
    status: 400,
  },
  {
    name: "a signed Content-Length",
    head: `POST / HTTP/1.1\r\n${H}Content-Length: +5\r\n\r\n`,
    status: 400,
  },
  {
    name: "a hex Content-Length",
    head: `POST / HTTP/1.1\r\n${H}Content-Length: 0x5\r\n\r\n`,
    status: 400,
  },
  {
    name: "an empty Content-Length",
    head: `POST / HTTP/1.1\r\n${H}Content-Length:\r\n\r\n`,
    status: 400,
  },
  {
    name: "a huge Content-Length",
    head: `POST / HTTP/1.1\r\n${H}Content-Length: 99999999999999999999\r\n\r\n`,
    status: 400,
  },
  {
    name: "differing duplicate Content-Length fields",
    head: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 6\r\n\r\n`,
    status: 400,
  },
  {
    name: 'a Content-Length list "5, 6"',
    head: `POST / HTTP/1.1\r\n${H}Content-Length: 5, 6\r\n\r\n`,
    status: 400,
  },
  {
    name: "Transfer-Encoding not ending in chunked",
    head: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, gzip\r\n\r\n`,
    status: 400,
  },
  {
    name: "Transfer-Encoding: identity",
    head: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: identity\r\n\r\n`,
    status: 400,
  },
  {
    name: "chunked applied twice",
    head: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, chunked\r\n\r\n`,
    status: 400,
  },
  // JavaScript's trim() also strips U+00A0, which is how byte 0xA0 (obs-text) decodes; a front
  // end that sees an unknown coding there would frame the body another way.
  {
    name: "chunked followed by byte 0xA0",
    head: latin1(`POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\xa0\r\n\r\n`),
    status: 400,
  },
  {
    name: "byte 0xA0 before chunked in a list",
    head: latin1(`POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip,\xa0chunked\r\n\r\n`),
    status: 400,
  },
  {
    name: "byte 0xA0 in a Content-Length list",
    head: latin1(`POST / HTTP/1.1\r\n${H}Content-Length: 5,\xa05\r\n\r\n`),
    status: 400,
  },
  {
    name: "chunked with a parameter",
    head: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked;x=1\r\n\r\n`,
    status: 400,
  },
  {
    name: "gzip before chunked",
    head: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n`,
    status: 501,
  },
  {
    name: "an unknown coding before chunked",
    head: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: foo\r\nTransfer-Encoding: chunked\r\n\r\n`,
    status: 501,
  },
  {
    name: "Transfer-Encoding on HTTP/1.0",
    head: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
    status: 400,
  },
  {
    name: "an unknown expectation",
    head: `PUT / HTTP/1.1\r\n${H}Expect: 200-ok\r\n\r\n`,
    status: 417,
  },
  { name: "a head that does not end", head: `GET / HTTP/1.1\r\n${H}`, status: 400 },
  {
    name: "a request line over LimitRequestLine",
    head: `GET /${"a".repeat(20)} HTTP/1.1\r\n${H}\r\n`,
    status: 414,
    limits: { ...LIMITS, limitRequestLine: 20 },
  },
  {
    name: "a field over LimitRequestFieldSize",
    head: `GET / HTTP/1.1\r\n${H}X-Long: ${"b".repeat(20)}\r\n\r\n`,
    status: 400,
    limits: { ...LIMITS, limitRequestFieldSize: 20 },
  },
  {
    name: "more fields than LimitRequestFields",
    head: `GET / HTTP/1.1\r\n${H}A: 1\r\nB: 2\r\nC: 3\r\n\r\n`,
    status: 400,
    limits: { ...LIMITS, limitRequestFields: 3 },
  },
  {
    name: "more leading empty lines than LimitRequestFields",
    head: `\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n${H}\r\n`,
    status: 400,
    limits: { ...LIMITS, limitRequestFields: 3 },
  },
];

Deno.test("parseRequestHead() refuses", async (t) => {
  for (const c of REJECTIONS) {
    await t.step(`${c.name} with ${c.status}`, () => {
      const result = parse(c.head, c.limits ?? LIMITS);
      assert.ok(result instanceof HttpError, `expected ${c.status}, got a parsed head`);
      assert.equal(result.status, c.status, result.message);
    });
  }
});

Deno.test("parseRequestHead() accepts", async (t) => {
  const cases: Array<{ name: string; head: string; check: (h: RequestHead) => void }> = [
    {
      name: "a simple GET",
      head: `GET /a/b?x=1&y=2 HTTP/1.1\r\n${H}\r\n`,
      check: (h) => {
        assert.equal(h.method, "GET");
        assert.equal(h.target, "/a/b?x=1&y=2");
        assert.equal(h.path, "/a/b");
        assert.equal(h.query, "x=1&y=2");
        assert.equal(h.version, "HTTP/1.1");
        assert.equal(h.host, "example.test");
        assert.equal(h.requestLine, "GET /a/b?x=1&y=2 HTTP/1.1");
        assert.equal(h.contentLength, null);
        assert.equal(h.chunked, false);
        assert.equal(h.clientKeepAlive, true);
      },
    },
    {
      name: "lower-cased names, trimmed values, combined repeats",
      head:
        `GET / HTTP/1.1\r\n${H}X-Tag:  a \t\r\nx-tag: b\r\nCookie: c=1\r\ncookie: d=2\r\nEmpty:\r\n\r\n`,
      check: (h) => {
        assert.equal(h.headers.get("x-tag"), "a, b");
        assert.equal(h.headers.get("cookie"), "c=1; d=2");
        assert.equal(h.headers.get("empty"), "");
      },
    },
    {
      name: "obs-text in a value, read as Latin-1",
      head: `GET / HTTP/1.1\r\n${H}X-Name: caf\u00e9\r\n\r\n`,
      check: (h) => assert.equal(h.headers.get("x-name"), "caf\u00c3\u00a9"),
    },
    {
      name: "empty lines before the request line",
      head: `\r\n\r\nGET / HTTP/1.1\r\n${H}\r\n`,
      check: (h) => assert.equal(h.requestLine, "GET / HTTP/1.1"),
    },
    {
      name: "absolute-form, taking the host from the target",
      head: `GET http://Other.test:8080/p?q HTTP/1.1\r\n${H}\r\n`,
      check: (h) => {
        assert.equal(h.host, "Other.test:8080");
        // RFC 9112 §3.2.2: the received Host is ignored; whoever reads the fields sees the same.
        assert.equal(h.headers.get("host"), "Other.test:8080");
        assert.equal(h.path, "/p");
        assert.equal(h.query, "q");
      },
    },
    {
      name: "absolute-form without a path",
      head: `GET HTTPS://other.test HTTP/1.1\r\n${H}\r\n`,
      check: (h) => assert.equal(h.path, "/"),
    },
    {
      name: "asterisk-form for OPTIONS",
      head: `OPTIONS * HTTP/1.1\r\n${H}\r\n`,
      check: (h) => assert.equal(h.path, "*"),
    },
    {
      name: "an extension method",
      head: `PROPFIND /dav HTTP/1.1\r\n${H}\r\n`,
      check: (h) => assert.equal(h.method, "PROPFIND"),
    },
    {
      name: "HTTP/1.0 without Host, not persistent by default",
      head: "GET / HTTP/1.0\r\n\r\n",
      check: (h) => {
        assert.equal(h.version, "HTTP/1.0");
        assert.equal(h.host, "");
        assert.equal(h.clientKeepAlive, false);
      },
    },
    {
      name: "HTTP/1.0 asking for keep-alive",
      head: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
      check: (h) => assert.equal(h.clientKeepAlive, true),
    },
    {
      name: "HTTP/1.1 with Connection: close among other options",
      head: `GET / HTTP/1.1\r\n${H}Connection: TE, close\r\n\r\n`,
      check: (h) => assert.equal(h.clientKeepAlive, false),
    },
    {
      name: "HTTP/1.2 as HTTP/1.1",
      head: `GET / HTTP/1.2\r\n${H}\r\n`,
      check: (h) => assert.equal(h.version, "HTTP/1.1"),
    },
    {
      name: "IPv6 literal host with port",
      head: "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
      check: (h) => assert.equal(h.host, "[::1]:8080"),
    },
    {
      name: "identical duplicate Content-Length fields",
      head: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 5\r\n\r\n`,
      check: (h) => assert.equal(h.contentLength, 5),
    },
    {
      name: "an identical Content-Length list",
      head: `POST / HTTP/1.1\r\n${H}Content-Length: 7 , 7\r\n\r\n`,
      check: (h) => assert.equal(h.contentLength, 7),
    },
    {
      name: "chunked, case-insensitively",
      head: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: Chunked\r\n\r\n`,
      check: (h) => {
        assert.equal(h.chunked, true);
        assert.equal(h.contentLength, null);
      },
    },
    {
      name: "Expect: 100-continue on HTTP/1.1",
      head: `PUT / HTTP/1.1\r\n${H}Expect: 100-Continue\r\nContent-Length: 3\r\n\r\n`,
      check: (h) => assert.equal(h.expectContinue, true),
    },
    {
      name: "any Expect on HTTP/1.0, ignored",
      head: "PUT / HTTP/1.0\r\nExpect: 200-ok\r\n\r\n",
      check: (h) => assert.equal(h.expectContinue, false),
    },
    {
      name: "fields exactly at the limits",
      head: `GET /${"a".repeat(8190 - 15)} HTTP/1.1\r\n${H}X: ${"b".repeat(8190 - 3)}\r\n\r\n`,
      check: (h) => assert.equal(h.headers.get("x")?.length, 8190 - 3),
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => c.check(parsed(c.head)));
  }
});

Deno.test("requestLineOf() reads the first complete line only", () => {
  assert.equal(requestLineOf(encoder.encode("\r\nGET / HTTP/1.1\r\nX"), 100), "GET / HTTP/1.1");
  assert.equal(requestLineOf(encoder.encode("GET / HTTP/1.1"), 100), "");
  assert.equal(requestLineOf(encoder.encode("GET /aaaa HTTP/1.1\r\n"), 5), "");
});
