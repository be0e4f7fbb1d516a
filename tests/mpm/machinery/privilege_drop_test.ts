/**
 * User and Group, as root: the children and every thread in them serve as the User, the
 * parent stays root, the logs root opened are still written, and a file only root may read
 * is refused. Skipped unless the tests run as root (CI does).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { denoDirCopy, runMpmd, startMpmd, tempConfig } from "../../_server.ts";
import { lookupGroup, lookupUser } from "../../../platform/mod.ts";
import { eventually } from "../../_deadline.ts";
import { MPMS } from "../../../mpm/mod.ts";
import { defaultScoreboardPath, readScoreboard } from "../../../scoreboard/mod.ts";

const AS_ROOT = Deno.uid() === 0;
const USER = "www-data";
const GROUP = "www-data";

/** Real, effective, saved and file-system ids of every thread of `pid`, as "Uid"/"Gid" lines. */
async function threadIds(pid: number): Promise<{ uids: Set<string>; gids: Set<string> }> {
  const uids = new Set<string>();
  const gids = new Set<string>();
  for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
    const status = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/status`);
    uids.add(/^Uid:\s+(.*)$/m.exec(status)![1]!.replace(/\s+/g, " "));
    gids.add(/^Gid:\s+(.*)$/m.exec(status)![1]!.replace(/\s+/g, " "));
  }
  return { uids, gids };
}

/** The pids of `pid`'s children, whichever of its threads started them. */
async function childrenOf(pid: number): Promise<number[]> {
  const pids: number[] = [];
  for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
    const text = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/children`);
    pids.push(...text.trim().split(/\s+/).filter((p) => p !== "").map(Number));
  }
  return pids;
}

