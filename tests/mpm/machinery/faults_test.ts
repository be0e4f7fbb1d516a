import assert from "node:assert/strict";
import { RawClient } from "../../server/http/_raw_client.ts";
import { eventually } from "../../_deadline.ts";
import { startLoad } from "./_load_client.ts";
import { readResidentBytes } from "../../../platform/mod.ts";
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
  SHAPE_DEADLINE_MS,
  startMpmd,
} from "./_mpm.ts";

const REQUESTS_AFTER = 20;
/** A slot whose heartbeat is this old has stopped running (the faulty app's busy loop). */
const STOPPED_MS = 2_000;

async function allServed(origin: string): Promise<void> {
  for (let i = 0; i < REQUESTS_AFTER; i++) {
    assert.equal(await getStatus(origin), 200, `request ${i}`);
  }
}

const KILL_CASES = [
  {
    mpm: "prefork",
    section: { StartServers: 2, MinSpareServers: 2, MaxSpareServers: 4 },
    children: 2,
  },
  {
    mpm: "worker",
    section: { StartServers: 2, ThreadsPerChild: 2, MinSpareThreads: 4, MaxSpareThreads: 6 },
    children: 2,
  },
  {
    mpm: "event",
    section: { StartServers: 2, ThreadsPerChild: 2, MinSpareThreads: 4, MaxSpareThreads: 6 },
    children: 2,
  },
  {
    mpm: "event",
    engine: "native",
    section: { StartServers: 2, ThreadsPerChild: 2, MinSpareThreads: 4, MaxSpareThreads: 6 },
    children: 2,
  },
  { mpm: "winnt", section: { ThreadsPerChild: 2 }, children: 1 },
  {
    mpm: "mpmt_os2",
    section: { StartServers: 2, MinSpareThreads: 1, MaxSpareThreads: 3 },
    children: 2,
  },
] as const;

for (const c of KILL_CASES) {
  Deno.test(`${caseName(c)}: a child killed with SIGKILL is logged and replaced; serving goes on`, async () => {
    await using server = await startMpmd(caseConfig(c));
    const before = scoreboardPids(
      await scoreboardWhere(server, (s) => s.processes.length === c.children, "the children"),
    );
    const victim = before[0]!;
    Deno.kill(victim, "SIGKILL");
    await server.waitForLog(new RegExp(`child pid ${victim} exit signal SIGKILL`));
    const after = await scoreboardWhere(
      server,
      (s) =>
        s.processes.length === c.children && !scoreboardPids(s).includes(victim) &&
        s.processes.every((p) => p.slots.some((slot) => slot.state === "_")),
      "a successor for the killed child, serving",
    );
    assert.deepEqual(childrenOf(server.pid), scoreboardPids(after));
    await allServed(server.origin);
  });
}

Deno.test("prefork: SIGKILL of a child under load loses at most its one request in flight", async () => {
  await using server = await startMpmd(
    mpmConfig("prefork", { StartServers: 4, MinSpareServers: 4, MaxSpareServers: 8 }),
  );
  const [victim] = scoreboardPids(
    await scoreboardWhere(server, (s) => s.processes.length === 4, "four children"),
  );
  // Connection: close, as ab -c 16: every request is a new connection from the shared queue.
  const load = startLoad(server.port, { clients: 16, keepAlive: false });
  try {
    await eventually(() => load.answered() >= 200, "answers before the kill", SHAPE_DEADLINE_MS);
    Deno.kill(victim!, "SIGKILL");
    await server.waitForLog(new RegExp(`child pid ${victim} exit signal SIGKILL`));
    const after = load.answered();
    await eventually(() => load.answered() >= after + 200, "answers after", SHAPE_DEADLINE_MS);
  } finally {
    const report = await load.stop();
    // A prefork child holds one connection: what is queued waits for the others.
    assert.ok(report.lost <= 1, JSON.stringify(report));
    assert.equal(report.refused, 0, JSON.stringify(report));
  }
});

