import assert from "node:assert/strict";
import type { HostConfig } from "../../server/config/mod.ts";
import type { ServerRequest, ServerResponse } from "../../server/http/mod.ts";
import { createVirtualHostRouter, hostName } from "../../slot/mod.ts";

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

function host(serverName: string, serverAliases: string[] = []) {
  const config = { serverName, serverAliases } as unknown as HostConfig;
  const response: ServerResponse = {
    status: 200,
    headers: [],
    body: new TextEncoder().encode(serverName),
  };
  return { config, handler: () => response };
}

Deno.test("createVirtualHostRouter() picks the host by ServerName or ServerAlias, else the first", async (t) => {
  const router = createVirtualHostRouter([
    host("default.test"),
    host("www.example.test", ["example.test"]),
  ]);
  const CASES = [
    ["www.example.test", "www.example.test"],
    ["EXAMPLE.test:8080", "www.example.test"],
    ["www.example.test.", "www.example.test"],
    ["default.test", "default.test"],
    ["unknown.test", "default.test"],
    ["127.0.0.1:8080", "default.test"],
  ] as const;
  for (const [hostField, served] of CASES) {
    await t.step(`Host: ${hostField} → ${served}`, async () => {
      const response = await router({ host: hostField } as ServerRequest);
      assert.equal(new TextDecoder().decode(response?.body as Uint8Array), served);
    });
  }
});
