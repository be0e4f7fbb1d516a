import assert from "node:assert/strict";
import { messageWriter, readMessages } from "../../platform/_ndjson.ts";
import { MessageFormatError } from "../../platform/mod.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

async function collect(chunks: Uint8Array[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const message of readMessages(ReadableStream.from(chunks))) out.push(message);
  return out;
}

const euro = bytes("€"); // three bytes: E2 82 AC

const CASES: ReadonlyArray<{ name: string; chunks: Uint8Array[]; messages: unknown[] }> = [
  { name: "reads nothing from an empty stream", chunks: [], messages: [] },
  {
    name: "reads several messages from one chunk",
    chunks: [bytes('{"a":1}\n[2]\n"three"\n')],
    messages: [{ a: 1 }, [2], "three"],
  },
  {
    name: "joins a message split across chunks",
    chunks: [bytes('{"a'), bytes('":'), bytes('"b"}\n{"c"'), bytes(":4}\n")],
    messages: [{ a: "b" }, { c: 4 }],
  },
  {
    name: "joins a UTF-8 character split across chunks",
    chunks: [bytes('"'), euro.subarray(0, 1), euro.subarray(1), bytes('"\n')],
    messages: ["€"],
  },
  { name: "accepts CRLF line ends", chunks: [bytes("1\r\n2\r\n")], messages: [1, 2] },
];

Deno.test("readMessages()", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, async () => assert.deepEqual(await collect(c.chunks), c.messages));
  }
});

const BAD_CASES: ReadonlyArray<
  { name: string; chunks: Uint8Array[]; line: number; before: number }
> = [
  { name: "a line that is not JSON", chunks: [bytes("1\n2\nhello\n3\n")], line: 3, before: 2 },
  { name: "an empty line", chunks: [bytes("1\n\n")], line: 2, before: 1 },
  {
    name: "a line that is not UTF-8",
    chunks: [new Uint8Array([0x22, 0xff, 0x22, 0x0a])],
    line: 1,
    before: 0,
  },
  { name: "a last line without its newline", chunks: [bytes("1\n2\n12")], line: 3, before: 2 },
];

Deno.test("readMessages() throws MessageFormatError naming the line", async (t) => {
  for (const c of BAD_CASES) {
    await t.step(c.name, async () => {
      const seen: unknown[] = [];
      await assert.rejects(
        async () => {
          for await (const message of readMessages(ReadableStream.from(c.chunks))) {
            seen.push(message);
          }
        },
        (error: unknown) => {
          assert.ok(error instanceof MessageFormatError);
          assert.equal(error.line, c.line);
          assert.match(error.message, new RegExp(`^Cannot parse message on line ${c.line}: `));
          return true;
        },
      );
      assert.equal(seen.length, c.before);
    });
  }
});

Deno.test("messageWriter() writes one JSON line per message that readMessages() reads back", async () => {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = messageWriter(writable);
  const sent = [{ text: "line\nbreak", n: 1 }, null, "€", [1, 2, 3]];
  const reading = Array.fromAsync(readMessages(readable));
  await Promise.all(sent.map((message) => writer.send(message)));
  await writer.close();
  assert.deepEqual(await reading, sent);
});

Deno.test("messageWriter() rejects a value JSON cannot carry", async () => {
  const writer = messageWriter(new WritableStream());
  await assert.rejects(writer.send(undefined), TypeError);
  await assert.rejects(writer.send(() => {}), /^TypeError: Cannot send message: function/);
});
