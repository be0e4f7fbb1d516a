import assert from "node:assert/strict";
import { HttpError, parseResponseHead, type ResponseHead } from "../../../server/http/mod.ts";
import { RESPONSE_HEAD_LIMITS } from "../../../modules/proxy/mod.ts";

const parse = (text: string, method = "GET") =>
  parseResponseHead(new TextEncoder().encode(text), { limits: RESPONSE_HEAD_LIMITS, method });

const CASES: {
  name: string;
  head: string;
  method?: string;
  framing?: ResponseHead["framing"];
  keepAlive?: boolean;
  error?: RegExp;
}[] = [
  {
    name: "Content-Length frames the body",
    head: "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n",
    framing: { kind: "length", length: 12 },
    keepAlive: true,
  },
  {
    name: "chunked frames the body",
    head: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    framing: { kind: "chunked" },
    keepAlive: true,
  },
  {
    name: "no length: until the close",
    head: "HTTP/1.1 200 OK\r\n\r\n",
    framing: { kind: "close" },
    keepAlive: false,
  },
  {
    name: "HEAD, 204 and 304 have no body",
    head: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
    method: "HEAD",
    framing: { kind: "none" },
    keepAlive: true,
  },
  {
    name: "HTTP/1.0 closes unless keep-alive",
    head: "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n",
    framing: { kind: "length", length: 1 },
    keepAlive: false,
  },
  {
    name: "Connection: close is honoured",
    head: "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
    framing: { kind: "none" },
    keepAlive: false,
  },
  { name: "garbage is refused", head: "HELLO\r\n\r\n", error: /not an HTTP\/1.x status line/ },
  {
    name: "both framings are refused",
    head: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    error: /both Content-Length and Transfer-Encoding/,
  },
  {
    name: "two lengths are refused",
    head: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    error: /two different Content-Length/,
  },
  {
    name: "an invalid field is refused",
    head: "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
    error: /whitespace between the name and the colon/,
  },
];

Deno.test("parseResponseHead()", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const head = parse(c.head, c.method);
      if (c.error !== undefined) {
        assert.ok(head instanceof HttpError);
        assert.equal(head.status, 502);
        assert.match(head.message, c.error);
        return;
      }
      assert.ok(!(head instanceof HttpError), String(head));
      assert.deepEqual(head.framing, c.framing);
      assert.equal(head.keepAlive, c.keepAlive);
    });
  }
  await t.step("keeps repeated fields apart, names as sent", () => {
    const head = parse("HTTP/1.1 200 Fine\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n");
    assert.ok(!(head instanceof HttpError));
    assert.equal(head.reason, "Fine");
    assert.deepEqual(head.fields, [["Set-Cookie", "a=1"], ["set-cookie", "b=2"]]);
  });
});
