import assert from "node:assert/strict";
import { startMpmd } from "../../_server.ts";
import { eventually, within } from "../../_deadline.ts";
import { RawClient } from "../../server/http/_raw_client.ts";
import { type Echo, refusedPort, startEchoBackend, startMisbehavingBackend } from "./_backends.ts";

/** mpmd in front of the backends: the main host, and a virtual host that keeps the Host. */
function proxyConfig(echo: string, bad: string, refused: number, docRoot: string): string {
  return `
Listen: [127.0.0.1:0]
DocumentRoot: ${docRoot}
ServerName: front.test
ProxyTimeout: 1
ProxyPass:
  - /node/static !
  - /node ${echo}/app max=4
  - /bad ${bad}/
  - /refused http://127.0.0.1:${refused}/
ProxyPassMatch: ["^/m/(.*)\\\\.json$ ${echo}/matched/$1"]
ProxyPassReverse: ["/node ${echo}/app"]
ProxyPassReverseCookiePath: ["/app /node"]
VirtualHost:
  - Address: "*"
    ServerName: front.test
  - Address: "*"
    ServerName: preserve.test
    ProxyPreserveHost: On
    ProxyForwarded: On
`;
}

async function json(response: Response): Promise<Echo> {
  assert.equal(response.status, 200, await response.clone().text());
  return await response.json() as Echo;
}

