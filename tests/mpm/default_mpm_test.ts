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

Deno.test("chooseDefaultMpm() follows the build: --with-mpm first, else the platform's best it holds", async (t) => {
  const linux = { os: "linux", threads: true, threadSafePolling: true } as const;
  const cases = [
    {
      name: "--with-mpm wins",
      build: { mpms: ["prefork", "worker"], defaultMpm: "prefork" },
      mpm: "prefork",
      reason: /--with-mpm/,
    },
    {
      name: "the platform's first choice, built in",
      build: { mpms: ["event", "prefork"], defaultMpm: null },
      mpm: "event",
      reason: /^threads and thread-safe polling are available$/,
    },
    {
      name: "the next choice when the first is not built in",
      build: { mpms: ["prefork", "worker"], defaultMpm: null },
      mpm: "worker",
      reason: /event is not built in/,
    },
    {
      name: "the last choice",
      build: { mpms: ["prefork", "netware"], defaultMpm: null },
      mpm: "prefork",
      reason: /event is not built in/,
    },
    {
      name: "none of the platform's: the first built in",
      build: { mpms: ["netware", "mpmt_os2"], defaultMpm: null },
      mpm: "netware",
      reason: /none of the platform's choices/,
    },
  ] as const;
  for (const c of cases) {
    await t.step(c.name, () => {
      const choice = chooseDefaultMpm(linux, c.build);
      assert.equal(choice.mpm, c.mpm);
      assert.match(choice.reason, c.reason);
    });
  }
});
