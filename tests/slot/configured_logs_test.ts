import assert from "node:assert/strict";
import { join } from "node:path";
import { createErrorLog, createMemorySink } from "../../server/log/mod.ts";
import { checkHostLogs, openHostErrorLogs } from "../../slot/mod.ts";
import { parseConfigText } from "../../server/config/readers/mod.ts";
import { ConfigErrors } from "../../server/config/mod.ts";

/** A config of four virtual hosts under `dir`: two share a file, one only sets a LogLevel. */
function config(dir: string) {
  const yaml = `
Listen: 8080
DocumentRoot: ${dir}
VirtualHost:
  - { Address: "*", ServerName: a.test, ErrorLog: shared.log }
  - { Address: "*", ServerName: b.test, ErrorLog: shared.log, LogLevel: debug }
  - { Address: "*", ServerName: c.test, LogLevel: debug }
  - { Address: "*", ServerName: d.test }
`;
  return parseConfigText(yaml, { file: join(dir, "mpmd.yaml"), platformDefaultMpm: "event" })
    .config;
}

Deno.test("openHostErrorLogs() opens each host's own file once and keeps each host's level", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_host_logs_" });
  try {
    const sink = createMemorySink();
    const server = createErrorLog({ level: "warn", sink });
    const logs = openHostErrorLogs(config(dir), server);
    const [main, a, b, c, d] = logs.byHost;
    // The server's log at the server's level: the very logger, nothing derived.
    assert.equal(main, server);
    assert.equal(d, server);
    a!.warn("a warns");
    a!.debug("a debug, dropped");
    b!.debug("b debug");
    c!.debug("c debug");
    await logs.close();
    const shared = await Deno.readTextFile(join(dir, "shared.log"));
    assert.match(shared, /\[core:warn\].* a warns\n.*\[core:debug\].* b debug\n$/);
    assert.equal(sink.lines.length, 1);
    assert.match(sink.lines[0]!, /\[core:debug\].* c debug$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkHostLogs() refuses a virtual host's ErrorLog it cannot open", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_host_logs_" });
  try {
    const loaded = config(dir);
    await Deno.mkdir(join(dir, "shared.log"));
    const logger = createErrorLog({ level: "warn", sink: createMemorySink() });
    await assert.rejects(() => checkHostLogs(loaded, logger), ConfigErrors);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
