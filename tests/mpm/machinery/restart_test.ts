import assert from "node:assert/strict";
import { eventually } from "../../_deadline.ts";
import { RawClient } from "../../server/http/_raw_client.ts";
import {
  caseConfig,
  caseName,
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

const LOAD_CONCURRENCY = 32;
/** The load runs at least this long, and until both restarts have settled. */
const LOAD_MIN_MS = 8_000;
/** ab's own bound: it stops by itself after this, whatever happens here. */
const LOAD_MAX_SECONDS = 120;

interface AbResult {
  readonly complete: number;
  readonly failed: number;
  readonly non2xx: number;
  readonly output: string;
}

/** A running ab (Connection: close, so every request is a new connection). */
interface Load {
  /** Whether ab has ended by itself (its time bound). */
  readonly ended: () => boolean;
  /** Stops ab with SIGINT (it then reports what it completed) and parses its report. */
  finish(): Promise<AbResult>;
}

/**
 * Starts ab against `url`, bounded by LOAD_MAX_SECONDS. A new generation starts slowly on two
 * cores saturated by the load, so the test stops the load once its restarts have settled
 * rather than guessing a duration that covers them.
 */
function startLoad(url: string): Load {
  const child = new Deno.Command("ab", {
    args: [
      "-q",
      "-s",
      "10",
      "-t",
      `${LOAD_MAX_SECONDS}`,
      "-n",
      "10000000",
      "-c",
      `${LOAD_CONCURRENCY}`,
      url,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let ended = false;
  const output = child.output().then((out) => {
    ended = true;
    return new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  });
  return {
    ended: () => ended,
    async finish() {
      if (!ended) child.kill("SIGINT");
      const text = await output;
      const field = (name: string) =>
        Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? 0);
      return {
        complete: field("Complete requests"),
        failed: field("Failed requests"),
        non2xx: field("Non-2xx responses"),
        output: text,
      };
    },
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
  {
    mpm: "event",
    engine: "native",
    section: { StartServers: 2, ThreadsPerChild: 4, MinSpareThreads: 2, MaxSpareThreads: 12 },
  },
  { mpm: "winnt", section: { ThreadsPerChild: 8 } },
  {
    mpm: "netware",
    section: { StartThreads: 8, MinSpareThreads: 2, MaxSpareThreads: 12 },
  },
  {
    mpm: "mpmt_os2",
    section: { StartServers: 2, MinSpareThreads: 4, MaxSpareThreads: 8 },
  },
] as const;

for (const c of GRACEFUL_CASES) {
  Deno.test(`${caseName(c)}: two graceful restarts under ab -c ${LOAD_CONCURRENCY} lose no request`, async () => {
    await using server = await startMpmd(caseConfig(c));
    const first = scoreboardPids(await scoreboardOf(server));
    const startedAt = Date.now();
    const load = startLoad(`${server.origin}/`);

    // The first restart once the load is well under way (not after a guessed time), the
    // second as soon as generation 2 serves: two generations drain at once.
    await eventually(async () => load.ended() || await accesses(server) >= 1_000, "load", 30_000);
    for (const generation of [2, 3]) {
      assert.equal(load.ended(), false, `the load still runs at restart ${generation - 1}`);
      Deno.kill(server.pid, "SIGUSR2");
      await server.waitForLog(new RegExp(`generation ${generation} serving`));
    }
    const settled = await scoreboardWhere(
      server,
      (s) => s.processes.every((p) => p.generation === 3),
      "only generation 3 children",
    );
    assert.equal(settled.generation, 3);
    // Generation 3 takes part of the load: its slots' counts show once a child has flushed
    // them, which a reading made just after the children started may precede.
    await eventually(async () => await accesses(server) > 0, "generation 3 serving", 30_000);
    // Keep the load on past the restarts, then stop it and read what it completed.
    await eventually(() => Date.now() - startedAt >= LOAD_MIN_MS, "minimum load time", 30_000);
    assert.equal(load.ended(), false, "the load outlasted both restarts");
    const result = await load.finish();
    assert.equal(result.failed, 0, result.output);
    assert.equal(result.non2xx, 0, result.output);
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
  const before = scoreboardPids(
    await scoreboardWhere(server, (s) => s.processes.length === 2, "two children"),
  );
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

Deno.test("a graceful restart keeps ServerLimit and names the line that asked to change it", async () => {
  await using server = await startMpmd(
    mpmConfig("worker", { ...ONE_CHILD_TWO_THREADS, ServerLimit: 4 }),
  );
  const written = (await Deno.readTextFile(server.configFile!)).replace(
    "ServerLimit: 4",
    "ServerLimit: 8",
  );
  await Deno.writeTextFile(server.configFile!, written);
  const line = written.split("\n").indexOf("  ServerLimit: 8") + 1;
  Deno.kill(server.pid, "SIGUSR2");
  const warning = await server.waitForLog(/changing ServerLimit/);
  assert.ok(
    warning.endsWith(
      `${server.configFile}:${line}: changing ServerLimit to 8 from original value of 4 not allowed during restart`,
    ),
    warning,
  );
  await server.waitForLog(/generation 2 serving/);
  assert.equal(await getStatus(server.origin), 200);
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

/** A client whose 1.5 s request is running in a slot. */
async function slowRequestInFlight(server: TestServer): Promise<RawClient> {
  const slow = await RawClient.connect(server.port);
  await slow.send("GET /app/slow?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n");
  await scoreboardWhere(
    server,
    (s) => s.processes.some((p) => p.slots.some((slot) => slot.state === "W")),
    "the slow request in a slot",
  );
  return slow;
}

for (
  const c of [{ mpm: "event", section: ONE_CHILD_TWO_THREADS }, {
    mpm: "event",
    section: ONE_CHILD_TWO_THREADS,
    engine: "native",
  }] as const
) {
  Deno.test(`${caseName(c)}: graceful-stop (SIGWINCH) lets a slow request in flight finish, then exits 0`, async () => {
    const server = await startMpmd(caseConfig(c, FAULTY_APP));
    try {
      await using slow = await slowRequestInFlight(server);
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
}

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
  await using slow = await slowRequestInFlight(server);
  Deno.kill(server.pid, "SIGHUP");
  await server.waitForLog(/generation 2 serving/);
  const response = await slow.readResponse();
  assert.equal(response.status, 200, "the request in flight was not aborted");
  assert.equal(new TextDecoder().decode(response.body), "slow done\n");
});
