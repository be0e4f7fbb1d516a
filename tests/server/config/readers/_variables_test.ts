import assert from "node:assert/strict";
import { expandVariables } from "../../../../server/config/readers/_variables.ts";

const VARS: Readonly<Record<string, string>> = { PORT: "9000", HOST: "example.com", EMPTY: "" };

Deno.test("expandVariables()", async (t) => {
  const CASES = [
    { name: "leaves text without variables alone", text: "a $b {c} $", want: "a $b {c} $" },
    { name: "replaces ${NAME}", text: "*:${PORT}", want: "*:9000" },
    { name: "replaces several", text: "${HOST}:${PORT}", want: "example.com:9000" },
    { name: "replaces an empty value by nothing", text: "a${EMPTY}b", want: "ab" },
    { name: "prefers the value to the default", text: "${PORT:-8080}", want: "9000" },
    { name: "takes the default when unset", text: "${NOPE:-8080}", want: "8080" },
    { name: "takes the default when empty", text: "${EMPTY:-8080}", want: "8080" },
    { name: "takes an empty default", text: "a${NOPE:-}b", want: "ab" },
    { name: "takes the default literally", text: "${NOPE:-a:-b $x}", want: "a:-b $x" },
    {
      name: "keeps an undefined ${NAME} and names it",
      text: "${NOPE}:${PORT}:${NOPE}",
      want: "${NOPE}:9000:${NOPE}",
      undefinedNames: ["NOPE", "NOPE"],
    },
    {
      name: "reads a name with a colon but no :- as a name (httpd's rule)",
      text: "${A:B}",
      want: "${A:B}",
      undefinedNames: ["A:B"],
    },
    { name: "ignores ${} (no name)", text: "${}", want: "${}" },
    { name: "ignores an unclosed ${", text: "${PORT", want: "${PORT" },
    {
      name: "does not expand a value again",
      text: "${SELF}",
      want: "${PORT}",
      vars: { SELF: "${PORT}" },
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const vars: Readonly<Record<string, string>> = c.vars ?? VARS;
      assert.deepEqual(expandVariables(c.text, (name) => vars[name]), {
        text: c.want,
        undefinedNames: c.undefinedNames ?? [],
      });
    });
  }
});
