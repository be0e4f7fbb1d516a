import assert from "node:assert/strict";
import {
  planSteering,
  type SteeredChild,
  steeringWanted,
} from "../../../mpm/machinery/steering_plan.ts";

function child(index: number, change: Partial<SteeredChild> = {}): SteeredChild {
  return { index, quiescing: false, listenersOpen: true, avoided: false, sockets: 1, ...change };
}

const CASES: {
  name: string;
  children: SteeredChild[];
  restarting?: boolean;
  cpus?: number;
  want: [number, number | null][];
}[] = [
  {
    name: "pins nothing while nothing drains",
    children: [child(0), child(1)],
    want: [[0, null], [1, null]],
  },
  {
    name: "pins the serving children across every CPU while one drains",
    children: [child(0, { quiescing: true }), child(1), child(2)],
    want: [[0, null], [1, 0], [2, 1]],
  },
  {
    name: "hands out CPUs by the number of listeners each child holds",
    children: [child(0, { quiescing: true }), child(2, { sockets: 3 }), child(1, { sockets: 2 })],
    cpus: 4,
    want: [[0, null], [2, 2], [1, 0]],
  },
  {
    name: "stops pinning once the draining child has closed its listeners",
    children: [child(0, { quiescing: true, listenersOpen: false }), child(1), child(2)],
    want: [[0, null], [1, null], [2, null]],
  },
  {
    name: "pins the new generation while a restart starts it",
    children: [child(0), child(1)],
    restarting: true,
    want: [[0, 0], [1, 1]],
  },
  {
    name: "avoids a stuck child by pinning the others",
    children: [child(0), child(1, { avoided: true }), child(2)],
    want: [[0, 0], [1, null], [2, 1]],
  },
  {
    name: "pins nothing when the serving listeners cannot cover every CPU",
    children: [child(0, { quiescing: true }), child(1)],
    cpus: 2,
    want: [[0, null], [1, null]],
  },
];

Deno.test("planSteering() pins the serving children only while a listener drains", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const plan = planSteering({
        children: c.children,
        restarting: c.restarting ?? false,
        cpus: c.cpus ?? 2,
      });
      assert.deepEqual([...plan].sort((a, b) => a[0] - b[0]), c.want.sort((a, b) => a[0] - b[0]));
    });
  }
});

Deno.test("steeringWanted() while a listener drains, a restart starts, or a child is stuck", async (t) => {
  const CASES: { name: string; children: SteeredChild[]; restarting?: boolean; want: boolean }[] = [
    { name: "all serving", children: [child(0), child(1)], want: false },
    // A recycled child's successor is spawned while the old one is the only child.
    { name: "the only child drains", children: [child(0, { quiescing: true })], want: true },
    {
      name: "a drained child that still finishes requests",
      children: [child(0, { quiescing: true, listenersOpen: false }), child(1)],
      want: false,
    },
    { name: "a restart starts", children: [child(0)], restarting: true, want: true },
    { name: "a stuck child", children: [child(0, { avoided: true }), child(1)], want: true },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const input = { children: c.children, restarting: c.restarting ?? false, cpus: 2 };
      assert.equal(steeringWanted(input), c.want);
    });
  }
});
