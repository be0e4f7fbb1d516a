import assert from "node:assert/strict";
import { fallbackNotice } from "../../../mpm/machinery/_listen_sockets.ts";

Deno.test("fallbackNotice() says why and what it costs, only for the fallback, in one short line", () => {
  const reuseport = { kind: "reuseport", reason: "MPMD_ACCEPT=reuseport is set" } as const;
  const CASES = [
    { mode: { kind: "shared" } as const, migrate: false, want: null },
    {
      mode: reuseport,
      migrate: true,
      want:
        "Cannot share the listening sockets (MPMD_ACCEPT=reuseport is set): a socket per slot, where a connection may wait for a busy slot",
    },
    {
      mode: reuseport,
      migrate: null,
      want:
        "Cannot share the listening sockets (MPMD_ACCEPT=reuseport is set): a socket per slot, where a connection may wait for a busy slot, and is reset if that slot stops (unless net.ipv4.tcp_migrate_req=1)",
    },
  ];
  for (const c of CASES) {
    const notice = fallbackNotice(c.mode, c.migrate);
    assert.equal(notice, c.want);
    assert.ok(notice === null || notice.length <= 200, `${notice?.length} characters`);
  }
});
