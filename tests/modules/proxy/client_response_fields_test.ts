import assert from "node:assert/strict";
import { clientResponseFields } from "../../../modules/proxy/mod.ts";

const REWRITE = {
  reverse: [{ backend: "http://10.0.0.5:8080/app", public: "/shop" }],
  cookieDomains: [{ backend: "internal.local", public: "www.example.test" }],
  cookiePaths: [{ backend: "/app", public: "/shop" }],
};
const SELF = "https://www.example.test";

Deno.test("clientResponseFields()", async (t) => {
  await t.step("removes hop-by-hop fields and those Connection names", () => {
    const fields = clientResponseFields(
      [
        ["Connection", "keep-alive, X-Internal"],
        ["X-Internal", "1"],
        ["Keep-Alive", "timeout=5"],
        ["Transfer-Encoding", "chunked"],
        ["Upgrade", "h2c"],
        ["Trailer", "X-T"],
        ["Proxy-Authenticate", "Basic"],
        ["Content-Type", "text/plain"],
      ],
      REWRITE,
      SELF,
    );
    assert.deepEqual(fields, [["Content-Type", "text/plain"]]);
  });
  await t.step("ProxyPassReverse rewrites Location, Content-Location and URI only", () => {
    const fields = clientResponseFields(
      [
        ["Location", "http://10.0.0.5:8080/app/login?next=/"],
        ["Content-Location", "http://10.0.0.5:8080/app"],
        ["URI", "http://10.0.0.5:8080/app/x"],
        ["Link", "<http://10.0.0.5:8080/app/x>"],
        ["Location", "http://elsewhere/app/x"],
      ],
      REWRITE,
      SELF,
    );
    assert.deepEqual(fields, [
      ["Location", "https://www.example.test/shop/login?next=/"],
      ["Content-Location", "https://www.example.test/shop"],
      ["URI", "https://www.example.test/shop/x"],
      ["Link", "<http://10.0.0.5:8080/app/x>"],
      ["Location", "http://elsewhere/app/x"],
    ]);
  });
  await t.step("rewrites each Set-Cookie's Domain and Path, kept apart", () => {
    const fields = clientResponseFields(
      [
        ["Set-Cookie", "a=1; Domain=.internal.local; Path=/app/cart; HttpOnly"],
        ["Set-Cookie", "b=2; Path=/other"],
      ],
      REWRITE,
      SELF,
    );
    assert.deepEqual(fields, [
      ["Set-Cookie", "a=1; Domain=www.example.test; Path=/shop/cart; HttpOnly"],
      ["Set-Cookie", "b=2; Path=/other"],
    ]);
  });
});
