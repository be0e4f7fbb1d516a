import assert from "node:assert/strict";
import type { RequestBody, ServerRequest } from "../../../server/http/mod.ts";
import { backendRequestHead } from "../../../modules/proxy/mod.ts";

const NO_BODY: RequestBody = {
  length: 0,
  present: false,
  trailers: new Map(),
  read: () => Promise.resolve(null),
};

function request(
  headers: Record<string, string>,
  extra: Partial<ServerRequest> = {},
): ServerRequest {
  return {
    method: "GET",
    target: "/p?q",
    path: "/p",
    query: "q",
    version: "HTTP/1.1",
    headers: new Map(Object.entries(headers)),
    host: headers.host ?? "",
    remote: { hostname: "192.0.2.7", port: 40000 },
    local: { hostname: "127.0.0.1", port: 8080 },
    scheme: "http",
    body: NO_BODY,
    receivedAt: 0,
    completed: () => Promise.resolve(),
    ...extra,
  } as ServerRequest;
}

const OPTIONS = {
  target: "/v1/p?q",
  backendHost: "127.0.0.1:9000",
  preserveHost: false,
  addHeaders: true,
  forwarded: false,
  serverName: "www.example.test",
};

/** The head's fields by lower-case name (repeated ones joined with a newline). */
function fieldsOf(head: string): Map<string, string> {
  const lines = head.split("\r\n");
  assert.equal(lines.at(-1), "");
  assert.equal(lines.at(-2), "");
  const fields = new Map<string, string>();
  for (const line of lines.slice(1, -2)) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    fields.set(name, fields.has(name) ? `${fields.get(name)}\n${value}` : value);
  }
  return fields;
}

Deno.test("backendRequestHead()", async (t) => {
  await t.step("writes the request line for the backend and its Host", () => {
    const head = backendRequestHead(request({ host: "www.example.test" }), OPTIONS);
    assert.match(head, /^GET \/v1\/p\?q HTTP\/1\.1\r\nHost: 127\.0\.0\.1:9000\r\n/);
  });
  await t.step("ProxyPreserveHost sends the client's Host", () => {
    const head = backendRequestHead(request({ host: "www.example.test" }), {
      ...OPTIONS,
      preserveHost: true,
    });
    assert.equal(fieldsOf(head).get("host"), "www.example.test");
  });
  await t.step("removes hop-by-hop fields and those Connection names", () => {
    const fields = fieldsOf(backendRequestHead(
      request({
        host: "h",
        connection: "keep-alive, X-Secret",
        "x-secret": "1",
        "keep-alive": "timeout=5",
        te: "trailers",
        trailer: "x",
        upgrade: "h2c",
        "proxy-authorization": "Basic x",
        "proxy-connection": "keep-alive",
        expect: "100-continue",
        "x-kept": "yes",
      }),
      OPTIONS,
    ));
    for (const name of ["connection", "x-secret", "keep-alive", "te", "trailer", "upgrade"]) {
      assert.equal(fields.has(name), false, name);
    }
    assert.equal(fields.has("proxy-authorization"), false);
    assert.equal(fields.has("expect"), false);
    assert.equal(fields.get("x-kept"), "yes");
  });
  await t.step("appends to X-Forwarded-For, -Host and -Server", () => {
    const fields = fieldsOf(backendRequestHead(
      request({ host: "www.example.test", "x-forwarded-for": "203.0.113.1" }),
      OPTIONS,
    ));
    assert.equal(fields.get("x-forwarded-for"), "203.0.113.1, 192.0.2.7");
    assert.equal(fields.get("x-forwarded-host"), "www.example.test");
    assert.equal(fields.get("x-forwarded-server"), "www.example.test");
  });
  await t.step("ProxyAddHeaders Off adds none", () => {
    const fields = fieldsOf(backendRequestHead(request({ host: "h" }), {
      ...OPTIONS,
      addHeaders: false,
    }));
    assert.equal([...fields.keys()].some((n) => n.startsWith("x-forwarded")), false);
  });
  await t.step("ProxyForwarded adds an RFC 7239 element, IPv6 quoted", () => {
    const fields = fieldsOf(backendRequestHead(
      request({ host: "h:81", forwarded: "for=203.0.113.1" }, {
        remote: { hostname: "::1", port: 1 },
      }),
      { ...OPTIONS, forwarded: true },
    ));
    assert.equal(
      fields.get("forwarded"),
      'for=203.0.113.1, for="[::1]";by=127.0.0.1;host="h:81";proto=http',
    );
  });
  await t.step("frames a body: Content-Length, chunked, or an empty POST's 0", () => {
    const body = (length: number | null): RequestBody => ({ ...NO_BODY, length, present: true });
    const withLength = fieldsOf(
      backendRequestHead(request({ host: "h" }, { body: body(5) }), OPTIONS),
    );
    assert.equal(withLength.get("content-length"), "5");
    const chunked = fieldsOf(
      backendRequestHead(request({ host: "h" }, { body: body(null) }), OPTIONS),
    );
    assert.equal(chunked.get("transfer-encoding"), "chunked");
    const emptyPost = fieldsOf(
      backendRequestHead(request({ host: "h" }, { method: "POST" }), OPTIONS),
    );
    assert.equal(emptyPost.get("content-length"), "0");
  });
});
