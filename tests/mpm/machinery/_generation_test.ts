import assert from "node:assert/strict";
import { switchPreview, switchRefusal } from "../../../mpm/machinery/mod.ts";
import { MPMS } from "../../../mpm/mod.ts";
import { MPM_NAMES, type MpmName } from "../../../server/config/mod.ts";

const shape = (mpm: MpmName) => ({
  mpm,
  topology: MPMS[mpm].topology(MPMS[mpm].check({}).settings),
});

Deno.test("switchRefusal(): any MPM with child processes follows any other; netware neither way", () => {
  for (const from of MPM_NAMES) {
    for (const to of MPM_NAMES) {
      const refusal = switchRefusal(shape(from), shape(to));
      const refused = from !== to && (from === "netware" || to === "netware");
      assert.equal(refusal !== null, refused, `${from} → ${to}: ${refusal}`);
      if (refused) {
        assert.match(refusal!, new RegExp(`^Cannot restart into the ${to} MPM: netware serves`));
      }
    }
  }
});

Deno.test("switchPreview() says what -t expects a restart to do", async (t) => {
  const CASES: [MpmName, MpmName, RegExp | null][] = [
    ["event", "event", null],
    [
      "prefork",
      "event",
      /^mpmd: the server running as pid 42 serves with prefork: a restart into this configuration switches it to event\. New event children start on the same sockets.*the prefork children finish/,
    ],
    ["netware", "worker", /pid 42 serves with netware\. Cannot restart into the worker MPM/],
  ];
  for (const [from, to, want] of CASES) {
    await t.step(`${from} → ${to}`, () => {
      const preview = switchPreview(from, to, 42);
      if (want === null) assert.equal(preview, null);
      else assert.match(preview ?? "", want);
    });
  }
});
