import assert from "node:assert/strict";
import { createSignature, withServerSignature } from "../../../modules/signature/mod.ts";
import { errorResponse, HttpError, type ServerResponse } from "../../../server/http/mod.ts";
import { makeRequest } from "../static/_request.ts";
import { testLogger } from "../static/_fixture.ts";

const HOST = {
  serverSignature: "On",
  serverAdmin: "webmaster@example.test",
  serverName: "www.example.test",
  useCanonicalName: false,
} as const;

Deno.test("createSignature() names the server, the host and the port, escaped", async (t) => {
  const CASES = [
    {
      name: "On",
      host: HOST,
      requestHost: "www.example.test:8080",
      want: "<address>mpmd/0.1 Server at www.example.test Port 8080</address>\n",
    },
    {
      name: "EMail links the name to ServerAdmin",
      host: { ...HOST, serverSignature: "EMail" },
      requestHost: "www.example.test",
      want:
        '<address>mpmd/0.1 Server at <a href="mailto:webmaster@example.test">www.example.test</a> Port 80</address>\n',
    },
    {
      name: "a Host field is escaped",
      host: HOST,
      requestHost: "<b>x&y</b>",
      want: "<address>mpmd/0.1 Server at &lt;b&gt;x&amp;y&lt;/b&gt; Port 80</address>\n",
    },
    {
      name: "ServerAdmin is escaped",
      host: { ...HOST, serverSignature: "EMail", serverAdmin: '"><script>' },
      requestHost: "a",
      want:
        '<address>mpmd/0.1 Server at <a href="mailto:&quot;&gt;&lt;script&gt;">a</a> Port 80</address>\n',
    },
    {
      name: "UseCanonicalName On shows ServerName and the connection's port",
      host: { ...HOST, useCanonicalName: true },
      requestHost: "other.test:9",
      want: "<address>mpmd/0.1 Server at www.example.test Port 8080</address>\n",
    },
  ] as const;
  for (const c of CASES) {
    await t.step(c.name, () => {
      const signature = createSignature(c.host, "mpmd/0.1")!;
      assert.equal(signature(makeRequest("/", { host: c.requestHost })), c.want);
    });
  }
  await t.step("Off: none", () => {
    assert.equal(createSignature({ ...HOST, serverSignature: "Off" }, "mpmd"), null);
  });
});

Deno.test("withServerSignature() signs the plain error pages only", async (t) => {
  const signature = createSignature(HOST, "mpmd")!;
  const text = (response: ServerResponse) => new TextDecoder().decode(response.body as Uint8Array);
  const CASES: {
    name: string;
    answer: () => ServerResponse | null;
    status: number;
    signed: boolean;
  }[] = [
    { name: "no answer: a 404", answer: () => null, status: 404, signed: true },
    {
      name: "an HttpError",
      answer: () => {
        throw new HttpError(403, "no");
      },
      status: 403,
      signed: true,
    },
    {
      name: "a crash",
      answer: () => {
        throw new Error("boom");
      },
      status: 500,
      signed: true,
    },
    {
      name: "a redirect's page",
      answer: () => errorResponse(301, [["Location", "/x/"]]),
      status: 301,
      signed: true,
    },
    {
      name: "a module's own page",
      answer: () => ({ status: 404, headers: [], body: new TextEncoder().encode("mine") }),
      status: 404,
      signed: false,
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, async () => {
      const handler = withServerSignature(c.answer, { signature, logger: testLogger() });
      const response = await handler(makeRequest("/", { host: "www.example.test" }));
      assert.ok(response !== null);
      assert.equal(response.status, c.status);
      assert.equal(
        text(response).includes("<hr>\n<address>mpmd Server at www.example.test Port 80</address>"),
        c.signed,
      );
    });
  }
  await t.step("Off: the handler itself", () => {
    const handler = () => null;
    assert.equal(withServerSignature(handler, { signature: null, logger: testLogger() }), handler);
  });
});
