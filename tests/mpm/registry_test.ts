import assert from "node:assert/strict";
import { INITIAL_MAINTENANCE_STATE, MPMS } from "../../mpm/mod.ts";
import { MPM_NAMES } from "../../server/config/mod.ts";

/** `MaxRequestWorkers` → `maxRequestWorkers`. */
const settingKey = (name: string) => name[0]!.toLowerCase() + name.slice(1);

Deno.test("MPMS holds all six policies, each with check and plan", async (t) => {
  assert.deepEqual(Object.keys(MPMS).sort(), [...MPM_NAMES].sort());
  for (const name of MPM_NAMES) {
    const mpm = MPMS[name];
    await t.step(`${name} is named after its key`, () => assert.equal(mpm.name, name));
    await t.step(`${name} check() keeps its defaults, every directive by name`, () => {
      const { settings, warnings } = mpm.check({});
      assert.deepEqual(warnings, []);
      assert.deepEqual(
        settings,
        Object.fromEntries(mpm.directives.map((d) => [settingKey(d.name), d.default])),
      );
    });
    await t.step(`${name} plan() takes the settings of its check()`, () => {
      const { settings } = mpm.check({});
      const plan = mpm.plan({
        snapshot: { generation: 1, processes: [] },
        settings,
        state: INITIAL_MAINTENANCE_STATE,
      });
      // With no process at all, every MPM starts something (netware's threads live in the
      // parent, which a real snapshot always holds).
      assert.equal(plan.actions.length, name === "netware" ? 0 : 1);
      assert.ok(plan.actions.every((a) => a.kind === "spawn"));
    });
  }
});