Deno.test("ProxyPass in front of node:http and of misbehaving backends", async (t) => {
  await using echo = await startEchoBackend();
  await using bad = startMisbehavingBackend();
  const docRoot = await Deno.makeTempDir();
  await Deno.mkdir(`${docRoot}/node/static`, { recursive: true });
  await Deno.writeTextFile(`${docRoot}/node/static/local.txt`, "served locally\n");
  try {
    await using server = await startMpmd(
      proxyConfig(echo.origin, bad.origin, refusedPort(), docRoot),
    );
    const get = (path: string, init: RequestInit = {}) => fetch(`${server.origin}${path}`, init);

    await t.step(
      "maps the path and query, adds X-Forwarded-*, gives the backend its Host",
      async () => {
        const seen = await json(await get("/node/a/b?q=1&r"));
        assert.equal(seen.method, "GET");
        assert.equal(seen.url, "/app/a/b?q=1&r");
        assert.equal(seen.headers.host, echo.origin.slice("http://".length));
        assert.equal(seen.headers["x-forwarded-for"], "127.0.0.1");
        assert.equal(seen.headers["x-forwarded-host"], `127.0.0.1:${server.port}`);
        assert.equal(seen.headers["x-forwarded-server"], "front.test");
        assert.equal(seen.headers.forwarded, undefined);
      },
    );

    await t.step("ProxyPassMatch fills $1", async () => {
      assert.equal((await json(await get("/m/x/y.json"))).url, "/matched/x/y");
    });

    await t.step("a ! exclusion falls through to the static files", async () => {
      const response = await get("/node/static/local.txt");
      assert.equal(await response.text(), "served locally\n");
    });

    await t.step("removes hop-by-hop fields both ways", async () => {
      await using client = await RawClient.connect(server.port);
      await client.send(
        "GET /node/hop HTTP/1.1\r\nHost: front.test\r\nConnection: X-Client-Secret\r\n" +
          "X-Client-Secret: 1\r\nTE: trailers\r\nProxy-Authorization: Basic eDp5\r\nX-Kept: yes\r\n\r\n",
      );
      const response = await client.readResponse();
      assert.equal(response.status, 200);
      assert.equal(response.headers.has("x-backend-secret"), false);
      const seen = JSON.parse(response.text) as Echo;
      assert.equal(seen.headers["x-kept"], "yes");
      for (const name of ["x-client-secret", "te", "proxy-authorization"]) {
        assert.equal(seen.headers[name], undefined, name);
      }
    });

    await t.step("ProxyPassReverse rewrites Location, and the cookie paths", async () => {
      await using client = await RawClient.connect(server.port);
      await client.send("GET /node/redirect HTTP/1.1\r\nHost: front.test\r\n\r\n");
      const response = await client.readResponse();
      assert.equal(response.status, 302);
      assert.equal(response.headers.get("location"), "http://front.test/node/elsewhere?x=1");
      assert.deepEqual(
        response.fieldList.filter(([name]) => name.toLowerCase() === "set-cookie").map((f) => f[1]),
        ["a=1; Path=/node/cart; HttpOnly", "b=2; Path=/"],
      );
    });

    await t.step("ProxyPreserveHost and ProxyForwarded in a virtual host", async () => {
      await using client = await RawClient.connect(server.port);
      await client.send("GET /node/p HTTP/1.1\r\nHost: preserve.test\r\n\r\n");
      const seen = JSON.parse((await client.readResponse()).text) as Echo;
      assert.equal(seen.headers.host, "preserve.test");
      assert.equal(
        seen.headers.forwarded,
        'for=127.0.0.1;by=127.0.0.1;host="preserve.test";proto=http',
      );
    });

    await t.step(
      "forwards a body, and 100-continue is answered when the body is read",
      async () => {
        await using client = await RawClient.connect(server.port);
        await client.send(
          "POST /node/upload HTTP/1.1\r\nHost: front.test\r\nExpect: 100-continue\r\n" +
            "Content-Length: 11\r\n\r\n",
        );
        const interim = await client.readResponse();
        assert.equal(interim.status, 100);
        await client.send("hello world");
        const response = await client.readResponse();
        const seen = JSON.parse(response.text) as Echo;
        assert.equal(seen.received, 11);
        assert.equal(seen.headers.expect, undefined);
        assert.equal(seen.headers["content-length"], "11");
      },
    );

    await t.step("a chunked request body is forwarded chunked", async () => {
      await using client = await RawClient.connect(server.port);
      await client.send(
        "POST /node/chunks HTTP/1.1\r\nHost: front.test\r\nTransfer-Encoding: chunked\r\n\r\n" +
          "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
      );
      const seen = JSON.parse((await client.readResponse()).text) as Echo;
      assert.equal(seen.received, 11);
      assert.equal(seen.headers["transfer-encoding"], "chunked");
    });

    await t.step("an answer before the upload ends is passed on", async () => {
      const response = await get("/node/early", { method: "POST", body: "x".repeat(100_000) });
      assert.equal(response.status, 413);
      assert.equal(await response.text(), "early");
    });

    await t.step("reuses pooled connections, and retries once when one went stale", async () => {
      const before = echo.connections;
      for (let i = 0; i < 20; i++) await json(await get(`/node/reuse/${i}`));
      const opened = echo.connections - before;
      // Two threads, each with its own pool: far fewer connections than requests.
      assert.ok(opened <= 4, `${opened} connections for 20 requests`);
      echo.closeIdle();
      for (let i = 0; i < 4; i++) await json(await get(`/node/after-close/${i}`));
    });

    const failures = [
      {
        path: "/bad/garbage",
        status: 502,
        log:
          /Error from backend http:\/\/127\.0\.0\.1:\d+ for GET \/bad\/garbage: .*not an HTTP\/1\.x status line/,
      },
      {
        path: "/bad/bad-field",
        status: 502,
        log:
          /Error from backend .* for GET \/bad\/bad-field: .*whitespace between the name and the colon/,
      },
      {
        path: "/bad/hang-up",
        status: 502,
        log: /Error from backend .* for GET \/bad\/hang-up: .*closed the connection/,
      },
      {
        path: "/refused/x",
        status: 502,
        log: /Error from backend http:\/\/127\.0\.0\.1:\d+ for GET \/refused\/x: Cannot connect/,
      },
      {
        path: "/bad/silent",
        status: 504,
        log: /Timeout from backend .* for GET \/bad\/silent: no answer within 1000 ms/,
      },
    ];
    for (const f of failures) {
      await t.step(`${f.path}: ${f.status} and an error-log line naming the backend`, async () => {
        const response = await get(f.path);
        await response.body?.cancel();
        assert.equal(response.status, f.status);
        await server.waitForLog(f.log, 5_000);
      });
    }

    await t.step("a backend dying mid-body closes the client's connection", async () => {
      await using client = await RawClient.connect(server.port);
      await client.send("GET /bad/cut HTTP/1.1\r\nHost: front.test\r\n\r\n");
      await assert.rejects(client.readResponse());
      await server.waitForLog(/Error reading the body from backend .* for GET \/bad\/cut/, 5_000);
    });

    await t.step("the server still serves", async () => {
      await json(await within(get("/node/still"), "an answer", 10_000));
    });
  } finally {
    await Deno.remove(docRoot, { recursive: true });
  }
});

Deno.test("max= bounds a slot's connections to a backend, ttl= closes the idle ones", async () => {
  await using echo = await startEchoBackend();
  const docRoot = await Deno.makeTempDir();
  try {
    await using server = await startMpmd(
      `Listen: [127.0.0.1:0]\nDocumentRoot: ${docRoot}\nProxyPass: ["/ ${echo.origin}/ max=1 ttl=300ms"]\n`,
    );
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => fetch(`${server.origin}/n/${i}`).then(json)),
    );
    assert.equal(answers.length, 12);
    // One connection per slot at most: the test pool has two threads.
    assert.ok(echo.connections <= 2, `${echo.connections} connections`);
    await eventually(() => echo.open === 0, "the idle connections closed after ttl=", 5_000);
  } finally {
    await Deno.remove(docRoot, { recursive: true });
  }
});
