import assert from "node:assert/strict";
import { parseResidentBytes, readResidentBytes } from "../../platform/mod.ts";

Deno.test("parseResidentBytes()", async (t) => {
  const CASES = [
    {
      name: "reads VmRSS in bytes",
      status: "Name:\tdeno\nVmPeak:\t  900000 kB\nVmRSS:\t   51200 kB\nThreads:\t9\n",
      bytes: 50 * 2 ** 20,
    },
    {
      name: "a zombie has no VmRSS line",
      status: "Name:\tdeno\nState:\tZ (zombie)\n",
      bytes: null,
    },
    { name: "refuses text that is not a status file", status: "hello", bytes: null },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => assert.equal(parseResidentBytes(c.status), c.bytes));
  }
});

Deno.test("readResidentBytes() reads this process, and null for a pid that does not exist", async () => {
  const own = await readResidentBytes(Deno.pid);
  assert.ok(own !== null && own > 2 ** 20, String(own));
  assert.equal(await readResidentBytes(2 ** 30), null);
});
