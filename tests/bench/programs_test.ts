import assert from "node:assert/strict";
import { cpuModelFromLscpu, versionFromOutput } from "../../bench/mod.ts";

Deno.test("versionFromOutput()", async (t) => {
  // First lines as printed on Debian by `nginx -v`, `apache2 -v`, `wrk -v`, `ab -V`, `mpmd -V`.
  const CASES = [
    { name: "nginx -v", text: "nginx version: nginx/1.22.1\n", want: "nginx/1.22.1" },
    {
      name: "apache2 -v",
      text: "Server version: Apache/2.4.71 (Debian)\nServer built:   2026-11-12T08:58:41\n",
      want: "Apache/2.4.71 (Debian)",
    },
    {
      name: "wrk -v",
      text:
        "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer\nUsage: wrk <options> <url>\n",
      want: "wrk debian/4.1.0-3+b2 [epoll]",
    },
    {
      name: "ab -V",
      text: "This is ApacheBench, Version 2.3 <$Revision$>\nCopyright 1996 Adam Twiss\n",
      want: "ApacheBench, Version 2.3",
    },
    {
      name: "leading blank lines",
      text: "\n\n  mpmd/0.1.0 (Deno 2.9.6)\n",
      want: "mpmd/0.1.0 (Deno 2.9.6)",
    },
    { name: "no output", text: "", want: "unknown" },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => assert.equal(versionFromOutput(c.text), c.want));
  }
});

Deno.test("cpuModelFromLscpu()", async (t) => {
  await t.step("reads the model name", () => {
    const text = "Architecture:  x86_64\nCPU(s):  2\nModel name:  Intel(R) Xeon(R) Processor\n";
    assert.equal(cpuModelFromLscpu(text), "Intel(R) Xeon(R) Processor");
  });
  await t.step("gives null without one", () => {
    assert.equal(cpuModelFromLscpu("Architecture:  aarch64\n"), null);
  });
});
