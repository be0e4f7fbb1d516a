import assert from "node:assert/strict";
import { RequestGate } from "../../slot/_request_gate.ts";
import type { ServerRequest, ServerResponse } from "../../server/http/mod.ts";

const RESPONSE: ServerResponse = { status: 200, headers: [], body: null };
const REQUEST = {} as ServerRequest;

Deno.test("RequestGate runs at most cap handlers at once and admits the next as one returns", async () => {
  let rooms = 0;
  const fullness: boolean[] = [];
  const gate = new RequestGate(2, {
    onRoom: () => rooms++,
    onFull: (full) => fullness.push(full),
  });
  const started: number[] = [];
  const finish: Array<() => void> = [];
  let n = 0;
  const handler = gate.wrap(() => {
    const id = n++;
    started.push(id);
    return new Promise<ServerResponse>((resolve) => finish[id] = () => resolve(RESPONSE));
  });
  const answers = [handler(REQUEST), handler(REQUEST), handler(REQUEST)];
  assert.deepEqual(started, [0, 1]);
  assert.equal(gate.full, true);
  assert.deepEqual(fullness, [true]);
  finish[0]!();
  await answers[0];
  assert.deepEqual(started, [0, 1, 2], "the waiting request takes the freed place");
  assert.equal(rooms, 0, "no room is announced while a request was waiting");
  assert.deepEqual(fullness, [true], "still full: the waiting request took the place");
  finish[1]!();
  finish[2]!();
  await Promise.all(answers);
  assert.equal(gate.full, false);
  assert.equal(rooms, 2);
  assert.deepEqual(fullness, [true, false], "room again once the first of the last two ended");
});

Deno.test("RequestGate frees the place of a synchronous answer and of a throw", () => {
  const fullness: boolean[] = [];
  const gate = new RequestGate(1, { onRoom: () => {}, onFull: (full) => fullness.push(full) });
  assert.equal(gate.wrap(() => RESPONSE)(REQUEST), RESPONSE);
  assert.throws(() =>
    gate.wrap(() => {
      throw new Error("boom");
    })(REQUEST)
  );
  assert.equal(gate.full, false);
  assert.deepEqual(fullness, [true, false, true, false]);
});
