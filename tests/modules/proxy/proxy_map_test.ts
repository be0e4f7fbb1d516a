import assert from "node:assert/strict";
import { DEFAULT_PROXY_WORKER, type ProxyRule } from "../../../server/config/mod.ts";
import { compileRules, mapToBackend } from "../../../modules/proxy/mod.ts";

const rule = (kind: ProxyRule["kind"], match: string, target: string | null): ProxyRule => ({
  kind,
  match,
  target,
  worker: DEFAULT_PROXY_WORKER,
});

const RULES = compileRules([
  rule("prefix", "/app/static/", null),
  rule("prefix", "/app/", "http://127.0.0.1:8081/"),
  rule("prefix", "/api", "http://127.0.0.1:8082/v1"),
  rule("regex", "^/img/(.*)\\.png$", "http://127.0.0.1:8083/png/$1"),
  rule("regex", "^/whole/", "http://127.0.0.1:8084/base"),
  rule("prefix", "/bare", "http://127.0.0.1:8085"),
]);

const CASES = [
  { name: "a prefix's rest is appended", path: "/app/a/b", query: "", target: "/a/b" },
  { name: "the query follows", path: "/app/x", query: "q=1&r", target: "/x?q=1&r" },
  { name: "a ! rule excludes what it matches", path: "/app/static/x.css", query: "", target: "!" },
  { name: "a target's own path is kept", path: "/api/users", query: "", target: "/v1/users" },
  // httpd's prefix match: /api takes /apiary too.
  { name: "a prefix matches as httpd's does", path: "/apiary", query: "", target: "/v1ary" },
  { name: "regex groups fill $1", path: "/img/a/b.png", query: "s=2", target: "/png/a/b?s=2" },
  {
    name: "a regex target without $ gets the path",
    path: "/whole/x",
    query: "",
    target: "/base/whole/x",
  },
  { name: "a target without a path maps to /", path: "/bare", query: "", target: "/" },
  { name: "an unmapped path is left alone", path: "/other", query: "", target: null },
];

Deno.test("mapToBackend()", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const mapping = mapToBackend(RULES, c.path, c.query);
      const target = mapping === null ? null : mapping === "excluded" ? "!" : mapping.target;
      assert.equal(target, c.target);
    });
  }
});
