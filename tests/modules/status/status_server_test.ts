import assert from "node:assert/strict";
import { Ajv } from "../../_dev_deps.ts";
import { parsePrometheusTextFormat } from "../../_dev_deps.ts";
import type { StatusReport } from "../../../modules/status/mod.ts";
import { FLUSH_INTERVAL_MS } from "../../../scoreboard/mod.ts";
import { eventually, within } from "../../_deadline.ts";
import { AUTO_FIELDS, CONDITIONAL_FIELDS, MPMD_AUTO_FIELDS } from "./_httpd_auto.ts";
import {
  FAULTY_APP,
  mpmConfig,
  ONE_CHILD_TWO_THREADS,
  startMpmd,
} from "../../mpm/machinery/_mpm.ts";

const STATUS = "Status: /server-status";
const SCHEMA = JSON.parse(
  await Deno.readTextFile(new URL("../../../docs/status.schema.json", import.meta.url)),
);
/** Long enough that the slow requests are still in flight while the page is polled. */
const SLOW_MS = 6_000;
const DEADLINE_MS = 15_000;
/**
 * Reads that count each other are spaced by more than a flush interval: a read answered by
 * another process shows in this one's view only once that process has flushed its region.
 */
const PACE_MS = FLUSH_INTERVAL_MS + 50;

/**
 * `?auto` parsed line by line: the host line, then `Name: value` fields. With `patienceMs` a
 * read that waits longer is given up (`null`): under prefork a connection hashed to a child
 * busy with a slow request waits for it, and a new connection lands elsewhere.
 */
async function auto(origin: string): Promise<Map<string, string>>;
async function auto(origin: string, patienceMs: number): Promise<Map<string, string> | null>;
async function auto(origin: string, patienceMs?: number): Promise<Map<string, string> | null> {
  let response: Response;
  try {
    // Each read on a connection of its own: reads spread over the slots, where a kept-alive
    // connection would stay with one slot, perhaps the one running the slow requests.
    response = await fetch(`${origin}/server-status?auto`, {
      headers: { connection: "close" },
      ...(patienceMs !== undefined && { signal: AbortSignal.timeout(patienceMs) }),
    });
  } catch (error) {
    if (patienceMs !== undefined && error instanceof DOMException) return null;
    throw error;
  }
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
  const [host, ...lines] = (await response.text()).trimEnd().split("\n");
  assert.equal(host, "127.0.0.1");
  const fields = new Map<string, string>();
  for (const line of lines) {
    const match = /^([A-Za-z0-9 ]+): (.*)$/.exec(line);
    assert.ok(match, `not a "Name: value" line: ${JSON.stringify(line)}`);
    fields.set(match[1]!, match[2]!);
  }
  return fields;
}

/** A metric family as parse-prometheus-text-format returns it. */
interface Family {
  readonly name: string;
  readonly type: string;
  readonly metrics: {
    readonly value?: string;
    readonly count?: string;
    readonly buckets?: Record<string, string>;
    readonly labels?: Record<string, string>;
  }[];
}

/** Slots sending a reply (`W`) on the scoreboard line of a `?auto` read. */
const writing = (fields: Map<string, string>) =>
  (fields.get("Scoreboard")!.match(/W/g) ?? []).length;

const number = (fields: Map<string, string>, name: string) => {
  const value = Number(fields.get(name));
  assert.ok(Number.isFinite(value), `${name} is ${fields.get(name)}`);
  return value;
};

const EVENT_SECTION = {
  StartServers: 2,
  ThreadsPerChild: 2,
  MinSpareThreads: 1,
  MaxSpareThreads: 8,
  ThreadLimit: 4,
  ServerLimit: 3,
  MaxRequestWorkers: 12,
};

