import assert from "node:assert/strict";
import { type Balancer, startBalancers } from "../../../modules/balancer/mod.ts";
import type { ServerRequest } from "../../../server/http/mod.ts";
import { parseYaml } from "../../server/config/readers/_parse_yaml.ts";
import { testLogger } from "../static/_fixture.ts";
import { type Backend, startBackend, waitUntil } from "./_backends.ts";

/** The balancers of a YAML config holding `lines`. */
function balancersOf(lines: string) {
  return parseYaml(`Listen: 8080\n${lines}`).config.balancers;
}

/** The fields of a request the balancer reads. */
function request(path = "/", cookie?: string): ServerRequest {
  const headers = new Map(cookie === undefined ? [] : [["cookie", cookie]]);
  return { path, query: "", headers } as unknown as ServerRequest;
}

/**
 * Picks a member for `r`, asks it for `r.path` with a real client and reports the outcome, as
 * the proxy does: the name of the backend that answered, `failed`, or `null` (no member).
 */
async function exchange(balancer: Balancer, r: ServerRequest = request()): Promise<string | null> {
  const choice = balancer.pick(r);
  if (choice === null) return null;
  try {
    const response = await fetch(new URL(r.path.slice(1), choice.url));
    const body = await response.text();
    choice.finished({ failed: false, bytes: body.length });
    return body;
  } catch {
    choice.finished({ failed: true, bytes: 0 });
    return "failed";
  }
}

async function counts(balancer: Balancer, n: number): Promise<Record<string, number>> {
  const got: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const name = String(await exchange(balancer));
    got[name] = (got[name] ?? 0) + 1;
  }
  return got;
}

Deno.test("a balancer spreads 1,000 requests to real backends by loadfactor", async () => {
  await using a = await startBackend("a");
  await using b = await startBackend("b");
  await using c = await startBackend("c");
  const set = startBalancers(
    balancersOf(`BalancerMember:
  - balancer://app ${a.url} loadfactor=1
  - balancer://app ${b.url} loadfactor=2
  - balancer://app ${c.url} loadfactor=3
`),
    { logger: testLogger() },
  );
  try {
    const got = await counts(set.get("APP")!, 1000);
    assert.deepEqual(got, { a: 167, b: 333, c: 500 });
    assert.deepEqual(
      set.snapshot()[0]!.members.map((m) => [m.requests, m.busy, m.errors, m.condition]),
      [[167, 0, 0, "ok"], [333, 0, 0, "ok"], [500, 0, 0, "ok"]],
    );
  } finally {
    set.stop();
  }
});

Deno.test("a sticky session stays on the member its cookie's route names", async () => {
  await using a = await startBackend("a");
  await using b = await startBackend("b");
  const set = startBalancers(
    balancersOf(`BalancerMember:
  - balancer://app ${a.url} route=a
  - balancer://app ${b.url} route=b
ProxySet: balancer://app stickysession=JSESSIONID|jsessionid
`),
    { logger: testLogger() },
  );
  try {
    const balancer = set.get("app")!;
    const login = balancer.pick(request("/login"))!;
    const response = await fetch(new URL("login", login.url));
    const cookie = response.headers.get("set-cookie")!.split(";")[0]!;
    const home = await response.text();
    login.finished({ failed: false, bytes: home.length });
    for (let i = 0; i < 20; i++) {
      assert.equal(await exchange(balancer, request("/", cookie)), home);
    }
    assert.equal(await exchange(balancer, request(`/;jsessionid=x.${home}`)), home);
  } finally {
    set.stop();
  }
});

/** Asks `n` times; what answered (every answer must come from a live member). */
async function answers(balancer: Balancer, n: number): Promise<Set<string | null>> {
  const seen = new Set<string | null>();
  for (let i = 0; i < n; i++) seen.add(await exchange(balancer));
  return seen;
}

