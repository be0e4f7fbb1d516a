import assert from "node:assert/strict";
import { didYouMean, didYouMeanHint } from "../../base/mod.ts";

Deno.test("didYouMean() picks a case difference first, then the nearest within a limit", () => {
  const NAMES = ["KeepAlive", "KeepAliveTimeout", "Listen", "--port", "--host", "-p"];
  const CASES = [
    { name: "keepalive", want: "KeepAlive" },
    { name: "KeepAliveTimout", want: "KeepAliveTimeout" },
    { name: "Lsiten", want: "Listen" },
    { name: "--prot", want: "--port" },
    { name: "--hots", want: "--host" },
    { name: "DocumentRoot", want: null },
    { name: "-x", want: "-p" },
  ];
  for (const c of CASES) assert.equal(didYouMean(c.name, NAMES), c.want, c.name);
});

Deno.test("didYouMeanHint() is a parenthesis to append, or nothing", () => {
  assert.equal(didYouMeanHint("Lsiten", ["Listen"]), " (did you mean Listen?)");
  assert.equal(didYouMeanHint("Timeout", ["Listen"]), "");
});
