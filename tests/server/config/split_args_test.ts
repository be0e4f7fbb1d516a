import assert from "node:assert/strict";
import { ArgumentSyntaxError, splitArgs } from "../../../server/config/mod.ts";

const CASES: { text: string; want: string[] }[] = [
  { text: "", want: [] },
  { text: "  Off  ", want: ["Off"] },
  { text: "index.html\tindex.htm", want: ["index.html", "index.htm"] },
  { text: 'logs/a.log "%h %l \\"%r\\""', want: ["logs/a.log", '%h %l "%r"'] },
  { text: "'single quoted' x", want: ["single quoted", "x"] },
  { text: '"" b', want: ["", "b"] },
  { text: 'a"b c', want: ['a"b', "c"] },
];

Deno.test("splitArgs() splits as httpd's ap_getword_conf", async (t) => {
  for (const c of CASES) {
    await t.step(JSON.stringify(c.text), () => assert.deepEqual(splitArgs(c.text), c.want));
  }
});

Deno.test("splitArgs() refuses an unterminated quote", () => {
  assert.throws(() => splitArgs('a "b c'), (e) => {
    assert.ok(e instanceof ArgumentSyntaxError);
    assert.equal(e.message, '"a \\"b c" has an unterminated " quote');
    return true;
  });
});
