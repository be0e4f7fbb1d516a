import assert from "node:assert/strict";
import { createHealthHandler } from "../../../modules/mod.ts";
import { HttpError, type ServerResponse } from "../../../server/http/mod.ts";
import { makeRequest } from "../static/_request.ts";

const text = (response: ServerResponse | null) =>
  response?.body instanceof Uint8Array ? new TextDecoder().decode(response.body) : null;

Deno.test("the health endpoint answers its own path only, 200 while serving and 503 draining", async (t) => {
  let draining = false;
  const health = createHealthHandler("/healthz", () => draining);
  const cases = [
    { target: "/healthz", draining: false, status: 200, body: "OK\n" },
    { target: "/healthz?from=kubelet", draining: false, status: 200, body: "OK\n" },
    { target: "/%68ealthz", draining: false, status: 200, body: "OK\n" },
    { target: "/healthz", draining: true, status: 503, body: "draining\n" },
    { target: "/healthz/", draining: false, status: null, body: null },
    { target: "/healthz/deep", draining: false, status: null, body: null },
    { target: "/healthzx", draining: false, status: null, body: null },
    { target: "/", draining: false, status: null, body: null },
  ];
  for (const c of cases) {
    await t.step(`${c.target}${c.draining ? ", draining" : ""}`, () => {
      draining = c.draining;
      const response = health(makeRequest(c.target)) as ServerResponse | null;
      assert.equal(response?.status ?? null, c.status);
      assert.equal(text(response), c.body);
      if (response !== null) {
        assert.deepEqual(response.headers, [
          ["Content-Type", "text/plain; charset=utf-8"],
          ["Cache-Control", "no-store"],
        ]);
      }
    });
  }
});

Deno.test("the health endpoint answers HEAD without a body and refuses other methods with 405", () => {
  const health = createHealthHandler("/healthz", () => false);
  const head = health(makeRequest("/healthz", { method: "HEAD" })) as ServerResponse;
  assert.equal(head.status, 200);
  assert.equal(head.body, null);
  assert.throws(
    () => health(makeRequest("/healthz", { method: "POST" })),
    (e: unknown) =>
      e instanceof HttpError && e.status === 405 &&
      e.headers.some(([name, value]) => name === "Allow" && value === "GET, HEAD"),
  );
});
