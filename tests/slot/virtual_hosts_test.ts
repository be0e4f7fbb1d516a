import assert from "node:assert/strict";
import type { HostConfig } from "../../server/config/mod.ts";
import type { ServerRequest, ServerResponse } from "../../server/http/mod.ts";
import { createVirtualHostRouter, hostName, VirtualHostTable } from "../../slot/mod.ts";

Deno.test("hostName() strips the port and brackets and lower-cases", async (t) => {
  const CASES = [
    ["example.test", "example.test"],
    ["Example.TEST:8080", "example.test"],
    ["example.test.", "example.test"],
    ["Example.test.:8080", "example.test"],
    ["127.0.0.1:80", "127.0.0.1"],
    ["[::1]:8080", "::1"],
    ["[::1]", "::1"],
    ["", ""],
  ] as const;
  for (const [host, name] of CASES) {
    await t.step(`${JSON.stringify(host)} → ${JSON.stringify(name)}`, () => {
      assert.equal(hostName(host), name);
    });
  }
});

function host(
  serverName: string,
  addresses: HostConfig["addresses"] = [],
  serverAliases: string[] = [],
): HostConfig {
  return { serverName, serverAliases, addresses } as unknown as HostConfig;
}

const ANY_80 = [{ hostname: null, port: 80 }];

Deno.test("VirtualHostTable.select() chooses by address, then by name, as httpd's vhost.c", async (t) => {
  const table = new VirtualHostTable([
    host("main.test"),
    host("default80.test", ANY_80),
    host("www.example.test", ANY_80, ["example.test", "*.example.test"]),
    host("late.example.test", ANY_80),
    host("ip.test", [{ hostname: "127.0.0.2", port: null }]),
    host("ip-other.test", [{ hostname: "127.0.0.2", port: 80 }], ["w?.other.test"]),
    host("v6.test", [{ hostname: "::1", port: 8080 }]),
  ]);
  const CASES: [local: string, port: number, hostField: string, served: string][] = [
    ["127.0.0.1", 80, "www.example.test", "www.example.test"],
    ["127.0.0.1", 80, "EXAMPLE.test:80", "www.example.test"],
    ["127.0.0.1", 80, "www.example.test.", "www.example.test"],
    // An earlier host's wildcard alias wins over a later host's exact name, as in httpd.
    ["127.0.0.1", 80, "late.example.test", "www.example.test"],
    ["127.0.0.1", 80, "unknown.test", "default80.test"],
    ["127.0.0.1", 80, "", "default80.test"],
    // No virtual host has port 81: the main server answers.
    ["127.0.0.1", 81, "www.example.test", "main.test"],
    // An address named exactly leaves the * hosts out, whatever the name.
    ["127.0.0.2", 80, "www.example.test", "ip.test"],
    ["127.0.0.2", 80, "wx.other.test", "ip-other.test"],
    ["127.0.0.2", 9000, "wx.other.test", "ip.test"],
    ["::ffff:127.0.0.2", 80, "ip-other.test", "ip-other.test"],
    ["::1", 8080, "anything", "v6.test"],
    ["::1", 80, "www.example.test", "www.example.test"],
  ];
  for (const [hostname, port, hostField, served] of CASES) {
    await t.step(`${hostname}:${port} Host: ${hostField} → ${served}`, () => {
      assert.equal(table.hostOf({ hostname, port }, hostField).serverName, served);
      // The second time comes from what the table remembered.
      assert.equal(table.hostOf({ hostname, port }, hostField).serverName, served);
    });
  }
});

Deno.test("createVirtualHostRouter() hands each request to its host's handler", async () => {
  const table = new VirtualHostTable([host("main.test"), host("a.test", ANY_80)]);
  const answer = (text: string) => (): ServerResponse => ({
    status: 200,
    headers: [],
    body: new TextEncoder().encode(text),
  });
  const router = createVirtualHostRouter(table, [answer("main"), answer("a")]);
  const served = async (port: number) => {
    const request = { host: "a.test", local: { hostname: "127.0.0.1", port } } as ServerRequest;
    const response = await router(request);
    return new TextDecoder().decode(response?.body as Uint8Array);
  };
  assert.deepEqual([await served(80), await served(8080)], ["a", "main"]);
});
