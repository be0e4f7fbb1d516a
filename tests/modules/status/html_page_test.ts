import assert from "node:assert/strict";
import { renderStatusPage, statusReport } from "../../../modules/status/mod.ts";
import { INPUT } from "./_report_fixture.ts";

const OPTIONS = {
  hostname: "localhost",
  location: "/server-status",
  metricsLocation: "/metrics",
  refreshSeconds: null,
  noTables: true,
};

Deno.test("renderStatusPage() shows TLS handshakes and requests by protocol in the summary", () => {
  const page = renderStatusPage(statusReport(INPUT), OPTIONS);
  const card = (name: string) =>
    new RegExp(`<dt>${name}</dt><dd>([^<]*)<small>([^<]*)</small>`).exec(page)?.slice(1);
  assert.deepEqual(card("TLS"), [
    "42 handshakes",
    "failed: 1 version · 2 not_tls · 3 timeout · 1 other",
  ]);
  assert.deepEqual(card("Protocols"), [
    "HTTP/1.0 5 · HTTP/1.1 45 · HTTP/2 20",
    "requests by protocol",
  ]);
});
