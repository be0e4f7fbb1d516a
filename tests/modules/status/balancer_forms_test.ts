import assert from "node:assert/strict";
import { parsePrometheusTextFormat } from "../../_dev_deps.ts";
import {
  formatAuto,
  formatMetrics,
  renderStatusPage,
  statusReport,
} from "../../../modules/status/mod.ts";
import { BALANCERS, INPUT } from "./_report_fixture.ts";

const REPORT = statusReport({ ...INPUT, balancers: BALANCERS });

Deno.test("formatAuto() adds one BalancerMember line per member after httpd's lines", () => {
  const lines = formatAuto(REPORT, "localhost").trimEnd().split("\n");
  const scoreboard = lines.findIndex((line) => line.startsWith("Scoreboard: "));
  assert.deepEqual(lines.slice(scoreboard + 1), [
    "BalancerMember: balancer://app http://127.0.0.1:8081/ state=ok route=a loadfactor=1 requests=12 errors=0 busy=1 bytes=12288 hcmethod=GET lastcheck=passed",
    "BalancerMember: balancer://app http://127.0.0.1:8082/ state=hcfail route=- loadfactor=2 requests=3 errors=1 busy=0 bytes=2048 hcmethod=TCP lastcheck=failed",
  ]);
});

Deno.test("formatMetrics() exposes each member's state, counts and last check", () => {
  const parsed = parsePrometheusTextFormat(formatMetrics(REPORT)) as {
    name: string;
    type: string;
    metrics: { value: string; labels: Record<string, string> }[];
  }[];
  const samples = (name: string) =>
    parsed.find((f) => f.name === name)!.metrics.map((m) => [m.labels, Number(m.value)]);
  const b = { balancer: "app", member: "http://127.0.0.1:8081/" };
  const c = { balancer: "app", member: "http://127.0.0.1:8082/" };
  assert.deepEqual(
    samples("mpmd_balancer_member_state").filter(([, value]) => value === 1),
    [[{ ...b, state: "ok" }, 1], [{ ...c, state: "hcfail" }, 1]],
  );
  assert.equal(samples("mpmd_balancer_member_state").length, 14, "7 states × 2 members");
  assert.deepEqual(samples("mpmd_balancer_member_requests_total"), [[b, 12], [c, 3]]);
  assert.deepEqual(samples("mpmd_balancer_member_errors_total"), [[b, 0], [c, 1]]);
  assert.deepEqual(samples("mpmd_balancer_member_busy"), [[b, 1], [c, 0]]);
  assert.deepEqual(samples("mpmd_balancer_member_bytes_total"), [[b, 12_288], [c, 2_048]]);
  assert.deepEqual(samples("mpmd_balancer_member_last_check_passed"), [[b, 1], [c, 0]]);
  assert.equal(
    parsed.find((f) => f.name === "mpmd_balancer_member_requests_total")!.type,
    "COUNTER",
  );
});

Deno.test("formatMetrics() and the page say nothing of balancers when there are none", () => {
  const plain = statusReport(INPUT);
  assert.doesNotMatch(formatMetrics(plain), /mpmd_balancer/);
  assert.doesNotMatch(renderStatusPage(plain, PAGE), /balancer:/);
});

const PAGE = {
  hostname: "localhost",
  location: "/server-status",
  metricsLocation: null,
  refreshSeconds: null,
  noTables: false,
} as const;

Deno.test("renderStatusPage() shows each balancer's members as the serving slot sees them", () => {
  const page = renderStatusPage(REPORT, PAGE);
  const table = /<table id="balancer-app">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? "";
  assert.match(
    page,
    /balancer:\/\/app \(byrequests, sticky ROUTEID\) as the slot serving this page sees it/,
  );
  assert.match(
    table,
    /<td>http:\/\/127\.0\.0\.1:8081\/<\/td><td>a<\/td><td>1<\/td><td>ok<\/td><td>12<\/td>/,
  );
  assert.match(
    table,
    /<td>http:\/\/127\.0\.0\.1:8082\/<\/td><td>—<\/td><td>2<\/td><td>hcfail<\/td>/,
  );
  assert.doesNotMatch(renderStatusPage(REPORT, { ...PAGE, noTables: true }), /balancer-app/);
});
