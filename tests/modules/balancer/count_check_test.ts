import assert from "node:assert/strict";
import { countCheck, type MemberState } from "../../../modules/balancer/mod.ts";

const FRESH: MemberState = {
  lbStatus: 0,
  busy: 0,
  requests: 0,
  errors: 0,
  bytes: 0,
  errorSince: null,
  healthFailed: false,
  passes: 0,
  fails: 0,
  lastCheck: null,
};

const CASES: {
  name: string;
  passes: number;
  fails: number;
  start?: Partial<MemberState>;
  results: boolean[];
  /** healthFailed after each result. */
  failed: boolean[];
}[] = [
  {
    name: "hcfails=1: one failed check takes the member out",
    passes: 1,
    fails: 1,
    results: [true, false, true],
    failed: [false, true, false],
  },
  {
    name: "hcfails=3: only three failures in a row count",
    passes: 1,
    fails: 3,
    results: [false, false, true, false, false, false],
    failed: [false, false, false, false, false, true],
  },
  {
    name: "hcpasses=2: two passes in a row bring it back",
    passes: 2,
    fails: 1,
    start: { healthFailed: true },
    results: [true, false, true, true],
    failed: [true, true, true, false],
  },
];

Deno.test("countCheck() counts consecutive checks as mod_proxy_hcheck does", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      let state: MemberState = { ...FRESH, ...c.start };
      const failed = c.results.map((passed, at) => {
        state = countCheck(state, { passes: c.passes, fails: c.fails }, { passed, at });
        assert.deepEqual(state.lastCheck, { at, passed });
        return state.healthFailed;
      });
      assert.deepEqual(failed, c.failed);
    });
  }
  await t.step("a passed check ends the retry wait of a member a request failed", () => {
    const back = countCheck(
      { ...FRESH, errorSince: 5 },
      { passes: 1, fails: 1 },
      { passed: true, at: 10 },
    );
    assert.equal(back.errorSince, null);
  });
  await t.step("a member that passes again leaves its error state too", () => {
    const back = countCheck(
      { ...FRESH, healthFailed: true, errorSince: 5 },
      { passes: 1, fails: 1 },
      { passed: true, at: 10 },
    );
    assert.equal(back.errorSince, null);
  });
});
