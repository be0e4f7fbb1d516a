import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const pinned = Deno.readTextFileSync(new URL(".deno-version", ROOT)).trim();

Deno.test("the Deno version is pinned in .deno-version and followed everywhere", async (t) => {
  await t.step("this test runs on the pinned Deno", () => {
    assert.equal(Deno.version.deno, pinned);
  });
  await t.step("every npx command in README.md uses the pinned version", () => {
    const readme = Deno.readTextFileSync(new URL("README.md", ROOT));
    const versions = [...readme.matchAll(/npx --yes deno@([0-9.]+)/g)].map((m) => m[1]);
    assert.ok(versions.length >= 2, "README.md shows the serve and test commands");
    assert.deepEqual(new Set(versions), new Set([pinned]));
  });
  await t.step(".ci/run reads the version from .deno-version", () => {
    const ci = Deno.readTextFileSync(new URL(".ci/run", ROOT));
    assert.match(ci, /cat \.deno-version/);
    assert.doesNotMatch(ci, /deno@[0-9]/);
  });
});
