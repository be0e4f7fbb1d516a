import assert from "node:assert/strict";
import { EMPTY_SLOT, type ProcessDetail, type SlotDetail } from "../../../scoreboard/mod.ts";
import { type KnownChild, snapshotOf } from "../../../mpm/machinery/mod.ts";

function known(index: number, pid: number, change: Partial<KnownChild> = {}): KnownChild {
  return { index, pid, generation: 1, starting: false, quiescing: false, ...change };
}

function region(index: number, pid: number, states: string, notAccepting = false): ProcessDetail {
  const slots = [...states].map((state, slot): SlotDetail => ({
    ...EMPTY_SLOT,
    state: state as SlotDetail["state"],
    index: slot,
    pid,
    generation: 1,
  }));
  return {
    index,
    pid,
    generation: 1,
    quiescing: false,
    notAccepting,
    connections: 0,
    keepAlive: 0,
    startedMs: 1,
    flushedMs: 2,
    accepted: 0,
    threadRestarts: 0,
    slots,
  };
}

const CASES: {
  name: string;
  children: KnownChild[];
  details: ProcessDetail[];
  want: { pid: number; quiescing: boolean; notAccepting: boolean; states: string }[];
}[] = [
  {
    name: "takes the slots a serving child's region shows",
    children: [known(0, 10)],
    details: [region(0, 10, "_W", true)],
    want: [{ pid: 10, quiescing: false, notAccepting: true, states: "_W" }],
  },
  {
    name: "counts a starting child as S, whatever its first flush says",
    children: [known(0, 10, { starting: true })],
    details: [region(0, 10, "..")],
    want: [{ pid: 10, quiescing: false, notAccepting: false, states: "SS" }],
  },
  {
    name: "counts a child not yet flushed as S",
    children: [known(1, 11)],
    details: [],
    want: [{ pid: 11, quiescing: false, notAccepting: false, states: "SS" }],
  },
  {
    name: "believes the parent about quiescing, and ignores regions of other pids",
    children: [known(2, 12, { quiescing: true }), known(0, 10)],
    details: [region(2, 99, "WW"), region(0, 10, "K_")],
    want: [
      { pid: 10, quiescing: false, notAccepting: false, states: "K_" },
      { pid: 12, quiescing: true, notAccepting: false, states: "SS" },
    ],
  },
  {
    name: "keeps two hosts that share a pid apart by region (netware in the parent)",
    children: [known(0, 10, { quiescing: true, generation: 1 }), known(1, 10, { generation: 2 })],
    details: [region(0, 10, "G."), region(1, 10, "__")],
    want: [
      { pid: 10, quiescing: true, notAccepting: false, states: "G." },
      { pid: 10, quiescing: false, notAccepting: false, states: "__" },
    ],
  },
];

Deno.test("snapshotOf() joins the parent's children with their scoreboard regions", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const snapshot = snapshotOf({
        children: c.children,
        details: c.details,
        generation: 2,
        startingSlots: 2,
      });
      assert.equal(snapshot.generation, 2);
      assert.deepEqual(
        snapshot.processes.map((p) => ({
          pid: p.pid,
          quiescing: p.quiescing,
          notAccepting: p.notAccepting,
          states: p.slots.map((slot) => slot.state).join(""),
        })),
        c.want,
      );
    });
  }
});
