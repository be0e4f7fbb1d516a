import assert from "node:assert/strict";
import { RawClient } from "./_raw_client.ts";
import { readAll, routes, text } from "./_handlers.ts";
import { startEngine, until } from "./_test_engine.ts";
import { HttpError, type RequestBody } from "../../../server/http/mod.ts";

const H = "Host: t\r\n";

Deno.test("engine decodes a chunked request body, with trailers", async (t) => {
  await using server = startEngine(routes());
  const body =
    "4\r\nWiki\r\n6;ext=1\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nDigest: sha-256=x\r\n\r\n";
  for (const split of [false, true]) {
    await t.step(split ? "arriving byte by byte" : "in one write", async () => {
      await using client = await RawClient.connect(server.port);
      const request = `POST /echo HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n${body}`;
      if (split) { for (const c of request) await client.send(c); }
      else await client.send(request);
      const response = await client.readResponse();
      assert.equal(response.text, "Wikipedia in \r\n\r\nchunks.");
      assert.equal(response.headers.get("x-digest"), "sha-256=x");
      await client.send(`GET /after HTTP/1.1\r\n${H}\r\n`);
      assert.equal((await client.readResponse()).text, "hello GET /after");
    });
  }
  await t.step("refusing a malformed chunk with 400 and closing", async () => {
    await using client = await RawClient.connect(server.port);
    await client.send(
      `POST /echo HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n-1\r\nx\r\n0\r\n\r\n`,
    );
    const response = await client.readResponse();
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("connection"), "close");
    await client.waitForClose();
  });
});

Deno.test("engine keeps trailer fields out of the header fields and the framing", async () => {
  // RFC 9110 §6.5.2: trailers are not merged; Content-Length, Transfer-Encoding and Host there
  // must change neither the request the handler sees nor where the next request starts.
  await using server = startEngine(async (request) => {
    const data = await readAll(request.body);
    const seen = ["host", "content-length", "transfer-encoding"].map((name) =>
      `${name}=${request.headers.get(name) ?? "-"}`
    );
    return text(200, `${data.length} ${seen.join(" ")} ${request.host}`);
  });
  await using client = await RawClient.connect(server.port);
  await client.send(
    `POST /t HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n` +
      "Content-Length: 20\r\nTransfer-Encoding: identity\r\nHost: evil\r\n\r\n" +
      `GET /next HTTP/1.1\r\n${H}\r\n`,
  );
  assert.equal(
    (await client.readResponse()).text,
    "3 host=t content-length=- transfer-encoding=chunked t",
  );
  assert.equal((await client.readResponse()).status, 200, "the next request follows the trailers");
});

Deno.test("engine sends 100 Continue only when the handler reads", async (t) => {
  let release = () => {};
  let invoked = () => {};
  const handlerInvoked = new Promise<void>((resolve) => invoked = resolve);
  const gate = new Promise<void>((resolve) => release = resolve);
  await using server = startEngine(async (request) => {
    if (request.path === "/refuse") return text(413, "too big");
    invoked();
    await gate;
    return text(200, new TextDecoder().decode(await readAll(request.body)));
  });
  await t.step("the 100 comes after the handler starts reading", async () => {
    await using client = await RawClient.connect(server.port);
    await client.send(`PUT /up HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 5\r\n\r\n`);
    await handlerInvoked;
    assert.equal(await client.receivesWithin(50), false, "nothing before the handler reads");
    release();
    assert.equal((await client.readResponse()).status, 100);
    await client.send("hello");
    const response = await client.readResponse();
    assert.equal(response.status, 200);
    assert.equal(response.text, "hello");
  });
  await t.step("a handler answering without reading sends no 100 and closes", async () => {
    await using client = await RawClient.connect(server.port);
    await client.send(
      `PUT /refuse HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 5\r\n\r\n`,
    );
    const response = await client.readResponse();
    assert.equal(response.status, 413);
    assert.equal(response.headers.get("connection"), "close");
    await client.waitForClose();
  });
});

