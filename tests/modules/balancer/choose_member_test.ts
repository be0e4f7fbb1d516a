import assert from "node:assert/strict";
import {
  chooseMember,
  initialMemberState,
  type MemberState,
} from "../../../modules/balancer/mod.ts";
import {
  BALANCER_DEFAULTS,
  type BalancerConfig,
  type BalancerMemberConfig,
  type LbMethod,
  type MemberStatusFlag,
} from "../../../server/config/mod.ts";

const NOW = 1_000_000;

/** A member on port 8000 + `n` with the given keys. */
function member(
  n: number,
  keys: { loadFactor?: number; route?: string; status?: MemberStatusFlag[] } = {},
): BalancerMemberConfig {
  return {
    url: `http://127.0.0.1:${8000 + n}/`,
    route: keys.route ?? "",
    loadFactor: keys.loadFactor ?? 1,
    retryMs: 60_000,
    status: keys.status ?? [],
    healthCheck: { method: "NONE", path: "/", intervalMs: 30_000, passes: 1, fails: 1 },
    origin: "test",
  };
}

function balancer(
  members: BalancerMemberConfig[],
  keys: Partial<BalancerConfig> = {},
): BalancerConfig {
  return {
    name: "b",
    members,
    ...BALANCER_DEFAULTS,
    origin: "test",
    ...keys,
  };
}

/** What one request does to its member's state. */
type Load = (member: number, state: MemberState) => Partial<MemberState>;

/**
 * Runs `count` choices as a runner would (lbStatus kept, busy and bytes as `load` says) and
 * counts the requests each member got.
 */
function spread(
  b: BalancerConfig,
  count: number,
  load: Load = () => ({}),
): number[] {
  let states = b.members.map((m) => initialMemberState(m, NOW));
  const got = b.members.map(() => 0);
  for (let i = 0; i < count; i++) {
    const choice = chooseMember({ balancer: b, states, route: null, now: NOW });
    assert.notEqual(choice.member, null);
    got[choice.member!]!++;
    states = states.map((s, j) => ({
      ...s,
      lbStatus: choice.lbStatus[j]!,
      ...(j === choice.member ? load(j, s) : {}),
    }));
  }
  return got;
}

Deno.test("chooseMember() spreads 1,000 requests as each lbmethod and loadfactor say", async (t) => {
  const weighted = [
    member(1, { loadFactor: 1 }),
    member(2, { loadFactor: 2 }),
    member(3, {
      loadFactor: 3,
    }),
  ];
  const cases: {
    name: string;
    method: LbMethod;
    load?: typeof spread extends (...a: infer A) => number[] ? A[2] : never;
    expected: number[];
  }[] = [
    {
      name: "byrequests, equal weights: round robin",
      method: "byrequests",
      expected: [334, 333, 333],
    },
    { name: "byrequests, loadfactor 1:2:3", method: "byrequests", expected: [167, 333, 500] },
    {
      name: "bybusyness, answers that end at once: ties broken by loadfactor",
      method: "bybusyness",
      expected: [167, 333, 500],
    },
    {
      name: "bybusyness, requests that never end: the least busy, whatever its loadfactor",
      method: "bybusyness",
      load: (_j, s) => ({ busy: s.busy + 1 }),
      expected: [333, 333, 334],
    },
    {
      name: "bytraffic, 1 KiB answers: bytes by loadfactor",
      method: "bytraffic",
      load: (_j, s) => ({ bytes: s.bytes + 1024 }),
      expected: [167, 333, 500],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const members = c.name.includes("equal") ? [member(1), member(2), member(3)] : weighted;
      const got = spread(balancer(members, { lbMethod: c.method }), 1000, c.load);
      // Exact for byrequests; within one request for the others' tie order.
      got.forEach((n, i) => assert.ok(Math.abs(n - c.expected[i]!) <= 1, `${got} ≈ ${c.expected}`));
    });
  }
});

Deno.test("chooseMember() bybusyness prefers the member with the fewest requests in progress", () => {
  const b = balancer([member(1), member(2), member(3)], { lbMethod: "bybusyness" });
  const states = b.members.map((m) => initialMemberState(m, NOW));
  states[0] = { ...states[0]!, busy: 5 };
  states[1] = { ...states[1]!, busy: 1 };
  states[2] = { ...states[2]!, busy: 3 };
  assert.equal(chooseMember({ balancer: b, states, route: null, now: NOW }).member, 1);
});

