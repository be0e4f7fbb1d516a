import assert from "node:assert/strict";
import { NO_BALANCERS, NO_STATUS } from "./_no_status.ts";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { BackendPool, createHostHandler } from "../../modules/mod.ts";
import { collectingLogger } from "../server/http/_test_engine.ts";
import { makeRequest } from "./static/_request.ts";
import { parseConfigText } from "../../server/config/readers/mod.ts";
import type { Handler } from "../../server/http/mod.ts";

const FIXTURES = fileURLToPath(new URL("./app/_fixtures/", import.meta.url));

/** The main host's handler of the config `yaml`, read as `root`/mpmd.yaml. */
async function mainHostHandler(yaml: string, root: string): Promise<Handler> {
  const { config } = parseConfigText(yaml, {
    file: join(root, "mpmd.yaml"),
    platformDefaultMpm: "event",
  });
  return await createHostHandler(config.hosts[0], {
    logger: collectingLogger([]),
    requestTimeoutMs: 60_000,
    status: NO_STATUS,
    listening: new Promise(() => {}),
    types: {},
    banner: "mpmd",
    balancers: NO_BALANCERS,
    serverRoot: root,
    timeoutMs: 60_000,
    proxyPool: new BackendPool(),
    modules: { mpm: config.mpm, loadable: config.loadedModules },
  });
}

Deno.test("createHostHandler() tries App mounts longest Location first, then static files", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "mpmd_host_test_" });
  try {
    await Deno.writeTextFile(join(root, "page.txt"), "static page");
    const yaml = [
      "Listen: 8080",
      `DocumentRoot: ${root}`,
      "App:",
      `  - {Location: /api, Module: ${join(FIXTURES, "hello.ts")}}`,
      `  - {Location: /api/echo, Module: ${join(FIXTURES, "echo_json.ts")}}`,
    ].join("\n");
    const handler = await mainHostHandler(yaml, root);
    const CASES = [
      { target: "/api/echo/x", method: "POST", status: 201 },
      { target: "/api/users", method: "GET", status: 200 },
      { target: "/page.txt", method: "GET", status: 200, text: "static page" },
    ];
    for (const c of CASES) {
      await t.step(`${c.method} ${c.target} → ${c.status}`, async () => {
        const body = { length: 2, present: true, read: once("{}"), trailers: new Map() };
        const request = { ...makeRequest(c.target, { method: c.method }), body };
        const response = await handler(request);
        assert.equal(response?.status, c.status);
        if (c.text !== undefined) {
          const bytes = response.body instanceof Uint8Array ? response.body : null;
          assert.equal(new TextDecoder().decode(bytes ?? new Uint8Array()), c.text);
        }
      });
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("createHostHandler(): ServerSignature on error pages and listings, UseCanonicalName on redirects", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "mpmd_host_test_" });
  try {
    await Deno.mkdir(join(root, "sub"));
    const yaml = [
      "Listen: 8080",
      `DocumentRoot: ${root}`,
      "ServerName: www.test",
      "ServerAdmin: admin@www.test",
      "ServerSignature: EMail",
      "ServerTokens: Prod",
      "UseCanonicalName: On",
      "Options: Indexes",
      "Redirect: /old /new",
    ].join("\n");
    const handler = await mainHostHandler(yaml, root);
    const SIGNED =
      '<address>mpmd Server at <a href="mailto:admin@www.test">www.test</a> Port 8080</address>';
    const CASES = [
      { target: "/sub", status: 301, location: "http://www.test:8080/sub/" },
      { target: "/old/a", status: 302, location: "http://www.test:8080/new/a" },
      { target: "/sub/", status: 200, location: undefined },
      { target: "/missing", status: 404, location: undefined },
    ];
    for (const c of CASES) {
      await t.step(`GET ${c.target} → ${c.status}`, async () => {
        const response = await handler(makeRequest(c.target, { host: "client.test" }));
        assert.equal(response?.status, c.status);
        const fields = new Map(response?.headers as [string, string][]);
        assert.equal(fields.get("Location"), c.location);
        const text = new TextDecoder().decode(response?.body as Uint8Array);
        assert.ok(text.includes(`<hr>\n${SIGNED}\n</body>`), text);
      });
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

function once(text: string): () => Promise<Uint8Array | null> {
  let chunk: Uint8Array | null = new TextEncoder().encode(text);
  return () => {
    const next = chunk;
    chunk = null;
    return Promise.resolve(next);
  };
}
