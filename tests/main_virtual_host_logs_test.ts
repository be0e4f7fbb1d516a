import assert from "node:assert/strict";
import { join } from "node:path";
import { startMpmd, type TestServer } from "./_server.ts";

/** The status line and body of a GET with this Host field, over raw TCP (HTTP/1.0). */
async function get(server: TestServer, host: string, path: string): Promise<string> {
  using conn = await Deno.connect({ hostname: server.hostname, port: server.port });
  await conn.write(new TextEncoder().encode(`GET ${path} HTTP/1.0\r\nHost: ${host}\r\n\r\n`));
  const answer = await new Response(conn.readable).text();
  return `${answer.split("\r\n", 1)[0]}\n${answer.slice(answer.indexOf("\r\n\r\n") + 4)}`;
}

Deno.test("a virtual host's ErrorLog and LogLevel take the entries about its requests", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd-vhost-logs-" });
  try {
    for (const site of ["a", "b", "c"]) await Deno.mkdir(join(dir, site));
    const aLog = join(dir, "a-error.log");
    const server = await startMpmd(`
Listen: [127.0.0.1:0]
ServerTokens: Prod
LogLevel: info
DocumentRoot: ${dir}/c
VirtualHost:
  - Address: "*"
    ServerName: c.test
  - Address: "*"
    ServerName: a.test
    DocumentRoot: ${dir}/a
    ErrorLog: ${aLog}
    LogLevel: debug
    ServerSignature: On
  - Address: "*"
    ServerName: b.test
    DocumentRoot: ${dir}/b
    LogLevel: debug
`);
    try {
      const page = await get(server, "a.test", "/in-a");
      assert.match(page, /^HTTP\/1\.1 404 /);
      assert.match(page, /<address>mpmd Server at a\.test Port 80<\/address>/);
      // b.test writes the server's log (stderr here), at its own LogLevel.
      assert.match(await get(server, "b.test", "/in-b"), /^HTTP\/1\.1 404 /);
      await server.waitForLog(/GET \/in-b answered 404/);
      // c.test has the server's LogLevel, info: a 404 (logged at debug) is not written.
      assert.match(await get(server, "c.test", "/in-c"), /^HTTP\/1\.1 404 /);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const stderr = server.stderr.join("\n");
    assert.doesNotMatch(stderr, /\/in-a|\/in-c/);
    const own = await Deno.readTextFile(aLog);
    assert.match(own, /\[core:debug\] \[pid \d+:tid \d+\] GET \/in-a answered 404/);
    // Only a.test's requests: startup, shutdown and other hosts stay in the server's log.
    assert.doesNotMatch(own, /in-b|in-c|Listening on|shutting down/);
    assert.match(stderr, /Listening on/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