interface UsabilityCase {
  readonly name: string;
  readonly members: BalancerMemberConfig[];
  readonly states?: Partial<MemberState>[];
  readonly route?: string;
  readonly keys?: Partial<BalancerConfig>;
  /** The members chosen over four requests (`null`: none). */
  readonly expected: (number | null)[];
  readonly recovered?: boolean;
}

const USABILITY: UsabilityCase[] = [
  {
    name: "a hot standby waits while another member is usable",
    members: [member(1), member(2, { status: ["H"] })],
    expected: [0, 0, 0, 0],
  },
  {
    name: "hot standbys serve when every other member is unusable",
    members: [member(1), member(2, { status: ["H"] }), member(3, { status: ["H"] })],
    states: [{ healthFailed: true }],
    expected: [1, 2, 1, 2],
  },
  {
    name: "disabled, stopped and draining members take no new sessions",
    members: [
      member(1, { status: ["D"] }),
      member(2, { status: ["S"] }),
      member(3, { status: ["N"] }),
      member(4),
    ],
    expected: [3, 3, 3, 3],
  },
  {
    name: "a member in error stays out until its retry has passed",
    members: [member(1), member(2)],
    states: [{ errorSince: NOW - 59_999 }],
    expected: [1, 1, 1, 1],
  },
  {
    name: "a member whose retry has passed is tried again",
    members: [member(1), member(2)],
    states: [{ errorSince: NOW - 60_000 }],
    expected: [0, 1, 0, 1],
  },
  {
    name: "every member in error: all are tried again (forcerecovery)",
    members: [member(1), member(2)],
    states: [{ errorSince: NOW }, { errorSince: NOW }],
    expected: [0, 1, 0, 1],
    recovered: true,
  },
  {
    name: "every member in error and forcerecovery=Off: none",
    members: [member(1), member(2)],
    states: [{ errorSince: NOW }, { errorSince: NOW }],
    keys: { forceRecovery: false },
    expected: [null, null, null, null],
  },
  {
    name: "forcerecovery leaves a member whose health check failed out",
    members: [member(1), member(2)],
    states: [{ errorSince: NOW, healthFailed: true }, { errorSince: NOW }],
    expected: [1, 1, 1, 1],
    recovered: true,
  },
  {
    name: "a route sends the request to its member, a draining one too",
    members: [member(1, { route: "a" }), member(2, { route: "b", status: ["N"] })],
    route: "b",
    expected: [1, 1, 1, 1],
  },
  {
    name: "an unknown route is balanced as usual",
    members: [member(1, { route: "a" }), member(2, { route: "b" })],
    route: "zz",
    expected: [0, 1, 0, 1],
  },
  {
    name: "a route whose member is in error fails over",
    members: [member(1, { route: "a" }), member(2, { route: "b" })],
    states: [{}, { errorSince: NOW }],
    route: "b",
    expected: [0, 0, 0, 0],
  },
  {
    name: "a route whose member is in error with nofailover: none",
    members: [member(1, { route: "a" }), member(2, { route: "b" })],
    states: [{}, { errorSince: NOW }],
    route: "b",
    keys: { noFailover: true },
    expected: [null, null, null, null],
  },
];

Deno.test("chooseMember() follows httpd's usability rules", async (t) => {
  for (const c of USABILITY) {
    await t.step(c.name, () => {
      const b = balancer(c.members, c.keys);
      let states = b.members.map((m, i) => ({
        ...initialMemberState(m, NOW),
        ...c.states?.[i],
      }));
      const chosen: (number | null)[] = [];
      for (let i = 0; i < c.expected.length; i++) {
        const choice = chooseMember({ balancer: b, states, route: c.route ?? null, now: NOW });
        if (i === 0) assert.equal(choice.recovered, c.recovered ?? false);
        chosen.push(choice.member);
        states = states.map((s, j) => ({
          ...s,
          lbStatus: choice.lbStatus[j]!,
          ...(choice.recovered && { errorSince: null }),
        }));
      }
      assert.deepEqual(chosen, c.expected);
    });
  }
});
