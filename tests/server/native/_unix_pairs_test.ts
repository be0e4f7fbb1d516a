import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { relay, removePairsLeftBy, UnixPairs } from "../../../server/native/_unix_pairs.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads from `conn` until `expected` bytes came, or the end. */
async function readText(conn: Deno.Conn, expected: number): Promise<string> {
  const buffer = new Uint8Array(expected);
  let got = 0;
  while (got < expected) {
    const n = await conn.read(buffer.subarray(got));
    if (n === null) break;
    got += n;
  }
  return decoder.decode(buffer.subarray(0, got));
}

Deno.test("UnixPairs makes connected pairs; relay() copies both ways and ends with the inner side", async () => {
  const pairs = new UnixPairs();
  try {
    // client ⇄ outer … relay … inner ⇄ server
    const [client, outer] = await pairs.open();
    const [inner, server] = await pairs.open();
    const errors: unknown[] = [];
    const relaying = relay(outer, inner, (error) => errors.push(error));

    const big = "x".repeat(200_000);
    await client.write(encoder.encode(big));
    assert.equal(await readText(server, big.length), big);
    await server.write(encoder.encode("answer"));
    assert.equal(await readText(client, 6), "answer");

    // The client's end of input reaches the server as a half close; the server can still answer.
    await client.closeWrite();
    assert.equal(await server.read(new Uint8Array(1)), null);
    await server.write(encoder.encode("last"));
    server.close();
    assert.equal(await readText(client, 100), "last");
    await relaying;
    client.close();
    assert.deepEqual(errors, []);
  } finally {
    pairs.close();
  }
});

Deno.test("removePairsLeftBy() removes the pairs directories of the process named, and no other", async () => {
  // Above the kernel's largest pid (2^22): no live process can be meant.
  const gone = 4_194_399;
  const left = await Deno.makeTempDir({ dir: tmpdir(), prefix: `mpmd-pairs-${gone}-` });
  const longerPid = await Deno.makeTempDir({ dir: tmpdir(), prefix: `mpmd-pairs-${gone}0-` });
  await Deno.writeTextFile(join(left, "pairs.sock"), "");
  const pairs = new UnixPairs();
  try {
    const [near, far] = await pairs.open();
    near.close();
    far.close();
    const own = readdirSync(tmpdir()).filter((name) => name.startsWith(`mpmd-pairs-${Deno.pid}-`));
    assert.equal(own.length, 1, "this process's pairs directory, named by its pid");
    assert.deepEqual(removePairsLeftBy(gone), [left]);
    assert.equal(existsSync(left), false);
    assert.equal(existsSync(longerPid), true);
    assert.equal(existsSync(join(tmpdir(), own[0]!)), true);
  } finally {
    pairs.close();
    await Deno.remove(longerPid, { recursive: true });
  }
});
