/**
 * A graceful restart into another MPM: the new generation starts under the new MPM on the same
 * sockets while the old one drains under its own, and keep-alive and new-connection clients
 * lose nothing. Each pair among prefork, worker and event both ways, and winnt to event; the
 * pool afterwards is the new MPM's (processes, their Worker threads, the scoreboard's shape).
 */

import assert from "node:assert/strict";
import { eventually } from "../../_deadline.ts";
import { assertNothingLost, type Load, startLoad } from "./_load_client.ts";
import { runMpmd } from "../../_server.ts";
import {
  childrenOf,
  getStatus,
  mpmConfig,
  scoreboardOf,
  scoreboardPids,
  scoreboardWhere,
  startMpmd,
  workerThreadsOf,
} from "./_mpm.ts";

const DEADLINE_MS = 60_000;
/** Answers before the switch and after the drain: both generations meet requests in flight. */
const ANSWERS = 200;

/** Each MPM's pool: room for the four kept-alive clients, which hold a slot under prefork. */
const POOLS: Readonly<Record<string, Record<string, number>>> = {
  prefork: { StartServers: 6, MinSpareServers: 2, MaxSpareServers: 8 },
  worker: { StartServers: 2, ThreadsPerChild: 4, MinSpareThreads: 2, MaxSpareThreads: 8 },
  event: { StartServers: 2, ThreadsPerChild: 4, MinSpareThreads: 2, MaxSpareThreads: 8 },
  winnt: { ThreadsPerChild: 6 },
};

const PAIRS: readonly (readonly [string, string])[] = [
  ["prefork", "worker"],
  ["worker", "prefork"],
  ["prefork", "event"],
  ["event", "prefork"],
  ["worker", "event"],
  ["event", "worker"],
  ["winnt", "event"],
];

function config(mpm: string): string {
  return mpmConfig(mpm, POOLS[mpm]!, "KeepAliveTimeout: 15");
}

async function answersGrow(loads: readonly Load[], by: number): Promise<void> {
  const total = () => loads.reduce((sum, load) => sum + load.answered(), 0);
  const before = total();
  await eventually(() => total() >= before + by, `${by} more answers`, DEADLINE_MS);
}

for (const [from, to] of PAIRS) {
  Deno.test(`a graceful restart switches ${from} to ${to} under load, losing nothing`, async () => {
    await using server = await startMpmd(config(from));
    let oldPids: number[] = [];
    const loads = [
      startLoad(server.port, { clients: 4, keepAlive: true, pauseMs: 5 }),
      startLoad(server.port, { clients: 4, keepAlive: false, pauseMs: 5 }),
    ];
    try {
      await answersGrow(loads, ANSWERS);
      oldPids = scoreboardPids(await scoreboardOf(server));
      await Deno.writeTextFile(server.configFile!, config(to));
      Deno.kill(server.pid, "SIGUSR2");
      await server.waitForLog(new RegExp(`generation 2 serving \\(${to} MPM\\)`), DEADLINE_MS);
      await scoreboardWhere(
        server,
        (s) => s.processes.length > 0 && s.processes.every((p) => p.generation === 2),
        "only generation 2 left",
        DEADLINE_MS,
      );
      await answersGrow(loads, ANSWERS);
    } finally {
      await assertNothingLost(
        await Promise.all(loads.map((load) => load.stop())),
        server.stderr,
      );
    }
    assert.ok(
      server.stderr.some((line) => line.includes(`switching MPM: generation 2 starts under ${to}`)),
    );

    // The old children are gone; the ones left are the new MPM's, in the scoreboard's shape.
    const scoreboard = await scoreboardOf(server);
    const pids = scoreboardPids(scoreboard);
    const children = childrenOf(server.pid);
    assert.deepEqual(oldPids.filter((pid) => children.includes(pid)), [], "the old ones are gone");
    assert.ok(oldPids.length > 0 && pids.every((pid) => children.includes(pid)));
    if (to === "prefork") {
      assert.equal(scoreboard.threadLimit, 1, "the scoreboard took prefork's shape back");
      for (const pid of pids) assert.equal(workerThreadsOf(pid), 0, `child ${pid} has no Workers`);
    } else {
      const threads = POOLS[to]!.ThreadsPerChild!;
      for (const pid of pids) {
        await eventually(
          () => workerThreadsOf(pid) >= threads,
          `${threads} Worker threads in child ${pid}`,
          DEADLINE_MS,
        );
      }
    }
  });
}

Deno.test("-t says what a restart into another MPM will do to the running server", async () => {
  const pidFile = await Deno.makeTempFile({ suffix: ".pid" });
  await Deno.remove(pidFile);
  try {
    await using server = await startMpmd(`${config("worker")}\nPidFile: ${pidFile}`);
    await eventually(() => Deno.stat(pidFile).then(() => true, () => false), "the PidFile", 10_000);
    await Deno.writeTextFile(server.configFile!, `${config("prefork")}\nPidFile: ${pidFile}`);
    const run = await runMpmd(["-t", "-f", server.configFile!]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(
        `the server running as pid ${server.pid} serves with worker: a restart into this configuration switches it to prefork`,
      ),
    );
    assert.match(run.stderr, /Syntax OK\n$/);
  } finally {
    await Deno.remove(pidFile).catch(() => {});
  }
});

Deno.test("a restart into netware is refused, and the running generation keeps serving", async () => {
  await using server = await startMpmd(config("event"));
  await Deno.writeTextFile(
    server.configFile!,
    mpmConfig("netware", { StartThreads: 2, MinSpareThreads: 1, MaxSpareThreads: 4 }),
  );
  Deno.kill(server.pid, "SIGUSR2");
  await server.waitForLog(
    /Cannot restart into the netware MPM: netware serves from threads of the parent process.*generation 1 keeps serving/,
  );
  assert.equal(await getStatus(server.origin), 200);
  assert.equal((await scoreboardOf(server)).mpm, "event");
});

Deno.test("a full restart (SIGHUP) switches event to prefork", async () => {
  await using server = await startMpmd(config("event"));
  await Deno.writeTextFile(server.configFile!, config("prefork"));
  Deno.kill(server.pid, "SIGHUP");
  await server.waitForLog(/generation 2 serving \(prefork MPM\)/, DEADLINE_MS);
  await scoreboardWhere(
    server,
    (s) => s.processes.length > 0 && s.processes.every((p) => p.generation === 2),
    "only generation 2 left",
    DEADLINE_MS,
  );
  assert.equal(await getStatus(server.origin), 200);
  const scoreboard = await scoreboardOf(server);
  assert.equal(scoreboard.mpm, "prefork");
  assert.equal(scoreboard.threadLimit, 1);
});
