import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { AppModuleError, loadAppHandler } from "../../../modules/app/mod.ts";
import type { ServerRequest, ServerResponse } from "../../../server/http/mod.ts";
import { stripAnsiSequences } from "../../../server/log/mod.ts";
import { collectingLogger, type LogEntry, startEngine } from "../../server/http/_test_engine.ts";
import { makeRequest } from "../static/_request.ts";

const fixture = (name: string) => fileURLToPath(new URL(`./_fixtures/${name}`, import.meta.url));
/** A slot that never listens: no onListen is called. */
const NEVER_LISTENING = new Promise<readonly Deno.NetAddr[]>(() => {});
const context = {
  logger: collectingLogger([]),
  requestTimeoutMs: 60_000,
  listening: NEVER_LISTENING,
};

/** An engine request for `target` from 192.0.2.7 to example.test; a body comes as JSON. */
function request(target: string, init: { method?: string; body?: string } = {}): ServerRequest {
  return makeRequest(target, {
    ...init,
    headers: init.body === undefined ? {} : { "content-type": "application/json" },
    host: "example.test",
    remote: { hostname: "192.0.2.7", port: 40001 },
  });
}

function json(response: ServerResponse | null): unknown {
  assert.ok(response !== null, "expected an answer");
  // A Response made from JSON holds its whole body: it is sent with a Content-Length.
  assert.ok(response.body instanceof Uint8Array, "an app's JSON body arrives whole");
  return JSON.parse(new TextDecoder().decode(response.body));
}

const PREFIX_CASES: { location: string; path: string; answered: boolean }[] = [
  { location: "/api", path: "/api", answered: true },
  { location: "/api", path: "/api/", answered: true },
  { location: "/api", path: "/api/x/y", answered: true },
  { location: "/api", path: "/apix", answered: false },
  { location: "/api", path: "/ap", answered: false },
  { location: "/api", path: "/API", answered: false },
  { location: "/api", path: "/", answered: false },
  { location: "/api", path: "*", answered: false },
  { location: "/api", path: "/api/../x", answered: false },
  { location: "/api", path: "/api/%2e%2e/x", answered: false },
  { location: "/api", path: "/x/../api/y", answered: true },
  { location: "/api", path: "/%61pi/y", answered: true },
  { location: "/api", path: "//api/y", answered: true },
  { location: "/api", path: "/api%2Fy", answered: false },
  { location: "/a/b", path: "/a/b/c", answered: true },
  { location: "/a/b", path: "/a/bc", answered: false },
  { location: "/a/b", path: "/a", answered: false },
  { location: "/", path: "/", answered: true },
  { location: "/", path: "/anything/at/all", answered: true },
  { location: "/", path: "*", answered: true },
];

Deno.test("loadAppHandler() answers its Location and below, and falls through elsewhere", async (t) => {
  const handlers = new Map<string, Awaited<ReturnType<typeof loadAppHandler>>>();
  for (const c of PREFIX_CASES) {
    await t.step(`${c.location}: ${c.path} → ${c.answered ? "app" : "null"}`, async () => {
      let handler = handlers.get(c.location);
      if (handler === undefined) {
        handler = await loadAppHandler(
          { location: c.location, module: fixture("hello.ts") },
          context,
        );
        handlers.set(c.location, handler);
      }
      const response = handler(request(c.path));
      if (!c.answered) assert.equal(response, null);
      else assert.equal((await response)?.status, 200);
    });
  }
});

Deno.test("loadAppHandler() passes the full URL, the method, remoteAddr and the module as this", async () => {
  const handler = await loadAppHandler({ location: "/api", module: fixture("hello.ts") }, context);
  assert.deepEqual(await json(await handler(request("/api/users?id=3", { method: "DELETE" }))), {
    greeting: "hello",
    url: "http://example.test/api/users?id=3",
    method: "DELETE",
    remote: "192.0.2.7:40001",
  });
});

Deno.test("loadAppHandler() lets the app read the request body and answers with its status and fields", async () => {
  const handler = await loadAppHandler(
    { location: "/echo", module: fixture("echo_json.ts") },
    context,
  );
  const response = await handler(
    request("/echo", { method: "POST", body: JSON.stringify({ a: [1, "two"] }) }),
  );
  assert.equal(response?.status, 201);
  assert.ok(response?.headers.some(([name, value]) => name === "x-app" && value === "echo"));
  assert.deepEqual(await json(response), { echo: { a: [1, "two"] } });
});

