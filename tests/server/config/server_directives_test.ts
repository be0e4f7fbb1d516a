import assert from "node:assert/strict";
import { HOST_DIRECTIVES, SERVER_DIRECTIVES } from "../../../server/config/mod.ts";

Deno.test("SERVER_DIRECTIVES and HOST_DIRECTIVES are keyed by directive name, with help", () => {
  const all = [...Object.entries(SERVER_DIRECTIVES), ...Object.entries(HOST_DIRECTIVES)];
  for (const [key, directive] of all) {
    assert.equal(directive.name, key);
    assert.ok(directive.help.length > 10, key);
  }
  const names = all.map(([key]) => key);
  assert.equal(new Set(names).size, names.length);
});
