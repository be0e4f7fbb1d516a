import assert from "node:assert/strict";
import { encodeKey, mapRequestPath } from "../../../modules/static/_path.ts";

Deno.test("mapRequestPath() decodes and normalises", async (t) => {
  const cases = [
    { path: "/", key: "", slash: true },
    { path: "/a.txt", key: "a.txt", slash: false },
    { path: "/dir/", key: "dir", slash: true },
    { path: "/a/b/c.d.e", key: "a/b/c.d.e", slash: false },
    { path: "/%41%62", key: "Ab", slash: false },
    { path: "/caf%C3%A9", key: "café", slash: false },
    { path: "/a%20b", key: "a b", slash: false },
    { path: "/%252e", key: "%2e", slash: false },
    { path: "/a//b", key: "a/b", slash: false },
    { path: "//", key: "", slash: true },
    { path: "/a/./b", key: "a/b", slash: false },
    { path: "/a/.", key: "a", slash: true },
    { path: "/a/b/..", key: "a", slash: true },
    { path: "/a/%2e%2E/b", key: "b", slash: false },
    { path: "/a:b@c", key: "a:b@c", slash: false },
    { path: "/x.", key: "x.", slash: false },
  ];
  for (const c of cases) {
    await t.step(c.path, () => {
      assert.deepEqual(mapRequestPath(c.path), { ok: true, key: c.key, trailingSlash: c.slash });
    });
  }
});

Deno.test("mapRequestPath() refuses with httpd's statuses", async (t) => {
  const cases = [
    { path: "", status: 400 },
    { path: "a.txt", status: 400 },
    { path: "*", status: 400 },
    { path: "/a b", status: 400 },
    { path: "/caf\u00e9", status: 400 },
    { path: "/a\u0000", status: 400 },
    { path: "/a\u007f", status: 400 },
    { path: "/%G0", status: 400 },
    { path: "/%0", status: 400 },
    { path: "/%00", status: 400 },
    { path: "/a\\b", status: 400 },
    { path: "/a%5cb", status: 400 },
    { path: "/%c3", status: 400 },
    { path: "/%c0%ae", status: 400 },
    { path: "/..", status: 400 },
    { path: "/a/../..", status: 400 },
    { path: "/a%2fb", status: 404 },
    { path: "/a%2Fb", status: 404 },
    { path: "/.x", status: 404 },
    { path: "/a/.git/b", status: 404 },
    { path: "/.ht", status: 403 },
    { path: "/a/.htaccess", status: 403 },
    { path: "/%2Ehtpasswd", status: 403 },
  ];
  for (const c of cases) {
    await t.step(`${JSON.stringify(c.path)} → ${c.status}`, () => {
      const mapped = mapRequestPath(c.path);
      assert.equal(mapped.ok, false);
      assert.equal(!mapped.ok && mapped.status, c.status);
    });
  }
});

Deno.test("encodeKey() round-trips through mapRequestPath()", async (t) => {
  for (const key of ["", "a", "a b/c", "café/<x>", "q?#%", "a:b;c=d"]) {
    await t.step(JSON.stringify(key), () => {
      const mapped = mapRequestPath(encodeKey(key));
      assert.ok(mapped.ok);
      assert.equal(mapped.key, key);
    });
  }
});
