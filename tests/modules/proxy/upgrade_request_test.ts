import assert from "node:assert/strict";
import { switchedProtocol, upgradeWanted } from "../../../modules/proxy/mod.ts";
import { HttpError, parseResponseHead, type ServerRequest } from "../../../server/http/mod.ts";

Deno.test("upgradeWanted() picks the requests a ProxyPass upgrade= lets through", async (t) => {
  const cases = [
    {
      name: "websocket for websocket",
      allowed: "websocket",
      upgrade: "websocket",
      want: "websocket",
    },
    { name: "any case", allowed: "WebSocket", upgrade: "websocket", want: "websocket" },
    { name: "ANY for any protocol", allowed: "ANY", upgrade: "h2c", want: "h2c" },
    {
      name: "a listed protocol with its version",
      allowed: "foo",
      upgrade: "bar, foo/2",
      want: "bar, foo/2",
    },
    { name: "not another protocol", allowed: "websocket", upgrade: "h2c", want: null },
    {
      name: "not without the upgrade option",
      allowed: "websocket",
      upgrade: "websocket",
      connection: "keep-alive",
      want: null,
    },
    { name: "not without Upgrade", allowed: "ANY", upgrade: undefined, want: null },
    {
      name: "not in HTTP/1.0",
      allowed: "ANY",
      upgrade: "websocket",
      version: "HTTP/1.0" as const,
      want: null,
    },
    { name: "not with a body", allowed: "ANY", upgrade: "websocket", body: true, want: null },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const headers = new Map<string, string>([[
        "connection",
        c.connection ?? "keep-alive, Upgrade",
      ]]);
      if (c.upgrade !== undefined) headers.set("upgrade", c.upgrade);
      const request = {
        version: c.version ?? "HTTP/1.1",
        headers,
        body: { present: c.body ?? false },
      } as unknown as ServerRequest;
      assert.equal(upgradeWanted(request, c.allowed), c.want);
    });
  }
});

Deno.test("switchedProtocol() names the protocol of a 101 that has an Upgrade field", async (t) => {
  const cases = [
    {
      name: "a 101",
      head: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n",
      want: "websocket",
    },
    { name: "a 101 without Upgrade", head: "HTTP/1.1 101 Switching Protocols\r\n", want: null },
    { name: "a 200", head: "HTTP/1.1 200 OK\r\nUpgrade: websocket\r\n", want: null },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const head = parseResponseHead(
        new TextEncoder().encode(`${c.head}Content-Length: 0\r\n\r\n`),
        {
          limits: { limitRequestLine: 8190, limitRequestFieldSize: 8190, limitRequestFields: 100 },
          method: "GET",
        },
      );
      if (head instanceof HttpError) throw head;
      assert.equal(switchedProtocol(head), c.want);
    });
  }
});
