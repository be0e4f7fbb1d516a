import assert from "node:assert/strict";
import { RawClient } from "./_raw_client.ts";
import { routes } from "./_handlers.ts";
import { startEngine } from "./_test_engine.ts";
import type { Handler } from "../../../server/http/mod.ts";

/**
 * mod_logio's counts (`%I`, `%O`) in the access record: compared with the bytes the client
 * wrote and read on a real socket, so that framing, interim responses and pipelining count
 * exactly as they travel.
 */

const H = "Host: t\r\n";
const BIG_BODY = "x".repeat(200_000);

/** `routes()`, plus `/big-stream`: a streamed (chunked) body with a chunk too large to copy. */
function handler(): Handler {
  const base = routes();
  return (request) => {
    if (request.path !== "/big-stream") return base(request);
    const chunks = [new Uint8Array(40_000), new Uint8Array(3)];
    return {
      status: 200,
      headers: [],
      body: (async function* () {
        yield* chunks;
      })(),
    };
  };
}

interface Exchange {
  readonly name: string;
  /** Sent in turn; after each but the last, the client reads an interim response. */
  readonly parts: readonly string[];
}

const EXCHANGES: readonly Exchange[] = [
  { name: "GET without a body", parts: [`GET /hello HTTP/1.1\r\n${H}\r\n`] },
  {
    name: "Content-Length body",
    parts: [`POST /echo HTTP/1.1\r\n${H}Content-Length: 11\r\n\r\nhello world`],
  },
  {
    name: "chunked body with extensions and trailers",
    parts: [
      `POST /echo HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n` +
      "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nDigest: d\r\n\r\n",
    ],
  },
  {
    name: "body larger than the receive buffer, echoed in several writes",
    parts: [`POST /echo HTTP/1.1\r\n${H}Content-Length: ${BIG_BODY.length}\r\n\r\n${BIG_BODY}`],
  },
  {
    name: "body the handler leaves unread (drained by the engine)",
    parts: [`POST /ignored HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nabcde`],
  },
  {
    name: "Expect: 100-continue (the interim response counts as sent)",
    parts: [
      `POST /echo HTTP/1.1\r\n${H}Content-Length: 3\r\nExpect: 100-continue\r\n\r\n`,
      "abc",
    ],
  },
  { name: "chunked response", parts: [`GET /stream HTTP/1.1\r\n${H}\r\n`] },
  { name: "chunked response with a large chunk", parts: [`GET /big-stream HTTP/1.1\r\n${H}\r\n`] },
  { name: "HEAD (head only)", parts: [`HEAD /hello HTTP/1.1\r\n${H}\r\n`] },
];

Deno.test("engine records the bytes received and sent on the wire (%I, %O)", async (t) => {
  await using server = startEngine(handler());
  await using client = await RawClient.connect(server.port);
  for (const [index, c] of EXCHANGES.entries()) {
    await t.step(c.name, async () => {
      const [sentBefore, takenBefore] = [client.sentBytes, client.takenBytes];
      for (const [i, part] of c.parts.entries()) {
        if (i > 0) assert.equal((await client.readResponse()).status, 100);
        await client.send(part);
      }
      const method = c.parts[0]!.split(" ")[0]!;
      assert.equal((await client.readResponse({ method })).status, 200);
      const record = (await server.waitForRecords(index + 1))[index]!;
      assert.equal(record.receivedBytes, client.sentBytes - sentBefore, "received");
      assert.equal(record.sentBytes, client.takenBytes - takenBefore, "sent");
    });
  }
  assert.equal(client.buffered, 0);
});

Deno.test("engine counts pipelined requests each to its own record", async () => {
  await using server = startEngine(handler());
  await using client = await RawClient.connect(server.port);
  const requests = [
    `POST /echo HTTP/1.1\r\n${H}Content-Length: 4\r\n\r\nabcd`,
    `POST /echo HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n`,
    `GET /last HTTP/1.1\r\n${H}\r\n`,
  ];
  await client.send(requests.join(""));
  const taken: number[] = [];
  for (const _ of requests) {
    const before = client.takenBytes;
    assert.equal((await client.readResponse()).status, 200);
    taken.push(client.takenBytes - before);
  }
  const records = await server.waitForRecords(requests.length);
  assert.deepEqual(records.map((r) => r.receivedBytes), requests.map((r) => r.length));
  assert.deepEqual(records.map((r) => r.sentBytes), taken);
});

Deno.test("engine counts every byte of a refused request as received", async () => {
  await using server = startEngine(handler());
  await using client = await RawClient.connect(server.port);
  await client.send(`GET /ok HTTP/1.1\r\n${H}\r\n`);
  await client.readResponse();
  const [sentBefore, takenBefore] = [client.sentBytes, client.takenBytes];
  await client.send(`GET /bad HTTP/1.1\r\n${H}no colon here\r\n\r\n`);
  assert.equal((await client.readResponse()).status, 400);
  await client.waitForClose();
  assert.equal(client.buffered, 0);
  const record = (await server.waitForRecords(2))[1]!;
  assert.equal(record.status, 400);
  assert.equal(record.receivedBytes, client.sentBytes - sentBefore);
  assert.equal(record.sentBytes, client.takenBytes - takenBefore);
});
