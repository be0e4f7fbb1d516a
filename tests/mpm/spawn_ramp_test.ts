import assert from "node:assert/strict";
import {
  type Action,
  afterGracefulRestart,
  GRACEFUL_HOLD_OFF_CYCLES,
  type MaintenanceState,
} from "../../mpm/mod.ts";
import { childToRetire, planRamp, type RampInput } from "../../mpm/spawn_ramp.ts";
import { proc, snapshotOf, stateWith, warningsOf } from "./_fixtures.ts";

const RETIRE: Action = { kind: "retire", pid: 7 };

function input(change: Partial<RampInput> & { state?: MaintenanceState }): RampInput {
  return {
    idle: 5,
    minSpare: 5,
    maxSpare: 10,
    room: 100,
    limitedBy: "reachedLimit",
    maxSpawnRate: 32,
    spawn: (count) => ({ kind: "spawn", count }),
    retire: RETIRE,
    wording: {
      reachedLimit: "reached",
      scoreboardFull: "full",
      busy: (spawning) => `busy ${spawning}`,
    },
    generation: 1,
    state: stateWith(),
    ...change,
  };
}

const CASES: {
  name: string;
  change: Partial<RampInput>;
  actions: Action[];
  rate: number;
  holdOff?: number;
}[] = [
  {
    name: "does nothing within bounds and resets the rate",
    change: { idle: 7, state: stateWith({ spawnRate: 8 }) },
    actions: [],
    rate: 1,
  },
  {
    name: "does nothing at exactly the spare maximum",
    change: { idle: 10, state: stateWith({ spawnRate: 4 }) },
    actions: [],
    rate: 1,
  },
  {
    name: "retires exactly one unit above the spare maximum and resets the rate",
    change: { idle: 30, state: stateWith({ spawnRate: 8 }) },
    actions: [RETIRE],
    rate: 1,
  },
  {
    name: "retires nothing above the maximum when nothing may be retired",
    change: { idle: 30, retire: null, state: stateWith({ spawnRate: 4 }) },
    actions: [],
    rate: 4,
  },
  {
    name: "spawns at the current rate below the minimum, then doubles it",
    change: { idle: 2, state: stateWith({ spawnRate: 4 }) },
    actions: [{ kind: "spawn", count: 4 }],
    rate: 8,
  },
  {
    name: "spawns no more than the room left",
    change: { idle: 0, room: 3, state: stateWith({ spawnRate: 16 }) },
    actions: [{ kind: "warn", level: "info", message: "busy 3" }, { kind: "spawn", count: 3 }],
    rate: 32,
  },
  {
    name: "keeps the rate at its maximum",
    change: { idle: 0, state: stateWith({ spawnRate: 32, warnedIn: { busy: 1 } }) },
    actions: [{ kind: "spawn", count: 32 }],
    rate: 32,
  },
  {
    name: "doubles up to a maximum of 64 when told (netware)",
    change: {
      idle: 0,
      maxSpawnRate: 64,
      state: stateWith({ spawnRate: 32, warnedIn: { busy: 1 } }),
    },
    actions: [{ kind: "spawn", count: 32 }],
    rate: 64,
  },
  {
    name: "does not double while holding off after a graceful restart",
    change: { idle: 0, state: stateWith({ spawnRate: 2, holdOffCycles: 3 }) },
    actions: [{ kind: "spawn", count: 2 }],
    rate: 2,
    holdOff: 2,
  },
  {
    name: "warns at error level and resets the rate when the limit leaves no room",
    change: { idle: 0, room: 0, state: stateWith({ spawnRate: 8 }) },
    actions: [{ kind: "warn", level: "error", message: "reached" }],
    rate: 1,
  },
  {
    name: "names a full scoreboard when that is what leaves no room",
    change: { idle: 0, room: 0, limitedBy: "scoreboardFull" },
    actions: [{ kind: "warn", level: "error", message: "full" }],
    rate: 1,
  },
  {
    name: "says the server seems busy, at info level, from a rate of 8",
    change: { idle: 0, state: stateWith({ spawnRate: 8 }) },
    actions: [{ kind: "warn", level: "info", message: "busy 8" }, { kind: "spawn", count: 8 }],
    rate: 16,
  },
  {
    name: "does not say so below a rate of 8",
    change: { idle: 0, state: stateWith({ spawnRate: 4 }) },
    actions: [{ kind: "spawn", count: 4 }],
    rate: 8,
  },
];

