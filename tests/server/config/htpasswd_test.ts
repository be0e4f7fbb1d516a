import assert from "node:assert/strict";
import { parseHtpasswd, passwordScheme } from "../../../server/config/mod.ts";

Deno.test("passwordScheme() knows bcrypt, apr1 and SHA-1 hashes as htpasswd writes them", async (t) => {
  const CASES: [hash: string, scheme: string | null][] = [
    ["$2y$05$E9OmVROQo1IC4atCvIjjROrWYIo6z8ZCBqhMQPqWCG0Ekbl9XxvXK", "bcrypt"],
    ["$2b$10$E9OmVROQo1IC4atCvIjjROrWYIo6z8ZCBqhMQPqWCG0Ekbl9XxvXK", "bcrypt"],
    ["$apr1$ui1GaVHq$DrRN4wK9RRx/V31ThFEtu1", "apr1"],
    ["{SHA}2PRZAyDhNDqRW2OUFwZQqPNdaSY=", "sha1"],
    // crypt(3) DES, plain text, a truncated bcrypt: never accepted.
    ["rqXexS6ZhobKA", null],
    ["secret", null],
    ["$2y$05$E9OmVROQo1IC4atCvIjjROrWYIo6z8", null],
  ];
  for (const [hash, scheme] of CASES) {
    await t.step(`${hash} → ${scheme}`, () => assert.equal(passwordScheme(hash), scheme));
  }
});

Deno.test("parseHtpasswd() takes users and names each line it cannot take", () => {
  const { users, problems } = parseHtpasswd(
    [
      "# the team",
      "alice:$2y$05$E9OmVROQo1IC4atCvIjjROrWYIo6z8ZCBqhMQPqWCG0Ekbl9XxvXK",
      "",
      "bob:plain",
      "no colon here",
      "alice:{SHA}2PRZAyDhNDqRW2OUFwZQqPNdaSY=",
      "carol:{SHA}2PRZAyDhNDqRW2OUFwZQqPNdaSY=\r",
    ].join("\n"),
  );
  assert.deepEqual([...users.keys()], ["alice", "carol"]);
  assert.deepEqual(problems, [
    {
      line: 4,
      detail:
        'has a password for "bob" that mpmd cannot check (bcrypt, $apr1$ MD5 and {SHA} are checked: htpasswd -B makes bcrypt)',
    },
    { line: 5, detail: "is not user:hash (make entries with htpasswd)" },
    { line: 6, detail: 'repeats user "alice"' },
  ]);
});
