import assert from "node:assert/strict";
import {
  decideKeepAlive,
  DRAIN_MAX_BYTES,
  type KeepAliveInput,
  keepAliveValue,
} from "../../../server/http/keep_alive.ts";

const SETTINGS = { keepAlive: true, keepAliveTimeoutMs: 5_000, maxKeepAliveRequests: 100 };
const READ_BODY = { complete: true, failed: false, continueSent: true, remainingBytes: 0 };
const BASE: KeepAliveInput = {
  settings: SETTINGS,
  clientKeepAlive: true,
  draining: false,
  requestsServed: 0,
  body: READ_BODY,
};

Deno.test("decideKeepAlive()", async (t) => {
  const cases: Array<{ name: string; input: Partial<KeepAliveInput>; keep: boolean }> = [
    { name: "keeps a plain exchange", input: {}, keep: true },
    {
      name: "closes with KeepAlive Off",
      input: { settings: { ...SETTINGS, keepAlive: false } },
      keep: false,
    },
    {
      name: "closes when the client does not allow it",
      input: { clientKeepAlive: false },
      keep: false,
    },
    { name: "closes while shutting down", input: { draining: true }, keep: false },
    { name: "keeps below MaxKeepAliveRequests", input: { requestsServed: 98 }, keep: true },
    {
      name: "closes on the MaxKeepAliveRequests-th response",
      input: { requestsServed: 99 },
      keep: false,
    },
    {
      name: "never closes for MaxKeepAliveRequests 0 (unlimited)",
      input: { settings: { ...SETTINGS, maxKeepAliveRequests: 0 }, requestsServed: 1e6 },
      keep: true,
    },
    {
      name: "closes after a failed body read",
      input: { body: { ...READ_BODY, complete: false, failed: true } },
      keep: false,
    },
    {
      name: "closes when the client still waits for 100 Continue",
      input: { body: { complete: false, failed: false, continueSent: false, remainingBytes: 10 } },
      keep: false,
    },
    {
      name: "keeps when a small rest of the body can be drained",
      input: {
        body: {
          complete: false,
          failed: false,
          continueSent: true,
          remainingBytes: DRAIN_MAX_BYTES,
        },
      },
      keep: true,
    },
    {
      name: "closes when the rest of the body is too large to drain",
      input: {
        body: {
          complete: false,
          failed: false,
          continueSent: true,
          remainingBytes: DRAIN_MAX_BYTES + 1,
        },
      },
      keep: false,
    },
    {
      name: "tries to drain a chunked body of unknown length",
      input: { body: { complete: false, failed: false, continueSent: true, remainingBytes: -1 } },
      keep: true,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.equal(decideKeepAlive({ ...BASE, ...c.input }), c.keep));
  }
});

Deno.test("keepAliveValue() announces the timeout and the requests left", () => {
  assert.equal(keepAliveValue(SETTINGS, 0), "timeout=5, max=99");
  assert.equal(keepAliveValue(SETTINGS, 98), "timeout=5, max=1");
  assert.equal(keepAliveValue({ ...SETTINGS, maxKeepAliveRequests: 0 }, 7), "timeout=5");
  assert.equal(keepAliveValue({ ...SETTINGS, keepAliveTimeoutMs: 1_500 }, 0), "timeout=1, max=99");
});
