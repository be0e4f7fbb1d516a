import assert from "node:assert/strict";
import { watchFiles } from "../../platform/mod.ts";
import { eventually, within } from "../_deadline.ts";

Deno.test("watchFiles() reports a burst of changes to script files once, and ignores other files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_watch_" });
  try {
    const bursts: string[][] = [];
    using _watch = watchFiles([dir], (paths) => bursts.push(paths), { debounceMs: 100 });
    // The watcher is live once it reports anything: poke it until it does.
    await eventually(
      async () => {
        await Deno.writeTextFile(`${dir}/probe.ts`, `// ${Date.now()}\n`);
        await new Promise((resolve) => setTimeout(resolve, 150));
        return bursts.length > 0;
      },
      "a first report",
      5_000,
    );
    bursts.length = 0;
    await Deno.writeTextFile(`${dir}/notes.txt`, "ignored\n");
    for (let i = 0; i < 3; i++) await Deno.writeTextFile(`${dir}/app.ts`, `// v${i}\n`);
    await within(
      eventually(() => bursts.length > 0, "a report", 5_000),
      "the burst reported",
      6_000,
    );
    // Quiet again for longer than the debounce: nothing more comes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(bursts, [[`${dir}/app.ts`]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
