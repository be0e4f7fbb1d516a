import assert from "node:assert/strict";
import { eventually, within } from "../../_deadline.ts";
import { RawClient } from "../../server/http/_raw_client.ts";
import {
  childrenOf,
  FAULTY_APP,
  getStatus,
  mpmConfig,
  ONE_CHILD_TWO_THREADS,
  scoreboardOf,
  scoreboardPids,
  scoreboardWhere,
  startMpmd,
  type TestServer,
} from "./_mpm.ts";

/** At least this many requests must complete; the load runs for LOAD_SECONDS (or the case's). */
const LOAD_REQUESTS = 20_000;
const LOAD_SECONDS = 8;
const LOAD_CONCURRENCY = 32;
const LOAD_DEADLINE_MS = 120_000;

interface AbResult {
  readonly complete: number;
  readonly failed: number;
  readonly non2xx: number;
  readonly output: string;
}

/**
 * Runs ab for LOAD_SECONDS (Connection: close, so every request is a new connection; bounded
 * by time and by count) and parses its report. A new generation starts slowly on two cores
 * saturated by the load, so a count alone could end before the second restart.
 */
async function ab(url: string, seconds: number): Promise<AbResult> {
  const out = await new Deno.Command("ab", {
    args: [
      "-q",
      "-s",
      "10",
      "-t",
      `${seconds}`,
      "-n",
      "1000000",
      "-c",
      `${LOAD_CONCURRENCY}`,
      url,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const output = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(output)?.[1] ?? 0);
  return {
    complete: field("Complete requests"),
    failed: field("Failed requests"),
    non2xx: field("Non-2xx responses"),
    output,
  };
}

/** The scoreboard's total of requests served by the running children. */
async function accesses(server: TestServer): Promise<number> {
  const scoreboard = await scoreboardOf(server);
  return scoreboard.processes.flatMap((p) => p.slots).reduce((n, slot) => n + slot.accessCount, 0);
}

const GRACEFUL_CASES = [
  { mpm: "prefork", section: { StartServers: 4, MinSpareServers: 2, MaxSpareServers: 8 } },
  {
    mpm: "worker",
    section: { StartServers: 2, ThreadsPerChild: 4, MinSpareThreads: 2, MaxSpareThreads: 12 },
  },
  {
    mpm: "event",
    section: { StartServers: 2, ThreadsPerChild: 4, MinSpareThreads: 2, MaxSpareThreads: 12 },
  },
  // One connection per thread and a slower start (more Workers per process, started while
  // the load saturates both cores): a longer load keeps both restarts inside it.
  { mpm: "winnt", section: { ThreadsPerChild: 8 }, seconds: 24 },
  {
    mpm: "netware",
    section: { StartThreads: 8, MinSpareThreads: 2, MaxSpareThreads: 12 },
    seconds: 24,
  },
  {
    mpm: "mpmt_os2",
    section: { StartServers: 2, MinSpareThreads: 4, MaxSpareThreads: 8 },
    seconds: 24,
  },
] as const;

for (const c of GRACEFUL_CASES) {
  Deno.test(`${c.mpm}: two graceful restarts under ab -c ${LOAD_CONCURRENCY} lose no request`, async () => {
    await using server = await startMpmd(mpmConfig(c.mpm, c.section));
    const first = scoreboardPids(await scoreboardOf(server));
    let loadDone = false;
    const seconds = "seconds" in c ? c.seconds : LOAD_SECONDS;
    const load = ab(`${server.origin}/`, seconds).finally(() => loadDone = true);

    // The first restart once the load is well under way (not after a guessed time), the
    // second as soon as generation 2 serves: two generations drain at once.
    while (!loadDone && await accesses(server) < 1_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const generation of [2, 3]) {
      assert.equal(loadDone, false, `the load still runs at restart ${generation - 1}`);
      Deno.kill(server.pid, "SIGUSR2");
      await server.waitForLog(new RegExp(`generation ${generation} serving`));
    }
    const result = await within(load, "end of the load", LOAD_DEADLINE_MS);
    assert.ok(result.complete >= LOAD_REQUESTS, result.output);
    assert.equal(result.failed, 0, result.output);
    assert.equal(result.non2xx, 0, result.output);

    const settled = await scoreboardWhere(
      server,
      (s) => s.processes.every((p) => p.generation === 3),
      "only generation 3 children",
    );
    assert.equal(settled.generation, 3);
    if (c.mpm !== "netware") {
      // netware's threads live in the parent: its generations share the parent's pid.
      assert.ok(scoreboardPids(settled).every((pid) => !first.includes(pid)), "all new");
      const live = childrenOf(server.pid);
      assert.ok(first.every((pid) => !live.includes(pid)), "the first generation has exited");
    }
  });
}

Deno.test("a restart into a broken config is refused; the running generation keeps serving", async (t) => {
  await using server = await startMpmd(
    mpmConfig("prefork", { StartServers: 2, MinSpareServers: 1, MaxSpareServers: 4 }),
  );
  const before = scoreboardPids(await scoreboardOf(server));
  const good = await Deno.readTextFile(server.configFile!);
  await Deno.writeTextFile(server.configFile!, `${good}\nKeepAliveTimeout: soon\n`);
  for (const signal of ["SIGUSR2", "SIGHUP"] as const) {
    await t.step(signal, async () => {
      const refusals = () => server.stderr.filter((line) => /Cannot restart/.test(line)).length;
      const refusedSoFar = refusals();
      Deno.kill(server.pid, signal);
      await eventually(() => refusals() > refusedSoFar, "a refused restart", 10_000);
      assert.ok(server.stderr.some((line) => /KeepAliveTimeout: "soon"/.test(line)));
      const scoreboard = await scoreboardOf(server);
      assert.equal(scoreboard.generation, 1);
      assert.deepEqual(scoreboardPids(scoreboard), before, "the same children serve");
      assert.equal(await getStatus(server.origin), 200);
    });
  }
});

Deno.test("SIGHUP restarts at once: new children, generation 2", async () => {
  await using server = await startMpmd(
    mpmConfig("worker", ONE_CHILD_TWO_THREADS),
  );
  const before = scoreboardPids(await scoreboardOf(server));
  Deno.kill(server.pid, "SIGHUP");
  await server.waitForLog(/generation 2 serving/);
  const after = await scoreboardWhere(
    server,
    (s) => s.processes.length === 1 && s.processes[0]!.generation === 2,
    "one child of generation 2",
  );
  assert.ok(!before.includes(after.processes[0]!.pid));
  assert.equal(await getStatus(server.origin), 200);
});

Deno.test("graceful-stop (SIGWINCH) lets a slow request in flight finish, then exits 0", async () => {
  const server = await startMpmd(
    mpmConfig("event", ONE_CHILD_TWO_THREADS, FAULTY_APP),
  );
  try {
    await using slow = await RawClient.connect(server.port);
    await slow.send("GET /app/slow?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n");
    await scoreboardWhere(
      server,
      (s) => s.processes.some((p) => p.slots.some((slot) => slot.state === "W")),
      "the slow request in a slot",
    );
    Deno.kill(server.pid, "SIGWINCH");
    await server.waitForLog(/caught SIGWINCH, shutting down gracefully/);
    const response = await slow.readResponse();
    assert.equal(response.status, 200);
    assert.equal(new TextDecoder().decode(response.body), "slow done\n");
    assert.equal(response.headers.get("connection"), "close");
  } finally {
    assert.equal(await server.stop("SIGWINCH"), 0);
  }
});

Deno.test("stop: a child that ignores SIGTERM is killed at 9 s (httpd's reclaim schedule)", async () => {
  const server = await startMpmd(
    mpmConfig("prefork", { StartServers: 2, MinSpareServers: 1, MaxSpareServers: 4 }),
  );
  const [frozen] = scoreboardPids(
    await scoreboardWhere(server, (s) => s.processes.length === 2, "two children"),
  );
  // A stopped process keeps its SIGTERMs pending: only SIGKILL ends it.
  Deno.kill(frozen!, "SIGSTOP");
  const started = Date.now();
  assert.equal(await server.stop("SIGTERM"), 0);
  const tookMs = Date.now() - started;
  assert.ok(
    server.stderr.some((line) =>
      line.includes(`child pid ${frozen} still did not exit, sending a SIGKILL`)
    ),
    server.stderr.join("\n"),
  );
  assert.ok(tookMs >= 8_500, `the parent waited for the schedule (${tookMs} ms)`);
});

Deno.test("winnt: SIGHUP restarts gracefully, as httpd's winnt has no other restart", async () => {
  await using server = await startMpmd(mpmConfig("winnt", { ThreadsPerChild: 2 }, FAULTY_APP));
  await using slow = await RawClient.connect(server.port);
  await slow.send("GET /app/slow?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n");
  await scoreboardWhere(
    server,
    (s) => s.processes.some((p) => p.slots.some((slot) => slot.state === "W")),
    "the slow request in a slot",
  );
  Deno.kill(server.pid, "SIGHUP");
  await server.waitForLog(/generation 2 serving/);
  const response = await slow.readResponse();
  assert.equal(response.status, 200, "the request in flight was not aborted");
  assert.equal(new TextDecoder().decode(response.body), "slow done\n");
});
