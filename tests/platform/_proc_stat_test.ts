import assert from "node:assert/strict";
import { procStatState } from "../../platform/_proc_stat.ts";

const CASES = [
  { name: "reads a running process", stat: "42 (deno) R 1 42 42 0 -1", state: "R" },
  { name: "reads a zombie", stat: "42 (deno) Z 1 42 42 0 -1", state: "Z" },
  { name: "reads the last field of a short line", stat: "42 (x) S", state: "S" },
  { name: "skips a name with spaces and ')'", stat: "42 (a) Z (b) S 1 42", state: "S" },
  { name: "reads after a name that is only ')'", stat: "42 ()) D 1", state: "D" },
  { name: "refuses text without a name", stat: "42 deno R 1", state: null },
  { name: "refuses an empty state field", stat: "42 (deno)  1 2", state: null },
  { name: "refuses an empty file", stat: "", state: null },
];

Deno.test("procStatState()", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.equal(procStatState(c.stat), c.state);
    });
  }
});
