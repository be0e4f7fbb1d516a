import assert from "node:assert/strict";
import { eventually } from "../../_deadline.ts";
import {
  caseConfig,
  caseName,
  type MpmCase,
  ONE_CHILD_TWO_THREADS,
} from "../../mpm/machinery/_mpm.ts";
import { startMpmd } from "../../_server.ts";
import { type Echo, startEchoBackend } from "./_backends.ts";

/** The MPMs the proxy is checked under, each in a pool small enough for a test machine. */
const PROXY_MPMS: readonly MpmCase[] = [
  { mpm: "prefork", section: { StartServers: 2, MinSpareServers: 2, MaxSpareServers: 4 } },
  { mpm: "worker", section: ONE_CHILD_TWO_THREADS },
  { mpm: "event", section: ONE_CHILD_TWO_THREADS },
  { mpm: "event", section: ONE_CHILD_TWO_THREADS, engine: "native" },
];

const HELLO_APP = new URL("../../../examples/apps/hello/app.ts", import.meta.url).pathname;

for (const mpmCase of PROXY_MPMS) {
  Deno.test(`the proxy under ${caseName(mpmCase)}: node:http and an app under mpmd as backends, logged and counted`, async () => {
    await using echo = await startEchoBackend();
    // An app served by mpmd itself, in one process (-X).
    await using app = await startMpmd(null, [HELLO_APP, "-X", "-p", "0"]);
    const accessLog = await Deno.makeTempFile({ suffix: "_access_log" });
    try {
      await using server = await startMpmd(caseConfig(
        mpmCase,
        [
          `ProxyPass: ["/node ${echo.origin}/api", "/hello ${app.origin}/"]`,
          `CustomLog: ["${accessLog} common"]`,
          "Status: { Location: /server-status, Allow: [local] }",
          "ExtendedStatus: On",
        ].join("\n"),
      ));
      const seen = await (await fetch(`${server.origin}/node/x?y=1`)).json() as Echo;
      assert.equal(seen.url, "/api/x?y=1");
      const posted = await fetch(`${server.origin}/node/up`, {
        method: "POST",
        body: "z".repeat(70_000),
      });
      assert.equal((await posted.json() as Echo).received, 70_000);
      const hello = await fetch(`${server.origin}/hello/`);
      assert.equal(hello.status, 200);
      assert.equal(await hello.text(), "Hello, world\n");

      // The access log records proxied requests with their status and size.
      await eventually(
        async () => /"GET \/hello\/ HTTP\/1\.1" 200 13$/m.test(await Deno.readTextFile(accessLog)),
        "the proxied request in the access log",
        10_000,
      );
      // The scoreboard counts them: three requests and more answered.
      await eventually(
        async () => {
          const auto = await (await fetch(`${server.origin}/server-status?auto`)).text();
          return Number(/^Total Accesses: (\d+)$/m.exec(auto)?.[1] ?? 0) >= 3;
        },
        "the proxied requests counted on the status page",
        10_000,
      );
    } finally {
      await Deno.remove(accessLog);
    }
  });
}
