import assert from "node:assert/strict";
import { runMpmd, startMpmd, tempConfig } from "../../_server.ts";
import { type Backend, startBackend, waitUntil } from "./_backends.ts";

/** One event thread: one slot, so one balancer state, and counts a test can predict exactly. */
const ONE_SLOT = `
MPM: event
event:
  StartServers: 1
  ServerLimit: 1
  ThreadsPerChild: 1
  MinSpareThreads: 1
  MaxSpareThreads: 1
  MaxRequestWorkers: 1
`;

/** Sends `n` requests for `path` one after another; the bodies that came back, counted. */
async function spread(origin: string, path: string, n: number): Promise<Record<string, number>> {
  const got: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${origin}${path}`);
    const body = response.status === 200 ? await response.text() : `${response.status}`;
    if (response.status !== 200) await response.body?.cancel();
    got[body] = (got[body] ?? 0) + 1;
  }
  return got;
}

function members(name: string, backends: readonly Backend[], keys: readonly string[]): string {
  return backends.map((b, i) => `  - balancer://${name} ${b.url} ${keys[i] ?? ""}`).join("\n");
}

Deno.test("mpmd spreads 1,000 proxied requests by each lbmethod and loadfactor", async (t) => {
  await using a = await startBackend("a");
  await using b = await startBackend("b");
  await using c = await startBackend("c");
  const weights = ["loadfactor=1", "loadfactor=2", "loadfactor=3"];
  await using server = await startMpmd(`
Listen: [127.0.0.1:0]
DocumentRoot: /tmp
Status: /server-status
BalancerMember:
${members("requests", [a, b, c], weights)}
${members("busy", [a, b, c], weights)}
${members("traffic", [a, b, c], weights)}
ProxySet:
  - balancer://busy lbmethod=bybusyness
  - balancer://traffic lbmethod=bytraffic
ProxyPass:
  - /r/ balancer://requests/
  - /b/ balancer://busy/
  - /t/ balancer://traffic/
${ONE_SLOT}`);
  // Every answer has the same size, and one request at a time leaves nobody busy: each
  // method then weighs by loadfactor alone.
  const paths = [["byrequests", "/r/"], ["bybusyness", "/b/"], ["bytraffic", "/t/"]] as const;
  for (const [method, path] of paths) {
    await t.step(method, async () => {
      assert.deepEqual(await spread(server.origin, path, 1000), { a: 167, b: 333, c: 500 });
    });
  }
  await t.step("the status page counts them per member", async () => {
    const auto = await (await fetch(`${server.origin}/server-status?auto`)).text();
    const lines = auto.split("\n").filter((line) => line.startsWith("BalancerMember: "));
    assert.equal(lines.length, 9);
    assert.match(
      lines[2]!,
      /^BalancerMember: balancer:\/\/requests http:\/\/127\.0\.0\.1:\d+\/ state=ok route=- loadfactor=3 requests=500 errors=0 busy=0 bytes=\d+ hcmethod=NONE lastcheck=-$/,
    );
    const metrics = await (await fetch(`${server.origin}/metrics`)).text();
    assert.match(
      metrics,
      new RegExp(
        `mpmd_balancer_member_requests_total\\{balancer="traffic",member="${c.url}"\\} 500`,
      ),
    );
  });
});

