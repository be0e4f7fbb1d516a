import assert from "node:assert/strict";
import { childProcessConfig } from "../../../mpm/machinery/_child.ts";
import { ConfigErrors } from "../../../server/config/mod.ts";
import { parseConfigText } from "../../../server/config/readers/mod.ts";
import { mpmConfig, ONE_CHILD_TWO_THREADS, startMpmd } from "./_mpm.ts";

Deno.test("childProcessConfig() sends a child's stdout access logs to the parent's stdout", async (t) => {
  const withLogs = (...paths: string[]) =>
    parseConfigText(
      `Listen: 8080\nCustomLog: [${paths.map((path) => `"${path} %h"`).join(", ")}]\n`,
      { file: "/srv/mpmd.yaml", platformDefaultMpm: "event" },
    ).config;
  await t.step("no stdout log: the configuration as it is", () => {
    const config = withLogs("stderr", "/var/log/access.log");
    assert.equal(childProcessConfig(config, null), config);
  });
  await t.step("stdout: the parent's stdout path instead", () => {
    const child = childProcessConfig(withLogs("stdout", "stderr"), "/proc/7/fd/1");
    assert.deepEqual(child.hosts[0].customLogs.map((log) => log.path), ["/proc/7/fd/1", "stderr"]);
  });
  await t.step("stdout with no path for it: refused at CustomLog", () => {
    assert.throws(() => childProcessConfig(withLogs("stdout"), null), (e: unknown) => {
      assert.ok(e instanceof ConfigErrors);
      assert.equal(e.errors[0]?.directive, "CustomLog");
      assert.match(
        e.message,
        /Cannot log to stdout from child processes: .*log to stderr or a file/,
      );
      return true;
    });
  });
});

// A child's own stdout is its message pipe: access lines written there would corrupt it.
for (const mpm of ["prefork", "event"] as const) {
  Deno.test(`${mpm}: CustomLog stdout reaches the server's stdout from every child`, async () => {
    const section = mpm === "prefork"
      ? { StartServers: 2, MinSpareServers: 1, MaxSpareServers: 3 }
      : ONE_CHILD_TWO_THREADS;
    const server = await startMpmd(
      mpmConfig(mpm, section, `CustomLog: ['stdout "%>s %U"']`),
      [],
      { captureStdout: true },
    );
    const paths = ["/hello.txt", "/index.html", "/missing"];
    for (const path of paths) {
      const response = await fetch(`${server.origin}${path}`, { headers: { connection: "close" } });
      await response.body?.cancel();
    }
    assert.equal(await server.stop("SIGTERM"), 0, server.stderr.join("\n"));
    assert.deepEqual(
      (await server.stdout).trimEnd().split("\n").sort(),
      ["200 /hello.txt", "200 /index.html", "404 /missing"],
    );
    assert.ok(!server.stderr.some((line) => /Cannot read the messages/.test(line)));
  });
}
