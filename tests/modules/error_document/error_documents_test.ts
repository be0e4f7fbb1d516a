import assert from "node:assert/strict";
import { withErrorDocuments } from "../../../modules/error_document/mod.ts";
import { type Handler, HttpError, type ServerResponse } from "../../../server/http/mod.ts";
import { testLogger } from "../static/_fixture.ts";
import { bodyText, headerOf, makeRequest } from "../static/_request.ts";

const page = (text: string): ServerResponse => ({
  status: 200,
  headers: [["Content-Type", "text/html"]],
  body: new TextEncoder().encode(text),
});

Deno.test("withErrorDocuments() answers error statuses with the host's documents", async (t) => {
  const chain: Handler = (request) => {
    switch (request.path) {
      case "/errors/404.html":
        return page("custom 404");
      case "/private":
        return { status: 401, headers: [["WWW-Authenticate", 'Basic realm="x"']], body: null };
      case "/forbidden":
        throw new HttpError(403, "no");
      case "/broken":
        throw new Error("boom");
      case "/fine":
        return page("fine");
      default:
        return null;
    }
  };
  const handler = withErrorDocuments(chain, {
    errorDocuments: {
      404: { kind: "path", value: "/errors/404.html" },
      401: { kind: "text", value: "<p>Sign in</p>" },
      403: { kind: "url", value: "https://example.test/denied" },
      500: { kind: "path", value: "/errors/500.html" },
      503: null,
    },
  }, { logger: testLogger() });
  const CASES: [path: string, status: number, body: string, field?: [string, string]][] = [
    ["/fine", 200, "fine"],
    ["/missing", 404, "custom 404"],
    ["/private", 401, "<p>Sign in</p>", ["WWW-Authenticate", 'Basic realm="x"']],
    ["/forbidden", 302, "", ["Location", "https://example.test/denied"]],
    // A document that is itself missing leaves the built-in page.
    ["/broken", 500, "<title>500 Internal Server Error</title>"],
  ];
  for (const [path, status, body, field] of CASES) {
    await t.step(`${path} → ${status}`, async () => {
      const response = (await handler(makeRequest(path)))!;
      assert.equal(response.status, status);
      assert.ok((await bodyText(response)).includes(body));
      if (field !== undefined) assert.equal(headerOf(response, field[0]), field[1]);
    });
  }
  const bare = (() => null) as Handler;
  assert.equal(
    withErrorDocuments(bare, { errorDocuments: { 404: null } }, { logger: testLogger() }),
    bare,
  );
});
