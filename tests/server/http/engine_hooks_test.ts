import assert from "node:assert/strict";
import { RawClient } from "./_raw_client.ts";
import { routes } from "./_handlers.ts";
import { startEngine, until } from "./_test_engine.ts";
import type { HttpEngineOptions } from "../../../server/http/mod.ts";

const H = "Host: t\r\n";
const SHORT_HEADER_TIMEOUT: Partial<HttpEngineOptions> = {
  requestReadTimeout: {
    header: { initialMs: 200, maxMs: 200, minRateBytesPerSec: 0 },
    body: { initialMs: 200, maxMs: 200, minRateBytesPerSec: 0 },
  },
};

Deno.test("engine keeps serving when an onState or onExchange hook throws", async (t) => {
  for (const hook of ["onState", "onExchange"] as const) {
    await t.step(hook, async () => {
      await using server = startEngine(routes(), {
        ...SHORT_HEADER_TIMEOUT,
        [hook]: () => {
          throw new Error(`${hook} broke`);
        },
      });
      {
        await using client = await RawClient.connect(server.port);
        for (const path of ["/1", "/2"]) {
          await client.send(`GET ${path} HTTP/1.1\r\n${H}\r\n`);
          assert.equal((await client.readResponse()).text, `hello GET ${path}`);
        }
      }
      {
        // The sweeper's own answer (408 for a stalled head) runs the hooks too.
        await using client = await RawClient.connect(server.port);
        await client.send("GET / HTTP/1.1\r\n");
        assert.equal((await client.readResponse()).status, 408);
        await client.waitForClose();
      }
      await until(() => server.engine.stats.connections === 0, "every connection released");
      assert.ok(server.errors().some((e) => e.message.includes(hook)), "the failure is logged");
    });
  }
});
