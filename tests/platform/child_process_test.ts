import assert from "node:assert/strict";
import { within } from "../_deadline.ts";
import {
  buildSelfCommand,
  type ChildHandle,
  readSelfFacts,
  spawnChild,
} from "../../platform/mod.ts";

const DEADLINE_MS = 4_000;

/** This test process's own `deno run` command, pointed at the echo child instead. */
const ECHO_CHILD = buildSelfCommand(
  { ...readSelfFacts(), mainModule: new URL("./_echo_child.ts", import.meta.url).href },
  [],
);

/** Starts the echo child and waits for its first message, `{ ready: pid }`. */
async function startEcho(): Promise<{ child: ChildHandle; next: () => Promise<unknown> }> {
  const child = spawnChild(ECHO_CHILD);
  const iterator = child.messages[Symbol.asyncIterator]();
  const next = async () => {
    const result = await within(iterator.next(), "message from the child", DEADLINE_MS);
    return result.done ? "<end>" : result.value;
  };
  assert.deepEqual(await next(), { ready: child.pid });
  return { child, next };
}

/** Leaves no process or pipe behind, whatever the test did. */
async function reap(child: ChildHandle): Promise<void> {
  child.kill("SIGKILL");
  await child.status;
  await child.closeInput().catch(() => {});
  for await (const _ of child.messages) { /* drain */ }
}

Deno.test("spawnChild() round-trips a 300 KiB message and a burst, then the child exits on request", async () => {
  const { child, next } = await startEcho();
  try {
    const large = {
      config: Array.from({ length: 3_000 }, (_, i) => ({ i, text: "x€\n".repeat(33) })),
    };
    assert.ok(JSON.stringify(large).length > 300 * 1024);
    await child.send(large);
    assert.deepEqual(await next(), large);

    const burst = Array.from({ length: 50 }, (_, i) => ({ seq: i }));
    await Promise.all(burst.map((message) => child.send(message)));
    for (const expected of burst) assert.deepEqual(await next(), expected);

    await child.send("exit");
    const status = await within(child.status, "exit after the exit message", DEADLINE_MS);
    assert.equal(status.code, 0);
    assert.equal(status.success, true);
    assert.equal(await next(), "<end>");
    await assert.rejects(child.send({ late: true }));
  } finally {
    await reap(child);
  }
});

Deno.test("spawnChild() reports a child killed with SIGKILL by its signal", async () => {
  const { child, next } = await startEcho();
  try {
    assert.equal(child.kill("SIGKILL"), true);
    const status = await within(child.status, "exit after SIGKILL", DEADLINE_MS);
    assert.equal(status.signal, "SIGKILL");
    assert.equal(status.success, false);
    assert.equal(await next(), "<end>");
    assert.equal(child.kill("SIGTERM"), false);
  } finally {
    await reap(child);
  }
});

Deno.test("closeInput() ends the child's messages and the child exits by itself", async () => {
  const { child, next } = await startEcho();
  try {
    await child.closeInput();
    const status = await within(child.status, "exit after end of input", DEADLINE_MS);
    assert.equal(status.code, 0);
    assert.equal(status.signal, null);
    assert.equal(await next(), "<end>");
  } finally {
    await reap(child);
  }
});

/** Whether a process is gone or a zombie, i.e. has exited, from /proc. */
async function hasExited(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    throw error;
  }
}

Deno.test({
  name: "a child whose parent dies sees end of input and exits",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const middle = spawnChild(
      buildSelfCommand({
        ...readSelfFacts(),
        mainModule: new URL("./_orphaning_parent.ts", import.meta.url).href,
      }, []),
    );
    let echoPid: number | undefined;
    try {
      const iterator = middle.messages[Symbol.asyncIterator]();
      const first = await within(iterator.next(), "echo child's pid", DEADLINE_MS);
      echoPid = (first.value as { echo: { ready: number } }).echo.ready;
      assert.equal(typeof echoPid, "number");
      assert.equal(await hasExited(echoPid), false);
      middle.kill("SIGKILL");
      await within(middle.status, "middle process's exit", DEADLINE_MS);
      const deadline = Date.now() + DEADLINE_MS;
      while (!(await hasExited(echoPid))) {
        assert.ok(Date.now() < deadline, `echo child ${echoPid} still runs after its parent died`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await reap(middle);
      // On failure the orphan would outlive the test run.
      if (echoPid !== undefined && !(await hasExited(echoPid))) Deno.kill(echoPid, "SIGKILL");
    }
  },
});
