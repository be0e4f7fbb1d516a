import assert from "node:assert/strict";
import { upgradeRequestHead, upgradeWanted } from "../../../modules/proxy/mod.ts";
import type { ServerRequest } from "../../../server/http/mod.ts";

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
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const headers = new Map<string, string>([[
        "connection",
        c.connection ?? "keep-alive, Upgrade",
      ]]);
      if (c.upgrade !== undefined) headers.set("upgrade", c.upgrade);
      const request = { version: c.version ?? "HTTP/1.1", headers } as unknown as Parameters<
        typeof upgradeWanted
      >[0];
      assert.equal(upgradeWanted(request, c.allowed), c.want);
    });
  }
});

Deno.test("upgradeRequestHead() keeps end-to-end fields, adds X-Forwarded-*, asks for the upgrade", () => {
  const request = {
    method: "GET",
    host: "front.test",
    remote: { hostname: "192.0.2.7", port: 5000 },
    headers: new Map([
      ["host", "front.test"],
      ["connection", "Upgrade, X-Hop"],
      ["upgrade", "websocket"],
      ["x-hop", "dropped"],
      ["keep-alive", "timeout=5"],
      ["sec-websocket-key", "k"],
      ["x-forwarded-for", "198.51.100.1"],
    ]),
  } as unknown as ServerRequest;
  const head = upgradeRequestHead(request, {
    target: new URL("http://127.0.0.1:8081/app/ws?x=1"),
    upgrade: "websocket",
    serverName: "proxy.test",
  });
  assert.equal(
    head,
    "GET /app/ws?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8081\r\nsec-websocket-key: k\r\n" +
      "X-Forwarded-For: 198.51.100.1, 192.0.2.7\r\nX-Forwarded-Host: front.test\r\n" +
      "X-Forwarded-Server: proxy.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
  );
  const preserved = upgradeRequestHead(request, {
    target: new URL("http://127.0.0.1:8081/"),
    upgrade: "websocket",
    serverName: "proxy.test",
    preserveHost: true,
  });
  assert.match(preserved, /^GET \/ HTTP\/1\.1\r\nHost: front\.test\r\n/);
});
