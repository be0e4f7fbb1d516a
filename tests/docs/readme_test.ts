import assert from "node:assert/strict";
import { parseConfigText } from "../../server/config/readers/mod.ts";

const README = Deno.readTextFileSync(new URL("../../README.md", import.meta.url));

Deno.test("README.md's example configuration is valid", () => {
  const yaml = /```yaml\n([\s\S]*?)```/.exec(README)?.[1];
  assert.ok(yaml, "README.md shows a YAML configuration");
  const { config, warnings } = parseConfigText(yaml, {
    file: "/srv/mpmd/mpmd.yaml",
    platformDefaultMpm: "event",
  });
  assert.deepEqual(warnings, []);
  assert.equal(config.hosts[0].documentRoot, "/srv/mpmd/public");
  assert.equal(config.mpmDirectives.ThreadsPerChild, 25);
});

Deno.test("README.md's tour uses only options mpmd accepts", () => {
  const tour = /## A short tour\n\n```sh\n([\s\S]*?)```/.exec(README)?.[1] ?? "";
  const starts = tour.split("\n").filter((line) => line.startsWith("deno task start"));
  assert.ok(starts.length >= 3);
  for (const line of starts) {
    assert.doesNotMatch(line, /task start --/, "deno task passes a literal -- on to mpmd");
  }
});
