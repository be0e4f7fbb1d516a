import assert from "node:assert/strict";
import { detectCapabilities } from "../../platform/mod.ts";

Deno.test("detectCapabilities() reports this Linux host as Workers plus epoll", () => {
  const caps = detectCapabilities();
  assert.equal(caps.os, Deno.build.os);
  assert.equal(caps.threads, true);
  if (Deno.build.os === "linux") {
    assert.equal(caps.threadSafePolling, true);
    assert.equal(caps.poller, "epoll");
    assert.equal(caps.reusePortBalancing, true);
    const raw = Deno.readTextFileSync("/proc/sys/net/ipv4/tcp_migrate_req").trim();
    assert.equal(caps.tcpMigrateReq, raw === "1");
  }
});
