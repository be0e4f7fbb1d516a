import assert from "node:assert/strict";
import { ifRangeMatches, matchesEntityTagList } from "../../../modules/static/_conditional.ts";

Deno.test("matchesEntityTagList()", async (t) => {
  const cases = [
    { list: '"a"', strong: true, weak: true },
    { list: 'W/"a"', strong: false, weak: true },
    { list: '"b", "a"', strong: true, weak: true },
    { list: '"b",W/"a"', strong: false, weak: true },
    { list: "*", strong: true, weak: true },
    { list: " * ", strong: true, weak: true },
    { list: '"b"', strong: false, weak: false },
    { list: "a", strong: false, weak: false },
    { list: '"a', strong: false, weak: false },
    { list: 'junk, "a"', strong: false, weak: false },
    { list: '"x,\\"a\\""', strong: false, weak: false },
    { list: "", strong: false, weak: false },
  ];
  for (const c of cases) {
    await t.step(c.list, () => {
      assert.equal(matchesEntityTagList(c.list, '"a"', "strong"), c.strong);
      assert.equal(matchesEntityTagList(c.list, '"a"', "weak"), c.weak);
    });
  }
});

Deno.test("ifRangeMatches()", async (t) => {
  const validators = { etag: '"a"', lastModifiedMs: Date.UTC(2020, 0, 2, 3, 4, 5) };
  const now = Date.UTC(2024, 0, 1);
  const cases = [
    { value: '"a"', match: true },
    { value: ' "a" ', match: true },
    { value: 'W/"a"', match: false },
    { value: '"b"', match: false },
    { value: "Thu, 02 Jan 2020 03:04:05 GMT", match: true },
    { value: "Thu, 02 Jan 2020 03:04:06 GMT", match: false },
    { value: "garbage", match: false },
  ];
  for (const c of cases) {
    await t.step(c.value, () => assert.equal(ifRangeMatches(c.value, validators, now), c.match));
  }
});