Deno.test("engine sends no 100 Continue once the final response has started", async () => {
  // A handler whose response streams the request body back: the body is first read after the
  // 200 head is out, when an interim response can only corrupt the message (RFC 9110 §15.2).
  await using server = startEngine((request) => ({
    status: 200,
    headers: [],
    body: (async function* () {
      for (
        let chunk = await request.body.read();
        chunk !== null;
        chunk = await request.body.read()
      ) {
        yield chunk;
      }
    })(),
  }));
  await using client = await RawClient.connect(server.port);
  await client.send(`PUT /up HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 5\r\n\r\n`);
  const response = await client.readResponse({ method: "HEAD" });
  assert.equal(response.status, 200);
  await client.send("hello");
  await client.waitForClose();
  // The whole chunked body, and nothing else, followed the head.
  assert.equal(new TextDecoder().decode(client.takeBuffered()), "5\r\nhello\r\n0\r\n\r\n");
});

Deno.test("engine enforces LimitRequestBody with 413", async (t) => {
  await using server = startEngine(routes(), { limitRequestBodyBytes: 10 });
  const cases = [
    {
      name: "a Content-Length over the limit",
      request: `POST /echo HTTP/1.1\r\n${H}Content-Length: 11\r\n\r\n01234567890`,
    },
    {
      name: "a chunked body growing over the limit",
      request:
        `POST /echo HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n012345\r\n0\r\n\r\n`,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using client = await RawClient.connect(server.port);
      await client.send(c.request);
      const response = await client.readResponse();
      assert.equal(response.status, 413);
      assert.equal(response.headers.get("connection"), "close");
      await client.waitForClose();
    });
  }
  await t.step("a body at the limit", async () => {
    await using client = await RawClient.connect(server.port);
    await client.send(`POST /echo HTTP/1.1\r\n${H}Content-Length: 10\r\n\r\n0123456789`);
    assert.equal((await client.readResponse()).text, "0123456789");
  });
});

Deno.test("engine drains a small unread body and closes on a large one", async (t) => {
  await using server = startEngine(routes());
  await t.step("small: kept alive", async () => {
    await using client = await RawClient.connect(server.port);
    await client.send(`POST /ignored HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello`);
    assert.equal((await client.readResponse()).headers.has("connection"), false);
    await client.send(`GET /next HTTP/1.1\r\n${H}\r\n`);
    assert.equal((await client.readResponse()).text, "hello GET /next");
  });
  await t.step("large: closed", async () => {
    await using client = await RawClient.connect(server.port);
    await client.send(`POST /ignored HTTP/1.1\r\n${H}Content-Length: 1000000\r\n\r\n`);
    assert.equal((await client.readResponse()).headers.get("connection"), "close");
  });
});

Deno.test("engine drains a body the handler left a read pending on, then serves the next request", async (t) => {
  await using server = startEngine((request) => {
    // Starts reading and answers without waiting, as an application that returns early may.
    void request.body.read().catch(() => {});
    return text(200, "early");
  });
  const cases = [
    { name: "Content-Length", framing: "Content-Length: 5", parts: ["hel", "lo"] },
    {
      name: "chunked",
      framing: "Transfer-Encoding: chunked",
      parts: ["5\r\nhel", "lo\r\n0\r\n\r\n"],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using client = await RawClient.connect(server.port);
      await client.send(`POST /up HTTP/1.1\r\n${H}${c.framing}\r\n\r\n`);
      assert.equal((await client.readResponse()).text, "early");
      await client.send(c.parts[0]!);
      await client.send(`${c.parts[1]}GET /next HTTP/1.1\r\n${H}\r\n`);
      assert.equal((await client.readResponse()).text, "early", "the pipelined request is served");
    });
  }
});

Deno.test("engine refuses a body read made after the exchange, while it lingers", async () => {
  let kept: RequestBody | null = null;
  await using server = startEngine((request) => {
    kept = request.body;
    return { status: 200, headers: [["Connection", "close"]], body: null };
  });
  await using client = await RawClient.connect(server.port);
  await client.send(`POST /up HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n`);
  assert.equal((await client.readResponse()).headers.get("connection"), "close");
  await until(() => server.engine.stats.closing === 1, "lingering");
  const late = kept!.read().then(() => null, (error: unknown) => error);
  assert.equal(server.engine.stats.closing, 1, "still lingering, not reading a body");
  assert.ok(await late instanceof HttpError);
});