Deno.test("prefork: a child that stops running is killed after RequestTimeout and replaced", async () => {
  await using server = await startMpmd(
    mpmConfig("prefork", { StartServers: 2, MinSpareServers: 2, MaxSpareServers: 4 }),
    ["-c", "RequestTimeout 1"],
  );
  const [stuck] = scoreboardPids(
    // Serving, so it has beaten: a child stopped before its first heartbeat never started.
    await scoreboardWhere(
      server,
      (s) =>
        s.processes.length === 2 &&
        s.processes.every((p) => p.slots.some((slot) => slot.state === "_")),
      "two children, serving",
    ),
  );
  // A stopped process runs no timers, exactly like an isolate caught in a busy loop.
  Deno.kill(stuck!, "SIGSTOP");
  await server.waitForLog(new RegExp(`child pid ${stuck} has not run for .* \\(RequestTimeout\\)`));
  await scoreboardWhere(
    server,
    (s) => s.processes.length === 2 && !scoreboardPids(s).includes(stuck!),
    "a successor for the stuck child",
  );
  await allServed(server.origin);
});

const RECYCLE_CASES = [
  {
    mpm: "prefork",
    section: {
      StartServers: 1,
      MinSpareServers: 1,
      MaxSpareServers: 2,
      MaxConnectionsPerChild: 5,
    },
  },
  ...(["worker", "event"] as const).map((mpm) => ({
    mpm,
    section: { ...ONE_CHILD_TWO_THREADS, MaxConnectionsPerChild: 5 },
  })),
  // Deno's server shows no connections: MaxConnectionsPerChild counts requests there.
  {
    mpm: "event",
    engine: "native",
    section: { ...ONE_CHILD_TWO_THREADS, MaxConnectionsPerChild: 5 },
  },
  { mpm: "winnt", section: { ThreadsPerChild: 2, MaxConnectionsPerChild: 5 } },
  {
    mpm: "mpmt_os2",
    section: { StartServers: 1, MinSpareThreads: 1, MaxSpareThreads: 3, MaxConnectionsPerChild: 5 },
  },
  {
    mpm: "netware",
    section: { StartThreads: 2, MinSpareThreads: 1, MaxSpareThreads: 3, MaxConnectionsPerChild: 5 },
  },
] as const;

/** A process of the scoreboard as itself: netware's host keeps the parent's pid when replaced. */
const identity = (p: { pid: number; startedMs: number }) => `${p.pid}@${p.startedMs}`;

for (const c of RECYCLE_CASES) {
  Deno.test(`${caseName(c)}: MaxConnectionsPerChild recycles a child after its connections`, async () => {
    await using server = await startMpmd(caseConfig(c));
    const [first] = (await scoreboardWhere(server, (s) => s.processes.length === 1, "one child"))
      .processes.map(identity);
    // Connection: close, so each request is a connection of its own.
    await allServed(server.origin);
    await scoreboardWhere(
      server,
      (s) => s.processes.length >= 1 && !s.processes.map(identity).includes(first!),
      "the first child recycled",
    );
    const accepted = (await scoreboardOf(server)).processes.map((p) => p.accepted);
    assert.ok(accepted.every((n) => n <= 5), `no child accepted more than 5: ${accepted}`);
  });
}

// Four threads: with one stuck, the other three still cover both CPUs if a loaded machine
// also stalls one healthy thread past the avoidance limit.
const THREADED = { StartServers: 1, ThreadsPerChild: 4, MinSpareThreads: 1, MaxSpareThreads: 5 };
const THREAD_GIVEN_UP =
  /thread \d+ of child pid \d+ has not run for .* \(RequestTimeout\): replacing the child/;
const THREAD_DIED = /thread \d+ died .*the faulty app crashes its isolate/;
const THREAD_EXITED = /thread \d+ exited \(Deno\.exit\(3\) called\)/;
/** A slot case of a threaded MPM: a stuck thread replaces its child, a dead one is restarted. */
const threadedCase = <M extends string>(mpm: M, section: Record<string, number> = THREADED) => ({
  mpm,
  section,
  replaced: THREAD_GIVEN_UP,
  died: THREAD_DIED,
  exited: THREAD_EXITED,
  busyLoop: true,
  slots: 4,
});
// busyLoop: false where a stuck thread cannot be reclaimed (netware's threads live in the
// parent, and Deno cannot end a Worker that never yields): see docs/limits.md.
const SLOT_CASES = [
  {
    mpm: "prefork",
    section: { StartServers: 3, MinSpareServers: 3, MaxSpareServers: 5 },
    replaced: /child pid \d+ has not run for .* \(RequestTimeout\): killing it/,
    died: /child pid \d+ exit code 1/,
    exited: /child pid \d+ exit code 3/,
    busyLoop: true,
    slots: 3,
  },
  threadedCase("worker"),
  threadedCase("event"),
  { ...threadedCase("event"), engine: "native" as const },
  threadedCase("winnt", { ThreadsPerChild: 4 }),
  threadedCase("mpmt_os2", { StartServers: 1, MinSpareThreads: 4, MaxSpareThreads: 6 }),
  {
    ...threadedCase("netware", { StartThreads: 4, MinSpareThreads: 4, MaxSpareThreads: 6 }),
    busyLoop: false,
  },
];

