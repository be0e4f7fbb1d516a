import assert from "node:assert/strict";
import { indexIgnoreMatcher } from "../../../modules/static/_index_ignore.ts";

// Debian's and httpd's stock patterns, and what they hide.
const STOCK = [".??*", "*~", "*#", "HEADER*", "README*", "RCS", "CVS", "*,v", "*,t"];

const CASES: readonly { name: string; patterns: readonly string[]; ignored: boolean }[] = [
  { name: "anything", patterns: [], ignored: false },
  { name: "notes.txt~", patterns: STOCK, ignored: true },
  { name: "#draft#", patterns: STOCK, ignored: true },
  { name: "HEADER.html", patterns: STOCK, ignored: true },
  { name: "README", patterns: STOCK, ignored: true },
  { name: "readme", patterns: STOCK, ignored: false },
  { name: "CVS", patterns: STOCK, ignored: true },
  { name: "CVSROOT", patterns: STOCK, ignored: false },
  { name: "file.c,v", patterns: STOCK, ignored: true },
  { name: "index.html", patterns: STOCK, ignored: false },
  { name: "a.bak", patterns: ["?.bak"], ignored: true },
  { name: "ab.bak", patterns: ["?.bak"], ignored: false },
  { name: "é.bak", patterns: ["?.bak"], ignored: true },
  // Everything but * and ? is literal.
  { name: "a+b(1).txt", patterns: ["a+b(1).txt"], ignored: true },
  { name: "aab(1)xtxt", patterns: ["a+b(1).txt"], ignored: false },
  { name: "[x]", patterns: ["[x]"], ignored: true },
  { name: "x", patterns: ["[x]"], ignored: false },
  { name: "line\nbreak", patterns: ["line*"], ignored: true },
];

Deno.test("indexIgnoreMatcher() matches whole names with * and ?", async (t) => {
  for (const c of CASES) {
    await t.step(`${JSON.stringify(c.name)} against ${c.patterns.join(" ") || "nothing"}`, () => {
      assert.equal(indexIgnoreMatcher(c.patterns)(c.name), c.ignored);
    });
  }
});
