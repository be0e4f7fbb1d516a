import assert from "node:assert/strict";
import { MPMD_VERSION, serverBanner } from "../../../server/http/mod.ts";

Deno.test("serverBanner() follows ServerTokens", async (t) => {
  assert.equal(MPMD_VERSION, "0.1.0");
  const cases = [
    { tokens: "Prod", banner: "mpmd" },
    { tokens: "Major", banner: "mpmd/0" },
    { tokens: "Minor", banner: "mpmd/0.1" },
    { tokens: "Min", banner: "mpmd/0.1.0" },
    { tokens: "OS", banner: "mpmd/0.1.0 (Deno 2.9.6)" },
    { tokens: "Full", banner: "mpmd/0.1.0 (Deno 2.9.6)" },
  ] as const;
  for (const c of cases) {
    await t.step(c.tokens, () => assert.equal(serverBanner(c.tokens, "2.9.6"), c.banner));
  }
});
