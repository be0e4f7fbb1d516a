import assert from "node:assert/strict";
import { NO_STATUS } from "./_no_status.ts";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { createHostHandler } from "../../modules/mod.ts";
import { collectingLogger } from "../server/http/_test_engine.ts";
import { makeRequest } from "./static/_request.ts";
import { parseConfigText } from "../../server/config/readers/mod.ts";

const FIXTURES = fileURLToPath(new URL("./app/_fixtures/", import.meta.url));

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
    const { config } = parseConfigText(yaml, {
      file: join(root, "mpmd.yaml"),
      platformDefaultMpm: "event",
    });
    const handler = await createHostHandler(config.hosts[0], {
      logger: collectingLogger([]),
      requestTimeoutMs: 60_000,
      status: NO_STATUS,
      listening: new Promise(() => {}),
      types: {},
      serverRoot: root,
    });
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

function once(text: string): () => Promise<Uint8Array | null> {
  let chunk: Uint8Array | null = new TextEncoder().encode(text);
  return () => {
    const next = chunk;
    chunk = null;
    return Promise.resolve(next);
  };
}
