import assert from "node:assert/strict";
import { parseProcessCpu, readProcessCpu } from "../../platform/mod.ts";

// Fields 1..17 of proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
// majflt cmajflt utime stime cutime cstime.
const LINE = "42 (de no)) S 1 42 42 0 -1 4194560 900 0 3 0 250 75 1200 30 20 0 9";

Deno.test("parseProcessCpu()", async (t) => {
  const CASES = [
    {
      name: "reads utime, stime, cutime, cstime in seconds",
      stat: LINE,
      cpu: { user: 2.5, system: 0.75, childrenUser: 12, childrenSystem: 0.3 },
    },
    { name: "refuses a line that stops before cstime", stat: "42 (x) S 1 2 3 4 5 6 7", cpu: null },
    { name: "refuses a non-number", stat: LINE.replace(" 250 ", " x "), cpu: null },
    { name: "refuses text that is not a stat line", stat: "hello", cpu: null },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => assert.deepEqual(parseProcessCpu(c.stat), c.cpu));
  }
});

Deno.test("readProcessCpu() reads this process, and null for a pid that does not exist", async () => {
  const own = await readProcessCpu(Deno.pid);
  assert.ok(own !== null && own.user >= 0 && own.system >= 0);
  assert.equal(await readProcessCpu(2 ** 30), null);
});
