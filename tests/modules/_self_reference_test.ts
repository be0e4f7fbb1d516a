import assert from "node:assert/strict";
import { selfLocation, selfNameOf } from "../../modules/_self_reference.ts";

const LOCAL = { hostname: "127.0.0.1", port: 8080 };

Deno.test("selfNameOf() follows UseCanonicalName as ap_get_server_name/port do", async (t) => {
  const CASES = [
    { canonical: false, serverName: "www.test", host: "Client.test:81", want: ["Client.test", 81] },
    { canonical: false, serverName: "www.test", host: "client.test", want: ["client.test", 80] },
    { canonical: false, serverName: "www.test", host: "[::1]:81", want: ["[::1]", 81] },
    { canonical: false, serverName: "www.test", host: "[::1]", want: ["[::1]", 80] },
    // No Host (HTTP/1.0): the host's own name and the connection's port.
    { canonical: false, serverName: "www.test", host: "", want: ["www.test", 8080] },
    { canonical: true, serverName: "www.test", host: "client.test:81", want: ["www.test", 8080] },
    { canonical: true, serverName: "www.test:443", host: "client.test", want: ["www.test", 443] },
    { canonical: true, serverName: "::1", host: "", want: ["::1", 8080] },
    { canonical: true, serverName: "www.test:http", host: "", want: ["www.test", 8080] },
    {
      canonical: false,
      serverName: "www.test",
      host: "client.test",
      scheme: "https",
      want: ["client.test", 443],
    },
  ] as const;
  for (const c of CASES) {
    await t.step(`${c.canonical ? "On" : "Off"} ${c.serverName} Host ${c.host}`, () => {
      const host = { serverName: c.serverName, useCanonicalName: c.canonical };
      const scheme = "scheme" in c ? c.scheme : "http";
      const { name, port } = selfNameOf(host, { host: c.host, local: LOCAL, scheme });
      assert.deepEqual([name, port], c.want);
    });
  }
});

Deno.test("selfLocation() keeps a path under Off and builds a URL on ServerName under On", async (t) => {
  const CASES = [
    { canonical: false, serverName: "www.test", want: "/docs/?a=1" },
    { canonical: true, serverName: "www.test", want: "http://www.test:8080/docs/?a=1" },
    { canonical: true, serverName: "www.test:80", want: "http://www.test/docs/?a=1" },
    {
      canonical: true,
      serverName: "www.test:443",
      scheme: "https",
      want: "https://www.test/docs/?a=1",
    },
    {
      canonical: true,
      serverName: "www.test",
      scheme: "https",
      want: "https://www.test:8080/docs/?a=1",
    },
  ] as const;
  for (const c of CASES) {
    await t.step(`${c.canonical ? "On" : "Off"} ${c.serverName}`, () => {
      const location = selfLocation({ serverName: c.serverName, useCanonicalName: c.canonical });
      const scheme = "scheme" in c ? c.scheme : "http";
      assert.equal(location({ host: "client.test", local: LOCAL, scheme }, "/docs/?a=1"), c.want);
    });
  }
});
