import assert from "node:assert/strict";
import { migrationNotice } from "../../../mpm/machinery/_parent_exits.ts";

Deno.test("migrationNotice() speaks only where a closing listener resets its queue", async (t) => {
  await t.step("tcp_migrate_req 1, or not Linux: nothing to say", () => {
    assert.equal(migrationNotice(true, true), null);
    assert.equal(migrationNotice(null, false), null);
  });
  await t.step("0 with steering: a notice naming the remedy", () => {
    const notice = migrationNotice(false, true);
    assert.equal(notice?.level, "notice");
    assert.match(notice!.message, /steers new connections .* sysctl -w net.ipv4.tcp_migrate_req=1/);
  });
  await t.step("0 without steering: a warning about resets under load", () => {
    const notice = migrationNotice(false, false);
    assert.equal(notice?.level, "warn");
    assert.match(notice!.message, /may reset queued connections; sysctl -w/);
  });
});
