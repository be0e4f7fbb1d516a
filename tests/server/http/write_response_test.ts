import assert from "node:assert/strict";
import {
  type ResponseContext,
  type SerializedHead,
  serializeResponseHead,
} from "../../../server/http/write_response.ts";
import {
  type FieldsResponse,
  HttpError,
  statusText,
  type UpgradeResponse,
} from "../../../server/http/mod.ts";

const DATE = "Sun, 06 Nov 1994 08:49:37 GMT";
const CONTEXT: ResponseContext = {
  method: "GET",
  version: "HTTP/1.1",
  keepAlive: true,
  keepAliveValue: "timeout=5, max=99",
  date: DATE,
  server: "mpmd",
};
const bytes = (n: number) => new Uint8Array(n);
async function* stream(): AsyncIterable<Uint8Array> {
  yield bytes(1);
}

function serialize(response: Partial<FieldsResponse>, context: Partial<ResponseContext> = {}) {
  const result = serializeResponseHead(
    { status: 200, headers: [], body: null, ...response },
    { ...CONTEXT, ...context },
  );
  if (result instanceof HttpError) throw result;
  return result;
}

function lines(serialized: SerializedHead): string[] {
  assert.ok(serialized.head.endsWith("\r\n\r\n"));
  return serialized.head.slice(0, -4).split("\r\n");
}

