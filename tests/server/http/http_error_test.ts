import assert from "node:assert/strict";
import { methodRefusal } from "../../../server/http/mod.ts";

Deno.test("methodRefusal() answers 405 with Allow for a known method, 501 for any other", async (t) => {
  const cases = [
    { method: "POST", status: 405, allow: "GET, HEAD" },
    { method: "DELETE", status: 405, allow: "GET, HEAD" },
    { method: "PROPFIND", status: 405, allow: "GET, HEAD" },
    { method: "FOO", status: 501, allow: undefined },
    // Method names are case-sensitive (RFC 9110 §9.1).
    { method: "get", status: 501, allow: undefined },
    { method: "Post", status: 501, allow: undefined },
  ];
  for (const c of cases) {
    await t.step(`${c.method} → ${c.status}`, () => {
      const error = methodRefusal(c.method, "GET, HEAD", "the page");
      assert.equal(error.status, c.status);
      assert.equal(new Map(error.headers).get("Allow"), c.allow);
      assert.match(error.message, new RegExp(`^Cannot ${c.method} the page: `));
    });
  }
});