/** A site anyone may read but for one root-only file, and a log directory only root writes. */
async function site(): Promise<{ readonly dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd-user-" });
  await Deno.chmod(dir, 0o755);
  await Deno.mkdir(join(dir, "www"), { mode: 0o755 });
  await Deno.writeTextFile(join(dir, "www", "public.txt"), "for everyone\n", { mode: 0o644 });
  await Deno.writeTextFile(join(dir, "www", "secret.txt"), "root only\n", { mode: 0o600 });
  await Deno.chmod(join(dir, "www", "public.txt"), 0o644);
  await Deno.chmod(join(dir, "www", "secret.txt"), 0o600);
  await Deno.mkdir(join(dir, "logs"), { mode: 0o755 });
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

function config(dir: string, mpm: string, errorLog = `${dir}/logs/error.log`): string {
  const pool = mpm === "prefork"
    ? "prefork: { StartServers: 2, MinSpareServers: 1, MaxSpareServers: 3 }"
    : `${mpm}: { StartServers: 1, ThreadsPerChild: 2, MinSpareThreads: 1, MaxSpareThreads: 3 }`;
  return `
MPM: ${mpm}
Listen: [127.0.0.1:0]
User: ${USER}
Group: ${GROUP}
DocumentRoot: ${dir}/www
ErrorLog: ${errorLog}
CustomLog: ["${dir}/logs/access.log common"]
${pool}
`;
}

for (const mpm of ["prefork", "worker", "event"]) {
  Deno.test({
    name: `${mpm}: children serve as User and Group, the parent stays root`,
    ignore: !AS_ROOT,
    async fn() {
      await using files = await site();
      await using denoDir = await denoDirCopy();
      // The readiness line on stderr is what the test waits for.
      await using server = await startMpmd(config(files.dir, mpm, "stderr"), [], {
        env: { DENO_DIR: denoDir.path },
      });
      const user = lookupUser(USER)!;
      const gid = lookupGroup(GROUP)!;

      const pub = await fetch(`${server.origin}/public.txt`);
      assert.equal(await pub.text(), "for everyone\n");
      const secret = await fetch(`${server.origin}/secret.txt`);
      await secret.body?.cancel();
      assert.equal(secret.status, 403, "a file only root may read is refused");

      const parent = await threadIds(server.pid);
      assert.deepEqual([...parent.uids], ["0 0 0 0"], "the parent keeps root");
      // A child still starting is root until it has opened what it needs: wait for each.
      const uid = user.uid;
      const asUser = async (pid: number) => {
        const ids = await threadIds(pid);
        return ids.uids.size === 1 && ids.uids.has(`${uid} ${uid} ${uid} ${uid}`) &&
          ids.gids.size === 1 && ids.gids.has(`${gid} ${gid} ${gid} ${gid}`);
      };
      const children = await childrenOf(server.pid);
      assert.ok(children.length >= 1, "the server has children");
      for (const child of children) {
        await eventually(() => asUser(child), `every thread of ${child} as ${USER}`, 10_000);
      }

      assert.equal(await server.stop(), 0);
      // Written through the descriptors root opened: the User could not open these files.
      const log = await Deno.readTextFile(join(files.dir, "logs", "access.log"));
      assert.match(log, /"GET \/public\.txt HTTP\/1\.1" 200 /);
      assert.match(log, /"GET \/secret\.txt HTTP\/1\.1" 403 /);
      const logInfo = await Deno.stat(join(files.dir, "logs", "access.log"));
      assert.equal(logInfo.uid, 0, "the log stays root's");
      assert.equal(logInfo.mode! & 0o022, 0, "and writable by root alone");
    },
  });
}

Deno.test({
  name: "netware cannot serve as User when started as root, and says why",
  ignore: !AS_ROOT,
  async fn() {
    await using files = await site();
    const yaml = config(files.dir, "mpmt_os2").replace("MPM: mpmt_os2", "MPM: netware")
      .replace(/^mpmt_os2:.*$/m, "");
    await using file = await tempConfig(yaml);
    const run = await runMpmd(["-f", file.path]);
    assert.notEqual(run.code, 0);
    const log = await Deno.readTextFile(join(files.dir, "logs", "error.log"));
    assert.match(log, /Cannot serve as User www-data: netware serves from the parent/);
  },
});

Deno.test({
  name: "a User that cannot read the code threads load is refused at start, with the way out",
  ignore: !AS_ROOT,
  async fn() {
    await using files = await site();
    await using denoDir = await denoDirCopy(0o700);
    await using file = await tempConfig(config(files.dir, "event"));
    const run = await runMpmd(["-f", file.path], { DENO_DIR: denoDir.path });
    assert.notEqual(run.code, 0);
    const log = await Deno.readTextFile(join(files.dir, "logs", "error.log"));
    assert.match(log, /could not start: .*threads serving as User www-data load mpmd's code/);
  },
});

Deno.test("an unknown User or Group is a config error at its line", async () => {
  for (const [directive, name] of [["User", "no-such-user-here"], ["Group", "no-such-group"]]) {
    await using file = await tempConfig(
      `Listen: [127.0.0.1:0]\nDocumentRoot: /tmp\n${directive}: ${name}\n`,
    );
    const run = await runMpmd(["-t", "-f", file.path]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, new RegExp(`:3.*Cannot use ${directive} ${name}: no such`));
  }
});

Deno.test("-D DUMP_RUN_CFG shows User and Group with their ids, as httpd does", async () => {
  await using file = await tempConfig(
    `Listen: [127.0.0.1:0]\nDocumentRoot: /tmp\nUser: ${USER}\nGroup: "#4"\n`,
  );
  const run = await runMpmd(["-t", "-D", "DUMP_RUN_CFG", "-f", file.path]);
  assert.equal(run.code, 0, run.stderr);
  const user = lookupUser(USER)!;
  assert.match(run.stdout, new RegExp(`^User: name="${USER}" id=${user.uid}$`, "m"));
  assert.match(run.stdout, /^Group: name="#4" id=4$/m);
});

Deno.test({
  name:
    "a switch from prefork to event as root: the children of both follow the reshaped scoreboard",
  ignore: !AS_ROOT,
  async fn() {
    await using files = await site();
    await using denoDir = await denoDirCopy();
    await using server = await startMpmd(config(files.dir, "prefork", "stderr"), [], {
      env: { DENO_DIR: denoDir.path },
    });
    await Deno.writeTextFile(server.configFile!, config(files.dir, "event", "stderr"));
    const section = { StartServers: 1, ThreadsPerChild: 2, MinSpareThreads: 1, MaxSpareThreads: 3 };
    const EVENT_SHAPE = MPMS.event.topology(MPMS.event.check(section).settings);
    Deno.kill(server.pid, "SIGUSR2");
    await server.waitForLog(/generation 2 serving \(event MPM\)/, 30_000);
    // Once prefork's children are gone the file takes event's shape again: the event children,
    // serving as the User, must open it anew.
    await eventually(
      async () => {
        const scoreboard = await readScoreboard(defaultScoreboardPath(server.pid));
        return scoreboard.processes.length > 0 &&
          scoreboard.processes.every((p) => p.generation === 2) &&
          scoreboard.serverLimit === EVENT_SHAPE.serverLimit &&
          scoreboard.threadLimit === EVENT_SHAPE.threadLimit;
      },
      "generation 2 alone, in event's shape",
      30_000,
    );
    for (let i = 0; i < 5; i++) {
      assert.equal((await fetch(`${server.origin}/public.txt`)).status, 200);
    }
    await eventually(
      async () => {
        const scoreboard = await readScoreboard(defaultScoreboardPath(server.pid));
        const served = scoreboard.processes.flatMap((p) => p.slots).reduce(
          (sum, slot) => sum + slot.accessCount,
          0,
        );
        return served >= 5;
      },
      "the event children's counts in the reshaped file",
      10_000,
    );
    assert.deepEqual(
      server.stderr.filter((line) => /scoreboard/i.test(line) && /Cannot/.test(line)),
      [],
    );
  },
});