Deno.test("a killed member leaves within its health-check interval and returns when it is back", async () => {
  await using a = await startBackend("a");
  await using b = await startBackend("b");
  const logger = testLogger();
  const set = startBalancers(
    balancersOf(`BalancerMember:
  - balancer://app ${a.url} hcmethod=GET hcuri=/health hcinterval=200ms
  - balancer://app ${b.url} hcmethod=GET hcuri=/health hcinterval=200ms hcpasses=2
`),
    { logger },
  );
  const balancer = set.get("app")!;
  const conditionOf = (backend: Backend) =>
    set.snapshot()[0]!.members.find((m) => m.url === backend.url)!.condition;
  try {
    await waitUntil(
      () => set.snapshot()[0]!.members.every((m) => m.lastCheck !== null),
      5_000,
      "checked",
    );
    assert.deepEqual(await answers(balancer, 10), new Set(["a", "b"]));
    await b.kill();
    // No request reaches b meanwhile: the test's client sends none.
    const out = await waitUntil(() => conditionOf(b) === "hcfail", 2_000, "taken out");
    assert.ok(out <= 200 + 300, `taken out after ${Math.round(out)} ms (hcinterval 200 ms)`);
    assert.deepEqual(await answers(balancer, 10), new Set(["a"]));
    await b.revive();
    await waitUntil(() => conditionOf(b) === "ok", 3_000, "back in");
    assert.deepEqual(await answers(balancer, 10), new Set(["a", "b"]));
    const messages = logger.entries.map((e) => e.message);
    assert.ok(
      messages.some((m) => /member http:\/\/127\.0\.0\.1:\d+\/ failed its health check/.test(m)),
    );
    assert.ok(messages.some((m) => m.endsWith("passed its health check: back in")));
  } finally {
    set.stop();
  }
});

Deno.test("a member whose request failed stays out for retry; a hot standby serves when none is left", async () => {
  await using a = await startBackend("a");
  await using b = await startBackend("b");
  await using standby = await startBackend("standby");
  const set = startBalancers(
    balancersOf(`BalancerMember:
  - balancer://app ${a.url} retry=60
  - balancer://app ${b.url} retry=60
  - balancer://app ${standby.url} status=+H
`),
    { logger: testLogger() },
  );
  try {
    const balancer = set.get("app")!;
    assert.deepEqual(await answers(balancer, 10), new Set(["a", "b"]));
    await a.kill();
    // The first request to the dead member fails and puts it in error; then only b answers.
    const first = await answers(balancer, 2);
    assert.ok(first.has("failed") || first.has("b"));
    assert.deepEqual(await answers(balancer, 10), new Set(["b"]));
    await b.kill();
    await answers(balancer, 1);
    assert.deepEqual(await answers(balancer, 10), new Set(["standby"]));
    assert.deepEqual(
      set.snapshot()[0]!.members.map((m) => m.condition),
      ["error", "error", "standby"],
    );
  } finally {
    set.stop();
  }
});

Deno.test("each hcmethod passes on a live backend and fails on a dead one", async (t) => {
  for (const method of ["TCP", "OPTIONS", "HEAD", "GET"]) {
    await t.step(method, async () => {
      await using backend = await startBackend("x");
      const set = startBalancers(
        balancersOf(
          `BalancerMember: balancer://app ${backend.url} hcmethod=${method} hcinterval=100ms`,
        ),
        { logger: testLogger() },
      );
      const member = () => set.snapshot()[0]!.members[0]!;
      try {
        await waitUntil(() => member().lastCheck?.passed === true, 5_000, "passed");
        assert.equal(member().condition, "ok");
        await backend.kill();
        await waitUntil(() => member().condition === "hcfail", 5_000, "failed");
        assert.equal(member().lastCheck?.passed, false);
      } finally {
        set.stop();
      }
    });
  }
});

Deno.test("a backend that never answers its check fails it within hcinterval", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const logger = testLogger();
  const set = startBalancers(
    balancersOf(
      `BalancerMember: balancer://app http://127.0.0.1:${listener.addr.port}/ hcmethod=GET hcinterval=200ms`,
    ),
    { logger },
  );
  try {
    const took = await waitUntil(
      () => set.snapshot()[0]!.members[0]!.condition === "hcfail",
      5_000,
      "failed",
    );
    assert.ok(took < 200 + 1_000, `failed after ${Math.round(took)} ms`);
    assert.ok(
      logger.entries.some((e) => e.message.includes("(no answer within hcinterval): taken out")),
    );
  } finally {
    set.stop();
    listener.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
});