Deno.test("planRamp()", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const plan = planRamp(input(c.change));
      assert.deepEqual(plan.actions, c.actions);
      assert.equal(plan.state.spawnRate, c.rate);
      assert.equal(plan.state.holdOffCycles, c.holdOff ?? 0);
    });
  }
});

Deno.test("planRamp() falls back to the limit message without a scoreboard one", () => {
  const { scoreboardFull: _, ...wording } = input({}).wording;
  const plan = planRamp(input({ idle: 0, room: 0, limitedBy: "scoreboardFull", wording }));
  assert.deepEqual(warningsOf(plan.actions), ["reached"]);
});

Deno.test("planRamp() doubles 1, 2, 4 … 32 while short, then resets to 1", () => {
  let state = stateWith();
  const counts: number[] = [];
  for (let cycle = 0; cycle < 7; cycle++) {
    const plan = planRamp(input({ idle: 0, state }));
    counts.push(plan.actions.flatMap((a) => a.kind === "spawn" ? [a.count] : [])[0] ?? 0);
    state = plan.state;
  }
  assert.deepEqual(counts, [1, 2, 4, 8, 16, 32, 32]);
  assert.equal(planRamp(input({ idle: 6, state })).state.spawnRate, 1);
});

Deno.test("planRamp() warns once per generation, not once per cycle", async (t) => {
  const WARNINGS = [
    { kind: "limit", change: { room: 0 }, message: "reached" },
    { kind: "busy", change: { state: stateWith({ spawnRate: 8 }) }, message: "busy 8" },
  ];
  for (const w of WARNINGS) {
    await t.step(w.kind, () => {
      let state = input(w.change).state;
      const given: string[][] = [];
      for (const generation of [1, 1, 1, 2, 2]) {
        // The busy rate is kept at 8 so that each cycle would say it again.
        const plan = planRamp(input({ ...w.change, idle: 0, generation, state }));
        given.push(warningsOf(plan.actions));
        state = { ...plan.state, spawnRate: w.kind === "busy" ? 8 : plan.state.spawnRate };
      }
      assert.deepEqual(given, [[w.message], [], [], [w.message], []]);
    });
  }
});

Deno.test("afterGracefulRestart() holds off doubling for 10 cycles", () => {
  assert.equal(GRACEFUL_HOLD_OFF_CYCLES, 10);
  const state = afterGracefulRestart(stateWith({ spawnRate: 4 }));
  assert.deepEqual(state, stateWith({ spawnRate: 4, holdOffCycles: 10 }));
});

Deno.test("childToRetire()", async (t) => {
  const CASES = [
    {
      name: "picks the serving child with the most idle slots",
      procs: [proc(1, "_WW"), proc(2, "__W"), proc(3, "WWW")],
      pid: 2,
    },
    {
      name: "picks the last of equals",
      procs: [proc(1, "__"), proc(2, "__"), proc(3, "W_")],
      pid: 2,
    },
    {
      name: "ignores quiescing children and old generations",
      procs: [proc(1, "W_"), proc(2, "__", { quiescing: true }), proc(3, "__", { generation: 0 })],
      pid: 1,
    },
    {
      name: "gives null without a serving child",
      procs: [proc(1, "__", { quiescing: true })],
      pid: null,
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => assert.equal(childToRetire(snapshotOf(c.procs)), c.pid));
  }
});