const CASES = [
  { name: "event", mpm: "event", extra: "", section: EVENT_SECTION, slots: 3 * 4 },
  {
    name: "event on the native engine",
    mpm: "event",
    extra: "HttpEngine: native",
    section: EVENT_SECTION,
    slots: 3 * 4,
  },
  {
    name: "prefork",
    mpm: "prefork",
    // A prefork child held by an idle keep-alive connection of the test's own client would
    // make the next requests hashed to it wait: every request here comes on its own.
    extra: "KeepAlive: Off",
    section: {
      StartServers: 4,
      MinSpareServers: 1,
      MaxSpareServers: 8,
      ServerLimit: 8,
      MaxRequestWorkers: 8,
    },
    slots: 8,
  },
];

for (const c of CASES) {
  Deno.test(`server-status under ${c.name}: ?auto counts what was sent and what is in flight`, async (t) => {
    await using server = await startMpmd(
      mpmConfig(c.mpm, c.section, `${STATUS}\n${FAULTY_APP}\n${c.extra}`),
    );
    const { origin } = server;

    await t.step("every field has httpd's name, place and form", async () => {
      await fetch(`${origin}/hello.txt`).then((r) => r.arrayBuffer());
      // Served by another process, the request shows once that process has flushed.
      const fields = await eventually(
        async () => {
          const f = await auto(origin);
          return f.has("BytesPerReq") && f;
        },
        "the first request counted",
        DEADLINE_MS,
      );
      const expected = [
        ...AUTO_FIELDS.filter(([name]) => !CONDITIONAL_FIELDS.has(name) || fields.has(name)),
        ...MPMD_AUTO_FIELDS,
      ];
      assert.deepEqual([...fields.keys()], expected.map(([name]) => name));
      for (const [name, form] of expected) assert.match(fields.get(name)!, form, name);
      assert.ok(fields.has("DurationPerReq"));
    });

    await t.step("the Scoreboard holds ServerLimit × ThreadLimit slots", async () => {
      const fields = await auto(origin);
      assert.match(fields.get("Scoreboard")!, /^[_SRWKDCLGI.]+$/);
      assert.equal(fields.get("Scoreboard")!.length, c.slots);
      assert.equal(fields.get("ServerMPM"), c.mpm);
      assert.equal(fields.has("ConnsTotal"), c.mpm === "event");
    });

    await t.step("Total Accesses and Total kBytes match the requests sent", async () => {
      const SENT = 120;
      const body = await (await fetch(`${origin}/hello.txt`)).arrayBuffer();
      // Settled: three reads in a row count only themselves (nothing else is in flight and
      // every process's region has been flushed). This runs before any read is given up:
      // one given up while queued behind a slow request would still be served, and counted.
      let previous = -Infinity;
      let steady = 0;
      const before = await eventually(
        async () => {
          const f = await auto(origin);
          const accesses = number(f, "Total Accesses");
          steady = accesses === previous + 1 ? steady + 1 : 0;
          previous = accesses;
          return steady >= 2 && f;
        },
        "settled Total Accesses",
        DEADLINE_MS,
        PACE_MS,
      );
      const base = number(before, "Total Accesses");
      const baseBytes = number(before, "Total kBytes");
      for (let i = 0; i < SENT; i += 10) {
        await Promise.all(
          Array.from(
            { length: 10 },
            () => fetch(`${origin}/hello.txt`).then((r) => r.arrayBuffer()),
          ),
        );
      }
      // Each ?auto read counts once it is answered; the file is at most one flush behind.
      let reads = 0;
      const after = await eventually(
        async () => {
          const f = await auto(origin);
          reads++;
          return number(f, "Total Accesses") - (reads - 1) === base + 1 + SENT && f;
        },
        `${SENT} more accesses`,
        DEADLINE_MS,
        PACE_MS,
      );
      const kBytes = number(after, "Total kBytes") - baseBytes;
      const expected = (SENT * body.byteLength) / 1024;
      // Status pages sent in between add their bytes too: at least what was sent.
      assert.ok(kBytes >= Math.floor(expected) - 1, `${kBytes} kB for ${expected} kB sent`);
      const uptime = number(after, "Uptime");
      const rate = uptime === 0 ? 0 : number(after, "Total Accesses") / uptime;
      assert.ok(Math.abs(number(after, "ReqPerSec") - rate) <= rate * 1e-5, "ReqPerSec");
      assert.ok(number(after, "DurationPerReq") >= 0);
    });

    await t.step("BusyWorkers counts the requests in flight", async () => {
      const slow = Array.from(
        { length: 2 },
        () => fetch(`${origin}/app/slow?ms=${SLOW_MS}`).then((r) => r.text()),
      );
      // Under prefork the status request's child is busy, and so are the slow ones'. An event
      // thread multiplexes: all three may share one, which is then the only busy worker; the
      // requests in flight show as connections that are not parked.
      const threads = c.mpm === "event";
      const fields = await eventually(
        async () => {
          const f = await auto(origin, 1_000);
          if (f === null) return false;
          if (!threads) return writing(f) >= 3 && f;
          const inFlight = number(f, "ConnsTotal") - number(f, "ConnsAsyncKeepAlive");
          return number(f, "BusyWorkers") >= 1 && inFlight >= 3 && f;
        },
        "3 requests in flight",
        DEADLINE_MS,
      );
      // Busy is every state but open, starting, idle and idle-retiring, as httpd counts it:
      // a slot reading a request (R) or holding a kept-alive connection (K) is busy too.
      const busy = (fields.get("Scoreboard")!.match(/[^._SI]/g) ?? []).length;
      assert.equal(busy, number(fields, "BusyWorkers"));
      assert.equal(number(fields, "BusyWorkers") + number(fields, "IdleWorkers") <= c.slots, true);
      assert.deepEqual(await within(Promise.all(slow), "slow answers", DEADLINE_MS + SLOW_MS), [
        "slow done\n",
        "slow done\n",
      ]);
    });

    await t.step("?json follows docs/status.schema.json and agrees with ?auto", async () => {
      const response = await fetch(`${origin}/server-status?json`);
      assert.equal(response.headers.get("content-type"), "application/json");
      const report: StatusReport = await response.json();
      const validate = new Ajv({ allErrors: true }).compile(SCHEMA);
      assert.equal(validate(report), true, JSON.stringify(validate.errors));
      assert.equal(report.scoreboard.length, c.slots);
      assert.equal(report.server.mpm, c.mpm);
      const own = report.slots.find((slot) => slot.request === "GET /server-status?json HTTP/1.1");
      assert.deepEqual([own?.state, own?.client, own?.vhost], ["W", "127.0.0.1", "localhost"]);
      assert.ok(report.totals.durationBuckets.reduce((a, b) => a + b) > 0);
      // Every request so far came over plain HTTP/1.1 (fetch) and no TLS at all.
      assert.ok(report.totals.requestsByProtocol["HTTP/1.1"] > 0);
      assert.equal(report.totals.tls.handshakes, 0);
    });

    await t.step("/metrics parses as Prometheus text and agrees with ?auto", async () => {
      // The slow requests' slots may be a flush behind their answers: wait for both.
      const byName = await eventually(
        async () => {
          const response = await fetch(`${origin}/metrics`);
          assert.match(response.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
          const parsed = new Map(
            (parsePrometheusTextFormat(await response.text()) as Family[]).map((f) => [f.name, f]),
          );
          const buckets = parsed.get("mpmd_request_duration_seconds")?.metrics[0]?.buckets;
          return Number(buckets?.["10"]) - Number(buckets?.["5"]) >= 2 && parsed;
        },
        "both slow requests in the 5-10 s bucket",
        DEADLINE_MS,
      );
      const requests = Number(byName.get("mpmd_requests_total")?.metrics[0]?.value);
      // The slow requests were GETs answered 200.
      const responses = byName.get("mpmd_responses_total")?.metrics ?? [];
      const getOk = responses.find((m) => m.labels?.method === "GET" && m.labels?.code === "2xx");
      assert.ok(Number(getOk?.value) >= 2, JSON.stringify(responses));
      const histogram = byName.get("mpmd_request_duration_seconds");
      assert.equal(histogram?.type, "HISTOGRAM");
      assert.equal(Number(histogram?.metrics[0]?.count), requests);
      // Another process answering ?auto may see this one's region a flush later, and its own
      // status reads can make up the count meanwhile: wait for the slow requests' durations
      // too (timers may fire a millisecond early by the wall clock: what the buckets say, 5 s
      // each).
      await eventually(
        async () => {
          const f = await auto(origin);
          return number(f, "Total Accesses") >= requests &&
            number(f, "Total Duration") >= 2 * 5_000;
        },
        `Total Accesses catching up with ${requests}, and both slow requests' durations`,
        DEADLINE_MS,
      );
      assert.ok(requests > 0);
      const slots = byName.get("mpmd_slots")!.metrics;
      const total = slots.reduce((sum, metric) => sum + Number(metric.value), 0);
      assert.equal(total, c.slots);
    });
  });
}

Deno.test("server-status refuses clients outside Allow with 403, and the server keeps serving", async () => {
  await using server = await startMpmd(mpmConfig(
    "event",
    ONE_CHILD_TWO_THREADS,
    [
      "Status:",
      "  Location: /server-status",
      '  Allow: [10.0.0.0/8, "::1"]',
    ].join("\n"),
  ));
  for (const path of ["/server-status", "/server-status?auto", "/metrics"]) {
    const response = await fetch(`${server.origin}${path}`);
    assert.equal(response.status, 403, path);
    assert.doesNotMatch(await response.text(), /Allow|10\.0\.0\.0/);
  }
  assert.equal((await fetch(`${server.origin}/hello.txt`)).status, 200);
  const post = await fetch(`${server.origin}/server-status`, { method: "POST", body: "x" });
  await post.body?.cancel();
  assert.equal(post.status, 403, "the address is checked before the method");
});

Deno.test("server-status answers GET and HEAD only, and is absent unless configured", async () => {
  await using server = await startMpmd(mpmConfig("event", ONE_CHILD_TWO_THREADS, STATUS));
  const post = await fetch(`${server.origin}/server-status`, { method: "POST", body: "x" });
  await post.body?.cancel();
  assert.deepEqual([post.status, post.headers.get("allow")], [405, "GET, HEAD"]);
  const foo = await fetch(`${server.origin}/server-status`, { method: "FOO" });
  await foo.body?.cancel();
  assert.deepEqual([foo.status, foo.headers.get("allow")], [501, null]);
  const head = await fetch(`${server.origin}/server-status`, { method: "HEAD" });
  assert.deepEqual([head.status, head.headers.get("content-type")], [
    200,
    "text/html; charset=utf-8",
  ]);
  await using plain = await startMpmd(mpmConfig("event", ONE_CHILD_TWO_THREADS));
  const missing = await fetch(`${plain.origin}/server-status`);
  await missing.body?.cancel();
  assert.equal(missing.status, 404);
});

for (const engine of ["mpmd", "native"]) {
  Deno.test(`server-status under -X (HttpEngine ${engine}): one slot, kept in memory, counts its requests`, async () => {
    await using server = await startMpmd(
      mpmConfig("event", ONE_CHILD_TWO_THREADS, `${STATUS}\nHttpEngine: ${engine}`),
      ["-X"],
    );
    for (let i = 0; i < 5; i++) await (await fetch(`${server.origin}/hello.txt`)).arrayBuffer();
    const fields = await auto(server.origin);
    assert.equal(fields.get("Scoreboard"), "W", "one slot, busy with this very request");
    assert.equal(number(fields, "Total Accesses"), 5);
    assert.deepEqual([number(fields, "BusyWorkers"), number(fields, "IdleWorkers")], [1, 0]);
    assert.equal(number(fields, "Processes"), 1);
    const after = await auto(server.origin);
    assert.equal(number(after, "Total Accesses"), 6, "the first read counted once answered");
    const json: StatusReport = await (await fetch(`${server.origin}/server-status?json`)).json();
    assert.equal(json.processes[0]?.pid, server.pid, "the -X process itself");
    assert.equal(json.slots[0]?.request, "GET /server-status?json HTTP/1.1");
  });
}
