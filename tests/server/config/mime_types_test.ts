import assert from "node:assert/strict";
import { parseMimeTypes } from "../../../server/config/mod.ts";

Deno.test("parseMimeTypes() reads mime.types as mod_mime does", () => {
  assert.deepEqual(
    parseMimeTypes(
      [
        "# comment line",
        "text/html\t\t\t\thtml htm shtml",
        "image/png png # trailing comment",
        "application/x-empty",
        "not-a-type foo",
        "text/x-later HTM",
      ].join("\n"),
    ),
    { html: "text/html", htm: "text/x-later", shtml: "text/html", png: "image/png" },
  );
});
