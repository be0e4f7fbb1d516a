import assert from "node:assert/strict";
import { escapeLogItem } from "../../../server/log/mod.ts";

const CASES = [
  { name: "leaves printable ASCII alone", input: "GET /a-b_c~d?e=f&g=h HTTP/1.1", output: null },
  { name: "escapes a double quote", input: 'a"b', output: 'a\\"b' },
  { name: "escapes a backslash", input: "a\\b", output: "a\\\\b" },
  {
    name: "uses C escapes for BS, TAB, LF, VT, CR",
    input: "\b\t\n\v\r",
    output: "\\b\\t\\n\\v\\r",
  },
  {
    name: "hex-escapes other controls and DEL",
    input: "\x00\x01\x1b\x7f",
    output: "\\x00\\x01\\x1b\\x7f",
  },
  { name: "hex-escapes a raw byte above 0x7e", input: "\xe9\xff", output: "\\xe9\\xff" },
  {
    name: "hex-escapes the UTF-8 bytes of a wider character",
    input: "\u20ac",
    output: "\\xe2\\x82\\xac",
  },
  {
    name: "hex-escapes an astral character's UTF-8 bytes",
    input: "\u{1f600}",
    output: "\\xf0\\x9f\\x98\\x80",
  },
  { name: "keeps the empty string", input: "", output: null },
];

Deno.test("escapeLogItem()", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.equal(escapeLogItem(c.input), c.output ?? c.input);
    });
  }
});