for (const c of SLOT_CASES.filter((c) => c.busyLoop)) {
  Deno.test(`${caseName(c)}: a handler in a busy loop loses its slot after RequestTimeout; other requests are served`, async () => {
    await using server = await startMpmd(
      caseConfig(c, `RequestTimeout: 4\n${FAULTY_APP}`),
    );
    await using busy = await RawClient.connect(server.port);
    await busy.send("GET /app/busy HTTP/1.1\r\nHost: t\r\n\r\n");
    // A slot that stopped running: its heartbeat, or its process's flush (prefork's one
    // thread does both), is old.
    const stopped = (beatMs: number) => beatMs > 0 && Date.now() - beatMs > STOPPED_MS;
    await scoreboardWhere(
      server,
      (s) =>
        s.processes.some((p) =>
          stopped(p.flushedMs) || p.slots.some((slot) => stopped(slot.heartbeatMs))
        ),
      "a slot stuck in the busy loop",
    );
    // The stuck slot accepts nothing: every new connection goes to a slot that runs.
    await allServed(server.origin);
    await server.waitForLog(c.replaced);
    // A stuck thread goes with its process, which first starts a successor and drains.
    await busy.waitForClose(SHAPE_DEADLINE_MS);
    await scoreboardWhere(
      server,
      (s) => s.processes.flatMap((p) => p.slots).filter((slot) => slot.state === "_").length >= 3,
      "three idle slots again",
    );
    await allServed(server.origin);
  });
}

/** Ways handler code ends its isolate: what the client gets, and which log line says so. */
const DEATHS = [
  { name: "dies after answering", path: "/app/crash", answer: "crashing\n", log: "died" },
  // Deno.exit() ends a prefork child, or only the Worker of a thread: no answer either way.
  { name: "calls Deno.exit()", path: "/app/exit", answer: null, log: "exited" },
] as const;

const cases = SLOT_CASES.flatMap((c) => DEATHS.map((d) => [c, d] as const));
for (const [c, death] of cases) {
  Deno.test(`${caseName(c)}: an isolate whose handler ${death.name} is replaced; serving goes on`, async () => {
    await using server = await startMpmd(caseConfig(c, FAULTY_APP));
    const response = fetch(`${server.origin}${death.path}`, { headers: { connection: "close" } })
      .then((r) => r.text());
    if (death.answer === null) await assert.rejects(response);
    else assert.equal(await response, death.answer);
    await server.waitForLog(c[death.log]);
    await scoreboardWhere(
      server,
      (s) => s.processes.flatMap((p) => p.slots).filter((slot) => slot.state === "_").length >= 3,
      "three idle slots again",
    );
    await allServed(server.origin);
  });
}

Deno.test("event: a child whose memory passes MaxMemoryPerChild is replaced and gives it back", async () => {
  await using server = await startMpmd(
    mpmConfig("event", ONE_CHILD_TWO_THREADS, `${FAULTY_APP}\nMaxMemoryPerChild: 512M`),
  );
  const [hoarder] = scoreboardPids(
    await scoreboardWhere(server, (s) => s.processes.length === 1, "one child"),
  );
  assert.equal(await getStatus(server.origin, "/app/hoard?mb=2048"), 200);
  await server.waitForLog(
    new RegExp(
      `child pid ${hoarder} uses [\\d.]+ [MG]iB of memory \\(MaxMemoryPerChild 512 MiB\\)`,
    ),
  );
  await scoreboardWhere(
    server,
    (s) => !scoreboardPids(s).includes(hoarder!) && !childrenOf(server.pid).includes(hoarder!),
    "the hoarding child gone",
  );
  assert.equal(await getStatus(server.origin, "/hello.txt"), 200);
  const tree = [server.pid, ...childrenOf(server.pid)];
  const resident = await Promise.all(tree.map(readResidentBytes));
  const total = resident.reduce<number>((sum, bytes) => sum + (bytes ?? 0), 0);
  assert.ok(total < 2 ** 30, `the server's processes hold ${total} bytes`);
});
