import assert from "node:assert/strict";
import { join } from "node:path";
import { appDenoConfig } from "../../cli/mod.ts";
import { parseConfigText } from "../../server/config/readers/mod.ts";

/** A configuration mounting `modules` (absolute paths), one per Location. */
function mounting(modules: readonly string[]) {
  const apps = modules.map((module, i) => `  - { Location: /a${i}, Module: ${module} }`);
  const app = apps.length === 0 ? "" : `App:\n${apps.join("\n")}\n`;
  const yaml = `Listen: 127.0.0.1:0\nDocumentRoot: /\n${app}`;
  return parseConfigText(yaml, { file: null, defaultServerRoot: "/", platformDefaultMpm: "event" })
    .config;
}

Deno.test("appDenoConfig() finds the first app module's nearest deno.json, unless it is mpmd's", async () => {
  const root = await Deno.makeTempDir();
  try {
    const install = join(root, "mpmd");
    await Deno.mkdir(join(install, "examples"), { recursive: true });
    await Deno.writeTextFile(join(install, "deno.json"), "{}");
    await Deno.mkdir(join(root, "site", "api", "v1"), { recursive: true });
    await Deno.writeTextFile(join(root, "site", "deno.jsonc"), "{}");
    await Deno.mkdir(join(root, "bare"));
    const CASES = [
      { name: "no App", modules: [], want: null },
      {
        name: "the nearest, two folders up",
        modules: [join(root, "site/api/v1/app.ts")],
        want: join(root, "site/deno.jsonc"),
      },
      {
        name: "mpmd's own: nothing to do",
        modules: [join(install, "examples/app.ts")],
        want: null,
      },
      {
        name: "the first module decides",
        modules: [join(install, "a.ts"), join(root, "site/b.ts")],
        want: null,
      },
    ];
    for (const c of CASES) {
      assert.equal(appDenoConfig(mounting(c.modules), install), c.want, c.name);
    }
    // A folder with none above it within the temp tree: whatever the machine has above /tmp.
    const bare = appDenoConfig(mounting([join(root, "bare/app.ts")]), install);
    assert.ok(bare === null || !bare.startsWith(root), String(bare));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