Deno.test("loadAppHandler() refuses a module whose default export has no fetch function", async () => {
  const module = fixture("no_fetch.ts");
  await assert.rejects(loadAppHandler({ location: "/", module }, context), (e) => {
    assert.ok(e instanceof AppModuleError);
    assert.equal(e.name, "AppModuleError");
    assert.equal(
      e.message,
      `Cannot load app module ${module}: its default export has no fetch function`,
    );
    return true;
  });
});

Deno.test("loadAppHandler() wraps a failed import, keeping the cause", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_app_test_" });
  try {
    // Written here, not kept as fixtures: deno check and deno lint would refuse them.
    const CASES = [
      { name: "a syntax error", source: "export default { fetch( {\n", place: ":1:26" },
      {
        name: "a missing import",
        source: 'import "./does_not_exist.ts";\nexport default {};\n',
        place: ":1:8",
      },
      {
        name: "a throw at top level",
        source: 'throw new Error("top-level failure");\n',
        place: null,
      },
    ];
    for (const [i, c] of CASES.entries()) {
      await t.step(c.name, async () => {
        const module = join(dir, `broken_${i}.ts`);
        await Deno.writeTextFile(module, c.source);
        await assert.rejects(loadAppHandler({ location: "/", module }, context), (e) => {
          assert.ok(e instanceof AppModuleError);
          assert.ok(e.cause instanceof Error, "the import's failure is the cause");
          // One line: the first of Deno's message, with its place once, without colours.
          const first = stripAnsiSequences(e.cause.message.split("\n")[0]!);
          const place = c.place === null ? "" : ` (at ${module}${c.place})`;
          assert.equal(e.message, `Cannot load app module ${module}: ${first}${place}`);
          return true;
        });
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadAppHandler(): a throwing app or a non-Response answer becomes the engine's 500", async (t) => {
  const handler = await loadAppHandler({ location: "/app", module: fixture("throws.ts") }, context);
  await using server = startEngine(handler);
  const CASES = [
    { path: "/app/boom", logged: /app failure at \/app\/boom/ },
    { path: "/app/wrong", logged: /returned string, not a Response/ },
  ];
  for (const c of CASES) {
    await t.step(c.path, async () => {
      const response = await fetch(`http://127.0.0.1:${server.port}${c.path}`);
      await response.body?.cancel();
      assert.equal(response.status, 500);
      const logged = server.errors().map((entry) => `${entry.message} ${entry.cause}`).join("\n");
      assert.match(logged, c.logged);
    });
  }
  await t.step("other paths still fall through to the engine's 404", async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/elsewhere`);
    await response.body?.cancel();
    assert.equal(response.status, 404);
  });
});

Deno.test("loadAppHandler(): a fetch that returns nothing within RequestTimeout gets 504 and a log line", async () => {
  const logged: LogEntry[] = [];
  const module = fixture("hangs.ts");
  const handler = await loadAppHandler(
    { location: "/", module },
    { logger: collectingLogger(logged), requestTimeoutMs: 50, listening: NEVER_LISTENING },
  );
  const started = Date.now();
  const response = await handler(request("/hang"));
  assert.ok(Date.now() - started >= 50, "not before the deadline");
  assert.equal(response?.status, 504);
  assert.ok(response?.headers.some(([n, v]) => n === "Connection" && v === "close"));
  assert.match(
    logged.map((entry) => entry.message).join("\n"),
    new RegExp(
      `Cannot answer GET /hang: app module ${module} returned no response within RequestTimeout \\(0\\.05 s\\); answered 504`,
    ),
  );
});

Deno.test("loadAppHandler(): each chunk of request body the app reads restarts RequestTimeout", async () => {
  const handler = await loadAppHandler(
    { location: "/", module: fixture("hangs.ts") },
    { logger: collectingLogger([]), requestTimeoutMs: 100, listening: NEVER_LISTENING },
  );
  // Five chunks 40 ms apart: 200 ms in all, twice the limit, but never 100 ms without one.
  let left = 5;
  const slow = request("/count", { method: "POST", body: "" });
  const response = await handler({
    ...slow,
    body: {
      ...slow.body,
      present: true,
      read: async () => {
        if (left === 0) return null;
        left--;
        await new Promise((resolve) => setTimeout(resolve, 40));
        return new Uint8Array(10);
      },
    },
  });
  assert.equal(response?.status, 200);
  assert.equal(await new Response(response?.body as ReadableStream).text(), "50");
});
