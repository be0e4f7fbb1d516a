/**
 * The serving slot end to end: the real mpmd with access and error logs in files.
 */
import assert from "node:assert/strict";
import { RawClient } from "../server/http/_raw_client.ts";
import { SMALL_POOL, startMpmd } from "../_server.ts";

const SITE = new URL("../../examples/site/", import.meta.url).pathname;

Deno.test("mpmd writes access-log lines in the configured formats", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_logs_" });
  try {
    await using server = await startMpmd([
      `Listen: ["127.0.0.1:0"]`,
      `DocumentRoot: ${SITE}`,
      `CustomLog:`,
      `  - ${dir}/access.log combined`,
      `  - path: ${dir}/custom.log`,
      `    format: '%m %U%q %>s %B %{X-Test}i %k %X %v'`,
    ].join("\n"));
    const ok = await fetch(`${server.origin}/hello.txt?x=1`, {
      headers: { "User-Agent": "mpmd-test/1", "Referer": "http://ref.test/", "X-Test": "yes" },
    });
    assert.equal(await ok.text(), "Hello from mpmd.\n");
    const missing = await fetch(`${server.origin}/nope`);
    await missing.body?.cancel();
    {
      await using client = await RawClient.connect(server.port);
      await client.send("GET /bad path HTTP/1.1\r\nHost: x\r\n\r\n");
      assert.equal((await client.readResponse()).status, 400);
    }
    assert.equal(await server.stop("SIGTERM"), 0);

    // Each slot writes its own lines: across slots (processes, Workers) the order is free.
    const lines = (await Deno.readTextFile(`${dir}/access.log`)).trimEnd().split("\n");
    assert.equal(lines.length, 3);
    const access = ["/hello.txt", "/nope", " 400 "].map((part) =>
      lines.find((line) => line.includes(part)) ?? `no line with ${part}`
    );
    const t = String.raw`\[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\]`;
    assert.match(
      access[0]!,
      new RegExp(
        String
          .raw`^127\.0\.0\.1 - - ${t} "GET /hello\.txt\?x=1 HTTP/1\.1" 200 17 "http://ref\.test/" "mpmd-test/1"$`,
      ),
    );
    assert.match(
      access[1]!,
      new RegExp(String.raw`^127\.0\.0\.1 - - ${t} "GET /nope HTTP/1\.1" 404 \d+ "-" "[^"]*"$`),
    );
    assert.match(access[2]!, /" 400 \d+ "-" "-"$/);

    const customLines = (await Deno.readTextFile(`${dir}/custom.log`)).trimEnd().split("\n");
    const custom = ["GET /hello.txt", "GET /nope"].map((part) =>
      customLines.find((line) => line.startsWith(part)) ?? `no line with ${part}`
    );
    assert.equal(custom[0], "GET /hello.txt?x=1 200 17 yes 0 + localhost");
    assert.match(custom[1]!, /^GET \/nope 404 \d+ - 1 \+ localhost$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mpmd writes its error log to the ErrorLog file at LogLevel", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_logs_" });
  try {
    const errorLog = `${dir}/error.log`;
    const file = `${dir}/mpmd.yaml`;
    await Deno.writeTextFile(
      file,
      `Listen: ["127.0.0.1:0"]\nDocumentRoot: ${SITE}\nErrorLog: ${errorLog}\nLogLevel: info\n` +
        SMALL_POOL,
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../../main.ts", import.meta.url).pathname, "-f", file],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // The readiness line goes to the ErrorLog file, not to stderr: poll the file.
    const deadline = Date.now() + 20_000;
    let text = "";
    while (!/Listening on http:\/\/127\.0\.0\.1:\d+\//.test(text)) {
      assert.ok(Date.now() < deadline, `no readiness line in ${errorLog}: ${text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      text = await Deno.readTextFile(errorLog).catch(() => "");
    }
    child.kill("SIGTERM");
    const { code, stderr } = await child.output();
    assert.equal(code, 0);
    assert.equal(new TextDecoder().decode(stderr), "");
    const lines = (await Deno.readTextFile(errorLog)).trimEnd().split("\n");
    const layout =
      /^\[[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2}\.\d{6} \d{4}\] \[[a-z_]+:[a-z0-9]+\] \[pid \d+:tid \d+\] .+$/;
    for (const line of lines) assert.match(line, layout);
    assert.ok(
      lines.some((line) =>
        line.includes("[mpm_event:notice]") && line.endsWith("caught SIGTERM, shutting down")
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
