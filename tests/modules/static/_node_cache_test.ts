import assert from "node:assert/strict";
import { NodeCache } from "../../../modules/static/_node_cache.ts";

interface TestNode {
  readonly bytes: number;
  hit: boolean;
}

const node = (bytes: number): TestNode => ({ bytes, hit: false });

Deno.test("NodeCache keeps within its bounds", async (t) => {
  await t.step("evicts the oldest unused node at the entry limit", () => {
    const cache = new NodeCache<TestNode>({ maxEntries: 2, maxBytes: 100 });
    cache.set("a", node(1));
    cache.set("b", node(1));
    cache.set("c", node(1));
    assert.deepEqual(["a", "b", "c"].map((k) => cache.get(k) !== undefined), [false, true, true]);
    assert.equal(cache.size, 2);
  });
  await t.step("gives a used node a second chance", () => {
    const cache = new NodeCache<TestNode>({ maxEntries: 2, maxBytes: 100 });
    const a = node(1);
    cache.set("a", a);
    cache.set("b", node(1));
    a.hit = true;
    cache.set("c", node(1));
    assert.deepEqual(["a", "b", "c"].map((k) => cache.get(k) !== undefined), [true, false, true]);
    assert.equal(a.hit, false);
  });
  await t.step("evicts until the bytes fit", () => {
    const cache = new NodeCache<TestNode>({ maxEntries: 10, maxBytes: 10 });
    cache.set("a", node(4));
    cache.set("b", node(4));
    cache.set("c", node(6));
    assert.equal(cache.bytes, 10);
    assert.deepEqual(["a", "b", "c"].map((k) => cache.get(k) !== undefined), [false, true, true]);
  });
  await t.step("does not store a node bigger than the budget", () => {
    const cache = new NodeCache<TestNode>({ maxEntries: 10, maxBytes: 10 });
    cache.set("a", node(4));
    cache.set("big", node(11));
    assert.equal(cache.get("big"), undefined);
    assert.equal(cache.bytes, 4);
  });
  await t.step("replacing and deleting keep the byte count exact", () => {
    const cache = new NodeCache<TestNode>({ maxEntries: 10, maxBytes: 100 });
    cache.set("a", node(4));
    cache.set("a", node(7));
    assert.equal(cache.bytes, 7);
    cache.delete("a");
    cache.delete("a");
    assert.equal(cache.bytes, 0);
    assert.equal(cache.size, 0);
  });
  await t.step("all nodes used: still evicts exactly one", () => {
    const cache = new NodeCache<TestNode>({ maxEntries: 3, maxBytes: 100 });
    const nodes = [node(1), node(1), node(1)];
    nodes.forEach((n, i) => cache.set(`k${i}`, n));
    for (const n of nodes) n.hit = true;
    cache.set("new", node(1));
    assert.equal(cache.size, 3);
    assert.equal(cache.get("k0"), undefined);
  });
});
