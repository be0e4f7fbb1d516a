import assert from "node:assert/strict";
import { EMPTY_BODY } from "../../../server/http/request_body.ts";
import { RawClient } from "./_raw_client.ts";
import { startEngine } from "./_test_engine.ts";
import {
  fetchHandler,
  fromResponse,
  HttpError,
  type RequestBody,
  type ServerRequest,
  toRequest,
} from "../../../server/http/mod.ts";

const H = "Host: app.test\r\n";

function request(overrides: Partial<ServerRequest>): ServerRequest {
  return {
    method: "GET",
    target: "/",
    path: "/",
    query: "",
    version: "HTTP/1.1",
    headers: new Map(),
    host: "app.test",
    remote: { hostname: "127.0.0.1", port: 40000 },
    local: { hostname: "127.0.0.1", port: 8080 },
    scheme: "http",
    body: EMPTY_BODY,
    receivedAt: 0,
    completed: () => Promise.resolve(),
    ...overrides,
  };
}

Deno.test("toRequest() builds a web-standard Request", async (t) => {
  await t.step("URL from host, path and query; headers", () => {
    const r = toRequest(request({
      path: "/a%20b",
      query: "x=1",
      headers: new Map([["accept", "text/html"], ["cookie", "a=1; b=2"]]),
    }));
    assert.equal(r.url, "http://app.test/a%20b?x=1");
    assert.equal(toRequest(request({ scheme: "https" })).url, "https://app.test/");
    assert.equal(r.headers.get("accept"), "text/html");
    assert.equal(r.headers.get("cookie"), "a=1; b=2");
    assert.equal(r.body, null);
  });
  await t.step("the local address when there is no Host (HTTP/1.0)", () => {
    const r = toRequest(request({ host: "", local: { hostname: "::1", port: 81 } }));
    assert.equal(r.url, "http://[::1]:81/");
  });
  await t.step("a body stream that pulls only when read", async () => {
    let reads = 0;
    const parts = [new Uint8Array([104, 105]), null];
    const body: RequestBody = {
      length: 2,
      present: true,
      trailers: new Map(),
      read: () => {
        reads++;
        return Promise.resolve(parts.shift() ?? null);
      },
    };
    const r = toRequest(request({ method: "POST", body }));
    assert.equal(reads, 0, "nothing is read before the application asks");
    assert.equal(await r.text(), "hi");
    assert.equal(reads, 2);
  });
  await t.step("HttpError(400) for a host the URL standard refuses", () => {
    assert.throws(
      () => toRequest(request({ host: "a%zz" })),
      (e: unknown) => e instanceof HttpError && e.status === 400,
    );
  });
  await t.step("HttpError(501) for TRACE", () => {
    assert.throws(
      () => toRequest(request({ method: "TRACE" })),
      (e: unknown) => e instanceof HttpError && e.status === 501,
    );
  });
});

Deno.test("fromResponse() keeps status, each Set-Cookie and the body stream", () => {
  const headers = new Headers([["content-type", "text/plain"]]);
  headers.append("set-cookie", "a=1");
  headers.append("set-cookie", "b=2");
  const r = fromResponse(new Response("body", { status: 201, statusText: "Made", headers }));
  assert.equal(r.status, 201);
  assert.equal(r.statusText, "Made");
  assert.deepEqual(r.headers.filter(([n]) => n === "set-cookie"), [["set-cookie", "a=1"], [
    "set-cookie",
    "b=2",
  ]]);
  assert.ok(r.body !== null && !(r.body instanceof Uint8Array));
  assert.equal(fromResponse(new Response(null, { status: 204 })).body, null);
});

Deno.test("fetchHandler() serves an application through the engine", async (t) => {
  await using server = startEngine(fetchHandler(async (req, info) => {
    const url = new URL(req.url);
    if (url.pathname === "/json") {
      const input = await req.json();
      return Response.json({ echo: input, method: req.method, from: info.remoteAddr.hostname });
    }
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const word of ["one ", "two ", "three"]) {
          controller.enqueue(new TextEncoder().encode(word));
        }
        controller.close();
      },
    });
    return new Response(stream, { headers: [["set-cookie", "a=1"], ["set-cookie", "b=2"]] });
  }));
  await t.step("a JSON echo with a chunked request body", async () => {
    await using client = await RawClient.connect(server.port);
    const json = JSON.stringify({ hello: "world" });
    await client.send(
      `POST /json HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `5\r\n${json.slice(0, 5)}\r\n${(json.length - 5).toString(16)}\r\n${
          json.slice(5)
        }\r\n0\r\n\r\n`,
    );
    const response = await client.readResponse();
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    // Response.json() holds its whole body: sent with its length, as Deno.serve does.
    assert.equal(response.headers.get("content-length"), String(response.body.length));
    assert.equal(response.headers.get("transfer-encoding"), undefined);
    assert.deepEqual(JSON.parse(response.text), {
      echo: { hello: "world" },
      method: "POST",
      from: "127.0.0.1",
    });
  });
  await t.step("a streamed response with two cookies", async () => {
    await using client = await RawClient.connect(server.port);
    await client.send(`GET /stream HTTP/1.1\r\n${H}\r\n`);
    const response = await client.readResponse();
    assert.equal(response.headers.get("transfer-encoding"), "chunked");
    assert.equal(response.text, "one two three");
    assert.deepEqual(response.fieldList.filter(([n]) => n === "set-cookie").map(([, v]) => v), [
      "a=1",
      "b=2",
    ]);
  });
});
