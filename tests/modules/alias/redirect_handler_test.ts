import assert from "node:assert/strict";
import { createRedirectHandler, matchUrlPrefix } from "../../../modules/alias/mod.ts";
import type { RedirectRule } from "../../../server/config/mod.ts";
import type { ServerRequest, ServerResponse } from "../../../server/http/mod.ts";

Deno.test("matchUrlPrefix() matches at segment boundaries, slashes collapsed, as httpd", async (t) => {
  const CASES: [path: string, prefix: string, end: number][] = [
    ["/old", "/old", 4],
    ["/old/page", "/old", 4],
    ["/older", "/old", -1],
    ["/old/page", "/old/", 5],
    ["/old", "/old/", -1],
    ["//old///page", "/old/", 8],
    ["/", "/", 1],
    ["/anything", "/", 1],
    ["/Old", "/old", -1],
  ];
  for (const [path, prefix, end] of CASES) {
    await t.step(`${path} ~ ${prefix} → ${end}`, () => {
      assert.equal(matchUrlPrefix(path, prefix), end);
    });
  }
});

Deno.test("createRedirectHandler() answers with the first matching rule", async (t) => {
  const rules: RedirectRule[] = [
    { kind: "prefix", match: "/old", status: 301, target: "https://example.test/new" },
    { kind: "prefix", match: "/gone", status: 410, target: null },
    { kind: "prefix", match: "/old/secret", status: 302, target: "/never" },
    { kind: "regex", match: "^/docs/(.*)\\.html$", status: 302, target: "/manual/$1" },
  ];
  const handler = createRedirectHandler(rules)!;
  const CASES: [path: string, query: string, status: number | null, location?: string][] = [
    ["/old", "", 301, "https://example.test/new"],
    ["/old/a/b", "x=1", 301, "https://example.test/new/a/b?x=1"],
    // The earlier rule wins over a longer one written later.
    ["/old/secret", "", 301, "https://example.test/new/secret"],
    ["/gone/x", "", 410],
    ["/docs/intro.html", "q=1", 302, "/manual/intro"],
    ["/docs/intro.txt", "", null],
    ["/older", "", null],
  ];
  for (const [path, query, status, location] of CASES) {
    await t.step(`${path}?${query} → ${status} ${location ?? ""}`, () => {
      const response = handler({ path, query } as ServerRequest) as ServerResponse | null;
      assert.equal(response?.status ?? null, status);
      const headers = new Map(response?.headers as [string, string][] ?? []);
      assert.equal(headers.get("Location"), location);
    });
  }
  assert.equal(createRedirectHandler([]), null);
});
