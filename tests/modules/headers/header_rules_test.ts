import assert from "node:assert/strict";
import { applyHeaderRules, withHeaderRules } from "../../../modules/headers/mod.ts";
import type { HeaderRule } from "../../../server/config/mod.ts";
import { type Handler, HttpError, type ServerResponse } from "../../../server/http/mod.ts";
import { testLogger } from "../static/_fixture.ts";
import { makeRequest } from "../static/_request.ts";

const rule = (
  action: HeaderRule["action"],
  name: string,
  value: string | null = null,
  when: HeaderRule["when"] = "onsuccess",
): HeaderRule => ({ when, action, name, value });

Deno.test("applyHeaderRules() does what mod_headers' actions do", async (t) => {
  const fields: [string, string][] = [["Cache-Control", "no-cache"], ["Vary", "Accept"], [
    "X-A",
    "1",
  ], ["x-a", "2"]];
  const CASES: [name: string, rule: HeaderRule, want: [string, string][]][] = [
    ["set replaces every occurrence", rule("set", "X-A", "3"), [["Cache-Control", "no-cache"], [
      "Vary",
      "Accept",
    ], ["X-A", "3"]]],
    ["unset removes every occurrence", rule("unset", "x-A"), [["Cache-Control", "no-cache"], [
      "Vary",
      "Accept",
    ]]],
    ["add adds another", rule("add", "Vary", "Origin"), [...fields, ["Vary", "Origin"]]],
    ["append joins with a comma", rule("append", "vary", "Origin"), [
      ["Cache-Control", "no-cache"],
      ["Vary", "Accept, Origin"],
      ["X-A", "1"],
      ["x-a", "2"],
    ]],
    ["merge does not repeat a value", rule("merge", "Vary", "Accept"), fields],
    ["merge adds a new one", rule("merge", "Vary", "Origin"), [
      ["Cache-Control", "no-cache"],
      ["Vary", "Accept, Origin"],
      ["X-A", "1"],
      ["x-a", "2"],
    ]],
    ["setifempty keeps what is there", rule("setifempty", "Cache-Control", "max-age=60"), fields],
    ["setifempty sets what is not", rule("setifempty", "X-B", "b"), [...fields, ["X-B", "b"]]],
  ];
  for (const [name, r, want] of CASES) {
    await t.step(name, () => {
      assert.deepEqual(applyHeaderRules(fields, [r]), want);
      // The fields given are never changed.
      assert.equal(fields.length, 4);
    });
  }
});

Deno.test("withHeaderRules(): onsuccess lines on 2xx and 304, always lines on every answer", async (t) => {
  const host = {
    headers: [
      rule("set", "Cache-Control", "max-age=60"),
      rule("set", "X-Frame-Options", "DENY", "always"),
    ],
    requestHeaders: [rule("set", "X-Forwarded-Proto", "http"), rule("unset", "Cookie")],
  };
  let seen: ReadonlyMap<string, string> | null = null;
  const answers: Record<string, () => ReturnType<Handler>> = {
    "/ok": () => ({ status: 200, headers: [["Content-Type", "text/plain"]], body: null }),
    "/async": () => Promise.resolve({ status: 200, headers: [], body: null }),
    "/moved": () => ({ status: 301, headers: [["Location", "/x/"]], body: null }),
    "/forbidden": () => {
      throw new HttpError(403, "no");
    },
    "/crash": () => {
      throw new Error("boom");
    },
    "/none": () => null,
    "/web": (): ServerResponse => ({
      status: 200,
      headers: [],
      body: null,
      web: new Response("hi", { headers: { "X-W": "1" } }),
    }),
  };
  const handler = withHeaderRules(
    (request) => {
      seen = request.headers;
      return answers[request.path]!();
    },
    host,
    { logger: testLogger() },
  );
  const CASES: [path: string, status: number, cache: string | undefined][] = [
    ["/ok", 200, "max-age=60"],
    ["/async", 200, "max-age=60"],
    ["/web", 200, "max-age=60"],
    ["/moved", 301, undefined],
    ["/forbidden", 403, undefined],
    ["/crash", 500, undefined],
    ["/none", 404, undefined],
  ];
  for (const [path, status, cache] of CASES) {
    await t.step(`${path} → ${status}`, async () => {
      const response = (await handler(makeRequest(path, { headers: { cookie: "a=1" } })))!;
      const field = (name: string) => response.headers.find(([n]) => n === name)?.[1];
      assert.equal(response.status, status);
      assert.equal(field("Cache-Control"), cache);
      assert.equal(field("X-Frame-Options"), "DENY");
      assert.equal(seen?.get("x-forwarded-proto"), "http");
      assert.equal(seen?.has("cookie"), false);
    });
  }
  const bare = (() => null) as Handler;
  assert.equal(
    withHeaderRules(bare, { headers: [], requestHeaders: [] }, { logger: testLogger() }),
    bare,
  );
});