/** Clients asking `path` in a loop until stopped: every answer that was not a member's 200. */
function steadyClients(origin: string, path: string, clients: number) {
  const failures: string[] = [];
  let running = true;
  let sent = 0;
  const loops = Array.from({ length: clients }, async () => {
    // Bounded: a loop ends when stopped, and the test stops it within its deadline.
    while (running) {
      sent++;
      try {
        const response = await fetch(`${origin}${path}`);
        const body = await response.text();
        if (response.status !== 200) failures.push(`${response.status} ${body.slice(0, 80)}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  });
  return {
    failures,
    get sent() {
      return sent;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

Deno.test("mpmd takes a killed member out within hcinterval and back when it returns, clients unharmed", async (t) => {
  await using a = await startBackend("a");
  await using b = await startBackend("b");
  await using c = await startBackend("c");
  await using main = await startBackend("main");
  await using standby = await startBackend("standby");
  const check = "hcmethod=GET hcuri=/health hcinterval=500ms";
  await using server = await startMpmd(`
Listen: [127.0.0.1:0]
DocumentRoot: /tmp
BalancerMember:
${members("app", [a, b, c], [check, check, check])}
${members("hot", [main, standby], [check, `status=+H ${check}`])}
ProxyPass:
  - /app/ balancer://app/
  - /hot/ balancer://hot/
`);
  await t.step("a member killed under load: out within hcinterval, no client sees it", async () => {
    const load = steadyClients(server.origin, "/app/", 4);
    let outAfterMs = NaN;
    try {
      await waitUntil(() => a.served > 20 && b.served > 20 && c.served > 20, 10_000, "spread");
      const killedAt = performance.now();
      await b.kill();
      const line = await server.waitForLog(
        new RegExp(`member ${b.url.replaceAll(".", "\\.")} failed its health check`),
        5_000,
      );
      outAfterMs = performance.now() - killedAt;
      assert.ok(outAfterMs < 500 + 500, `out after ${Math.round(outAfterMs)} ms: ${line}`);
      const servedBefore = a.served + c.served;
      await waitUntil(() => a.served + c.served > servedBefore + 100, 10_000, "served on");
      await b.revive();
      const back = b.served;
      await waitUntil(() => b.served > back + 20, 10_000, "b back in");
      await server.waitForLog(/passed its health check: back in/, 5_000);
    } finally {
      await load.stop();
    }
    // Connection-refused requests went to another member (maxattempts); only a request b
    // held when it died may fail, one per client at most.
    assert.ok(
      load.failures.length <= 4 && load.failures.every((f) => f.startsWith("502 ")),
      `${load.failures.length} of ${load.sent} failed: ${load.failures.join("; ")}`,
    );
    const proxyErrors = server.stderr.filter((line) => /Error from backend/.test(line));
    assert.ok(proxyErrors.length <= load.failures.length, proxyErrors.join("\n"));
    // deno-lint-ignore no-console -- the measurement this test reports
    console.log(
      `out after ${
        Math.round(outAfterMs)
      } ms (hcinterval 500 ms); ${load.failures.length} of ${load.sent} requests failed: ${
        proxyErrors.join(" | ")
      }`,
    );
  });
  await t.step("a hot standby serves while its main member is down, and only then", async () => {
    assert.deepEqual(await spread(server.origin, "/hot/", 20), { main: 20 });
    await main.kill();
    assert.deepEqual(await spread(server.origin, "/hot/", 20), { standby: 20 });
    await main.revive();
    // Each slot checks on its own: once its check passes, it sends to main again.
    await waitUntil(
      async () => (await spread(server.origin, "/hot/", 10)).main === 10,
      5_000,
      "main back in every slot",
    );
  });
});

Deno.test("mpmd keeps a sticky session on the member its cookie's route names", async () => {
  await using a = await startBackend("a");
  await using b = await startBackend("b");
  await using server = await startMpmd(`
Listen: [127.0.0.1:0]
DocumentRoot: /tmp
BalancerMember:
${members("app", [a, b], ["route=a", "route=b"])}
ProxySet: balancer://app stickysession=JSESSIONID|jsessionid
ProxyPass: /app/ balancer://app/
`);
  for (const expected of ["a", "b"]) {
    // The backend picked by turn sets the session cookie with its route.
    let login = await fetch(`${server.origin}/app/login`);
    while ((await login.clone().text()) !== expected) {
      await login.body?.cancel();
      login = await fetch(`${server.origin}/app/login`);
    }
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    await login.body?.cancel();
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${server.origin}/app/page`, { headers: { cookie } });
      assert.equal(await response.text(), expected);
    }
  }
});

Deno.test("mpmd -t refuses balancer mistakes at their line", async (t) => {
  const cases = [
    {
      name: "a bad value",
      lines:
        "BalancerMember:\n  - balancer://app http://127.0.0.1:9\n  - balancer://app http://127.0.0.1:10 loadfactor=0",
      error: /\.yaml:5: Cannot set BalancerMember: loadfactor "0" is not a number 1 to 100/,
    },
    {
      name: "a ProxyPass to a balancer nobody defines",
      lines:
        "BalancerMember: balancer://app http://127.0.0.1:9\nProxyPass: /x/ balancer://nowhere/",
      error:
        /\.yaml:4: Cannot proxy \/x\/ to balancer:\/\/nowhere\/: no BalancerMember defines balancer:\/\/nowhere/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using config = await tempConfig(
        `Listen: 127.0.0.1:0\nDocumentRoot: /tmp\n${c.lines}\n`,
      );
      const { code, stderr } = await runMpmd(["-t", "-f", config.path]);
      assert.equal(code, 1);
      assert.match(stderr, c.error);
    });
  }
});

Deno.test("under prefork each child balances on its own, and together they keep the loadfactor", async () => {
  await using a = await startBackend("a");
  await using b = await startBackend("b");
  await using server = await startMpmd(`
MPM: prefork
prefork:
  StartServers: 2
  MinSpareServers: 2
  MaxSpareServers: 2
  MaxRequestWorkers: 2
Listen: [127.0.0.1:0]
DocumentRoot: /tmp
KeepAlive: Off
BalancerMember:
${members("app", [a, b], ["loadfactor=1", "loadfactor=2"])}
ProxyPass: /app/ balancer://app/
`);
  const got = await spread(server.origin, "/app/", 300);
  // Each child is exact on its own share; the two shares add up to within a request or two.
  assert.ok(Math.abs(got.a! - 100) <= 2 && Math.abs(got.b! - 200) <= 2, JSON.stringify(got));
});
