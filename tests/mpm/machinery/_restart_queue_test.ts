import assert from "node:assert/strict";
import { RestartQueue } from "../../../mpm/machinery/_restart_queue.ts";

Deno.test("RestartQueue runs after the start, one at a time; requests meanwhile join one more", async () => {
  const started = Promise.withResolvers<void>();
  const runs: boolean[] = [];
  let release = Promise.withResolvers<void>();
  const queue = new RestartQueue(started.promise, async (graceful) => {
    runs.push(graceful);
    await release.promise;
  });
  queue.request(true);
  await Promise.resolve();
  assert.deepEqual(runs, [], "nothing before the first generation has started");
  started.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(runs, [true]);
  // Three requests while the first runs: one more restart, graceful only if all were.
  queue.request(true);
  queue.request(false);
  queue.request(true);
  const first = release;
  release = Promise.withResolvers<void>();
  first.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(runs, [true, false]);
  release.resolve();
  queue.request(true);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(runs, [true, false, true], "a request after the queue emptied runs again");
});
