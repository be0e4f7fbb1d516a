import assert from "node:assert/strict";
import { chooseDefaultMpm } from "../../mpm/mod.ts";

const CASES = [
  { os: "linux", threads: true, threadSafePolling: true, mpm: "event" },
  { os: "darwin", threads: true, threadSafePolling: true, mpm: "event" },
  { os: "freebsd", threads: true, threadSafePolling: true, mpm: "event" },
  { os: "linux", threads: true, threadSafePolling: false, mpm: "worker" },
  { os: "linux", threads: false, threadSafePolling: true, mpm: "prefork" },
  { os: "linux", threads: false, threadSafePolling: false, mpm: "prefork" },
  { os: "windows", threads: true, threadSafePolling: true, mpm: "winnt" },
  { os: "windows", threads: false, threadSafePolling: false, mpm: "winnt" },
] as const;

Deno.test("chooseDefaultMpm() follows the platform table", async (t) => {
  for (const c of CASES) {
    const caps = { os: c.os, threads: c.threads, threadSafePolling: c.threadSafePolling };
    await t.step(`${JSON.stringify(caps)} → ${c.mpm}`, () => {
      const choice = chooseDefaultMpm(caps);
      assert.equal(choice.mpm, c.mpm);
      assert.ok(choice.reason.length > 0);
    });
  }
});
