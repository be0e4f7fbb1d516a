/**
 * A graceful restart (SIGUSR2) loads an app module afresh: changed code is served by the new
 * generation without a failed request, and a module that no longer loads is refused while the
 * running generation keeps serving, under prefork, worker and event (on both engines).
 */

import assert from "node:assert/strict";
import { caseConfig, caseName, startMpmd } from "../../mpm/machinery/_mpm.ts";
import { APP_MPMS } from "./_app_mpms.ts";

const version = (v: string) => `export default { fetch: () => new Response("${v}") };\n`;
/** Requests the client loop may send while it waits for the new code: a bound, not a goal. */
const MAX_REQUESTS = 3_000;
const DEADLINE_MS = 20_000;

/** Requests sent after the first new answer, while the old generation drains. */
const AFTER = 200;

/**
 * GETs `origin` one request after another (Connection: close) until the body is `wanted`, then
 * {@link AFTER} more; returns the requests that failed (none may).
 */
async function pollUntil(origin: string, wanted: string): Promise<string[]> {
  const failures: string[] = [];
  const deadline = Date.now() + DEADLINE_MS;
  let left = Infinity;
  for (let i = 0; i < MAX_REQUESTS && Date.now() < deadline && left > 0; i++, left--) {
    try {
      const response = await fetch(origin, { headers: { connection: "close" } });
      const body = await response.text();
      if (response.status !== 200) failures.push(`${response.status} ${body}`);
      else if (body === wanted && left === Infinity) left = AFTER;
    } catch (error) {
      failures.push(String(error));
    }
  }
  if (left === Infinity) {
    throw new Error(`No answer ${wanted} within ${DEADLINE_MS} ms or ${MAX_REQUESTS} requests`);
  }
  return failures;
}

for (const c of APP_MPMS) {
  Deno.test(`${caseName(c)}: a graceful restart serves the app's new code; a broken module is refused`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "mpmd_reload_" });
    const module = `${dir}/app.ts`;
    try {
      await Deno.writeTextFile(module, version("v1"));
      const app = `App:\n  - Location: /\n    Module: ${module}`;
      await using server = await startMpmd(caseConfig(c, app));
      assert.equal(await (await fetch(server.origin)).text(), "v1");

      await Deno.writeTextFile(module, version("v2"));
      Deno.kill(server.pid, "SIGUSR2");
      assert.deepEqual(await pollUntil(server.origin, "v2"), []);
      await server.waitForLog(/generation 2 serving/);

      await Deno.writeTextFile(module, "export default { fetch( };\n");
      Deno.kill(server.pid, "SIGUSR2");
      await server.waitForLog(
        new RegExp(
          `Cannot restart: the new generation did not start \\(.*Cannot load app module ${module}: SyntaxError.*\\); generation 2 keeps serving`,
        ),
      );
      for (let i = 0; i < 20; i++) {
        const response = await fetch(server.origin, { headers: { connection: "close" } });
        assert.equal(await response.text(), "v2");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