Deno.test("serializeResponseHead() writes", async (t) => {
  await t.step("status line, Date, Server, fields, Content-Length, Keep-Alive", () => {
    const s = serialize({ headers: [["Content-Type", "text/plain"]], body: bytes(5) });
    assert.deepEqual(lines(s), [
      "HTTP/1.1 200 OK",
      `Date: ${DATE}`,
      "Server: mpmd",
      "Content-Type: text/plain",
      "Content-Length: 5",
      "Keep-Alive: timeout=5, max=99",
    ]);
    assert.equal(s.framing, "bytes");
    assert.equal(s.contentLength, 5);
    assert.equal(s.keepAlive, true);
  });
  await t.step("Connection: close when not kept alive", () => {
    const s = serialize({ body: bytes(1) }, { keepAlive: false, keepAliveValue: "" });
    assert.equal(lines(s).at(-1), "Connection: close");
    assert.equal(s.keepAlive, false);
  });
  await t.step("Connection: keep-alive for an HTTP/1.0 client that is kept", () => {
    const s = serialize({ body: bytes(1) }, { version: "HTTP/1.0" });
    assert.deepEqual(lines(s).slice(-2), [
      "Keep-Alive: timeout=5, max=99",
      "Connection: keep-alive",
    ]);
  });
  await t.step("no Server field when the banner is empty", () => {
    assert.ok(!serialize({}, { server: "" }).head.includes("Server:"));
  });
  await t.step("Content-Length: 0 for a null body", () => {
    const s = serialize({});
    assert.ok(lines(s).includes("Content-Length: 0"));
    assert.equal(s.framing, "none");
  });
  await t.step("the handler's reason phrase, and none for an unknown status", () => {
    assert.equal(lines(serialize({ status: 200, statusText: "Fine" }))[0], "HTTP/1.1 200 Fine");
    assert.equal(lines(serialize({ status: 599 }))[0], "HTTP/1.1 599 ");
  });
  await t.step("chunked framing for a stream on HTTP/1.1", () => {
    const s = serialize({ body: stream() });
    assert.ok(lines(s).includes("Transfer-Encoding: chunked"));
    assert.ok(!s.head.includes("Content-Length"));
    assert.equal(s.framing, "chunked");
  });
  await t.step("close-delimited framing for a stream on HTTP/1.0", () => {
    const s = serialize({ body: stream() }, { version: "HTTP/1.0" });
    assert.equal(s.framing, "close");
    assert.equal(s.keepAlive, false);
    assert.ok(lines(s).includes("Connection: close"));
    assert.ok(!s.head.includes("Transfer-Encoding"));
  });
  await t.step("the handler's Content-Length for a stream", () => {
    const s = serialize({ headers: [["content-length", "10"]], body: stream() });
    assert.equal(s.framing, "length");
    assert.equal(s.contentLength, 10);
    assert.ok(lines(s).includes("Content-Length: 10"));
  });
  await t.step("HEAD: no body, but the length of the GET", () => {
    const s = serialize({ body: bytes(7) }, { method: "HEAD" });
    assert.equal(s.framing, "none");
    assert.ok(lines(s).includes("Content-Length: 7"));
    const declared = serialize({ headers: [["Content-Length", "9"]] }, { method: "HEAD" });
    assert.ok(lines(declared).includes("Content-Length: 9"));
  });
  await t.step("204 and 304 without a body", () => {
    const noContent = serialize({
      status: 204,
      headers: [["Content-Length", "3"]],
      body: bytes(3),
    });
    assert.equal(noContent.framing, "none");
    assert.ok(!noContent.head.includes("Content-Length"));
    const notModified = serialize({ status: 304, body: stream() });
    assert.equal(notModified.framing, "none");
    assert.ok(!notModified.head.includes("Transfer-Encoding"));
  });
  await t.step("drops the handler's framing fields, honours Connection: close", () => {
    const s = serialize({
      headers: [["Transfer-Encoding", "chunked"], ["Keep-Alive", "x"], [
        "Connection",
        "Upgrade, close",
      ]],
      body: bytes(2),
    });
    assert.deepEqual(lines(s).slice(3), ["Content-Length: 2", "Connection: close"]);
    assert.equal(s.keepAlive, false);
  });
  await t.step("the handler's Date and Server instead of the engine's", () => {
    const s = serialize({ headers: [["date", "x"], ["server", "y"]] });
    assert.deepEqual(lines(s).slice(1, 3), ["date: x", "server: y"]);
  });
  await t.step("repeated fields such as Set-Cookie", () => {
    const s = serialize({ headers: [["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]] });
    assert.deepEqual(lines(s).filter((l) => l.startsWith("Set-Cookie")), [
      "Set-Cookie: a=1",
      "Set-Cookie: b=2",
    ]);
  });
});

Deno.test("serializeResponseHead() answers 500 for", async (t) => {
  const cases: Array<{ name: string; response: Partial<FieldsResponse> }> = [
    {
      name: "CR LF in a value (response splitting)",
      response: { headers: [["X", "a\r\nSet-Cookie: x=1"]] },
    },
    { name: "a bare LF in a value", response: { headers: [["X", "a\nb"]] } },
    { name: "NUL in a value", response: { headers: [["X", "a\0b"]] } },
    { name: "a name that is not a token", response: { headers: [["X Y", "1"]] } },
    { name: "CR LF in a name", response: { headers: [["X\r\nY", "1"]] } },
    { name: "CR LF in the reason phrase", response: { statusText: "OK\r\nX: 1" } },
    { name: "a non-numeric Content-Length", response: { headers: [["Content-Length", "-1"]] } },
    {
      name: "two different Content-Length values",
      response: { headers: [["Content-Length", "1"], ["Content-Length", "2"]] },
    },
    { name: "an interim status", response: { status: 101 } },
    { name: "a status above 599", response: { status: 600 } },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const result = serializeResponseHead(
        { status: 200, headers: [], body: null, ...c.response },
        CONTEXT,
      );
      assert.ok(result instanceof HttpError);
      assert.equal(result.status, 500);
    });
  }
});

const UPGRADE: UpgradeResponse = {
  status: 101,
  headers: [["Upgrade", "websocket"], ["Connection", "keep-alive"], ["Sec-WebSocket-Accept", "x"]],
  body: null,
  idleTimeoutMs: 1_000,
  tunnel: () => Promise.resolve(),
};

Deno.test("serializeResponseHead() writes a 101 with Connection: Upgrade and no framing", () => {
  const result = serializeResponseHead(UPGRADE, CONTEXT);
  if (result instanceof HttpError) throw result;
  assert.equal(
    result.head,
    `HTTP/1.1 101 Switching Protocols\r\nDate: ${DATE}\r\nServer: mpmd\r\n` +
      "Upgrade: websocket\r\nSec-WebSocket-Accept: x\r\nConnection: Upgrade\r\n\r\n",
  );
  assert.equal(result.framing, "none");
  assert.equal(result.keepAlive, false);
});

Deno.test("serializeResponseHead() answers 500 for an upgrade response that is not a 101", () => {
  const result = serializeResponseHead({ ...UPGRADE, status: 200 as 101 }, CONTEXT);
  assert.ok(result instanceof HttpError);
  assert.equal(result.status, 500);
});

Deno.test("statusText() gives registered reason phrases", () => {
  assert.equal(statusText(404), "Not Found");
  assert.equal(statusText(413), "Content Too Large");
  assert.equal(statusText(299), "");
});
