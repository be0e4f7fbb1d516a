/**
 * Graceful restarts under keep-alive load lose nothing: every MPM, a pool of at least 32
 * slots, 32 clients sending request after request on kept-alive connections, restarts spread
 * over the run. The load client counts each request it sent and never got an answer to; what
 * a restart may do is close a connection after an answer (`Connection: close`), never before
 * one — except an idle one that a request crosses, which the server logs and the client
 * retries (see `_load_client.ts`).
 *
 * A generation of 32 isolates takes 2–5 s to start on two loaded cores, so the suite makes
 * {@link DEFAULT_RESTARTS} restarts per MPM; `MPMD_TEST_RESTARTS=20 deno task test
 * tests/mpm/machinery/restart_keep_alive_test.ts` is the long run (about two minutes per MPM).
 */

import assert from "node:assert/strict";
import { eventually } from "../../_deadline.ts";
import { assertNothingLost, startLoad } from "./_load_client.ts";
import {
  caseName,
  type MpmCase,
  mpmConfig,
  scoreboardOf,
  scoreboardWhere,
  startMpmd,
  type TestServer,
} from "./_mpm.ts";

const CLIENTS = 32;
/** Restarts per MPM in the suite. */
const DEFAULT_RESTARTS = 4;
const RESTARTS = Number(Deno.env.get("MPMD_TEST_RESTARTS") ?? DEFAULT_RESTARTS);
/**
 * Each client pauses this long between an answer and its next request: restarts then meet
 * connections both busy and idle, and the load leaves the CPU to the new generations.
 */
const PAUSE_MS = 5;
/** Answers between two restarts: each restart meets requests in flight on every client. */
const ANSWERS_BETWEEN = 300;
const DEADLINE_MS = 60_000;

/** Pools of at least 32 slots, as the load has 32 clients. */
const CASES: readonly MpmCase[] = [
  { mpm: "prefork", section: { StartServers: 32, MinSpareServers: 8, MaxSpareServers: 64 } },
  {
    mpm: "worker",
    section: { StartServers: 2, ThreadsPerChild: 16, MinSpareThreads: 8, MaxSpareThreads: 64 },
  },
  {
    mpm: "event",
    section: { StartServers: 2, ThreadsPerChild: 16, MinSpareThreads: 8, MaxSpareThreads: 64 },
  },
  { mpm: "winnt", section: { ThreadsPerChild: 32 } },
  { mpm: "netware", section: { StartThreads: 32, MinSpareThreads: 8, MaxSpareThreads: 64 } },
  { mpm: "mpmt_os2", section: { StartServers: 2, MinSpareThreads: 16, MaxSpareThreads: 32 } },
];

/** Waits until only `generation`'s processes are left: the older ones have drained. */
function drained(server: TestServer, generation: number): Promise<unknown> {
  return scoreboardWhere(
    server,
    (s) => s.processes.length > 0 && s.processes.every((p) => p.generation === generation),
    `only generation ${generation} left`,
    DEADLINE_MS,
  );
}

for (const c of CASES) {
  Deno.test(`${caseName(c)}: ${RESTARTS} graceful restarts under ${CLIENTS} keep-alive clients lose no request`, async () => {
    await using server = await startMpmd(mpmConfig(c.mpm, c.section, "KeepAliveTimeout: 15"));
    const load = startLoad(server.port, { clients: CLIENTS, keepAlive: true, pauseMs: PAUSE_MS });
    try {
      for (let generation = 2; generation <= RESTARTS + 1; generation++) {
        const before = load.answered();
        await eventually(
          () => load.answered() >= before + ANSWERS_BETWEEN,
          "answers between restarts",
          DEADLINE_MS,
        );
        Deno.kill(server.pid, "SIGUSR2");
        await server.waitForLog(new RegExp(`generation ${generation} serving`), DEADLINE_MS);
      }
      await drained(server, RESTARTS + 1);
      const after = load.answered();
      await eventually(() => load.answered() >= after + ANSWERS_BETWEEN, "answers", DEADLINE_MS);
    } finally {
      await assertNothingLost([await load.stop()], server.stderr);
    }
    assert.equal((await scoreboardOf(server)).generation, RESTARTS + 1);
  });
}
