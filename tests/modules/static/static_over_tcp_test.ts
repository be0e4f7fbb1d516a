/**
 * The static-file rules replayed over real sockets against the real mpmd: what the engine
 * and the handler do together for requests sent byte for byte as an attacker would.
 */
import assert from "node:assert/strict";
import { RawClient } from "../../server/http/_raw_client.ts";
import { startMpmd } from "../../_server.ts";
import { createStaticFixture } from "./_fixture.ts";
import { TRAVERSAL_CASES } from "./_traversal_cases.ts";

Deno.test("mpmd never serves a file outside DocumentRoot over TCP", async (t) => {
  await using fixture = await createStaticFixture();
  await using server = await startMpmd(
    `Listen: ["127.0.0.1:0"]\nDocumentRoot: ${fixture.root}\n`,
  );
  for (const c of TRAVERSAL_CASES) {
    await t.step(`GET ${c.path} → ${c.expectStatus} (${c.why})`, async () => {
      await using client = await RawClient.connect(server.port);
      await client.send(`GET ${c.path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      const response = await client.readResponse();
      assert.equal(response.status, c.expectStatus);
      assert.ok(!response.text.includes(fixture.secret), "the secret never leaks");
    });
  }
  await t.step("the server still serves after every rejection", async () => {
    const response = await fetch(`${server.origin}/one-k.bin`);
    assert.equal(response.status, 200);
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), fixture.oneK);
  });
});

Deno.test("mpmd serves ranges, conditionals and precompressed files end to end (curl)", async (t) => {
  await using fixture = await createStaticFixture();
  await using server = await startMpmd(
    `Listen: ["127.0.0.1:0"]\nDocumentRoot: ${fixture.root}\n`,
  );
  const curl = async (...args: string[]) => {
    const out = await new Deno.Command("curl", {
      args: ["-s", "-D", "-", "-o", "/dev/null", ...args],
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    return new TextDecoder().decode(out.stdout);
  };
  await t.step("a byte range → 206 with Content-Range", async () => {
    const head = await curl("-r", "10-19", `${server.origin}/one-k.bin`);
    assert.match(head, /^HTTP\/1\.1 206 Partial Content\r\n/);
    assert.match(head, /\r\nContent-Range: bytes 10-19\/1024\r\n/i);
    assert.match(head, /\r\nContent-Length: 10\r\n/i);
  });
  await t.step("If-None-Match with the ETag → 304", async () => {
    const first = await curl(`${server.origin}/one-k.bin`);
    const etag = /\r\nETag: ("[^"]+")\r\n/i.exec(first)?.[1];
    assert.ok(etag);
    const again = await curl("-H", `If-None-Match: ${etag}`, `${server.origin}/one-k.bin`);
    assert.match(again, /^HTTP\/1\.1 304 Not Modified\r\n/);
  });
  await t.step("Accept-Encoding: br → the .br sibling with Vary", async () => {
    const head = await curl("-H", "Accept-Encoding: br, gzip", `${server.origin}/style.css`);
    assert.match(head, /\r\nContent-Encoding: br\r\n/i);
    assert.match(head, /\r\nVary: Accept-Encoding\r\n/i);
    assert.match(head, /\r\nContent-Type: text\/css/i);
  });
});
