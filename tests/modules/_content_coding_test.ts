import assert from "node:assert/strict";
import { chooseContentCoding } from "../../modules/_content_coding.ts";

Deno.test("chooseContentCoding()", async (t) => {
  const both = { br: true, gzip: true };
  const gzipOnly = { br: false, gzip: true };
  const cases = [
    { accept: undefined, available: both, expect: null },
    { accept: "", available: both, expect: null },
    { accept: "br", available: both, expect: "br" },
    { accept: "gzip;q=1, br;q=0.9", available: both, expect: "gzip" },
    { accept: "gzip;Q=0.5 , br;q=0.50", available: both, expect: "br" },
    { accept: "br;q=0", available: both, expect: null },
    { accept: "br;q=0.000", available: both, expect: null },
    { accept: "br;q=0.001", available: both, expect: "br" },
    { accept: "br;q=0.0001", available: both, expect: null },
    { accept: "br;level=5", available: both, expect: null },
    { accept: "*;q=0.1, identity;q=0.2", available: both, expect: null },
    { accept: "*;q=0.3, identity;q=0.2", available: both, expect: "br" },
    { accept: "br", available: gzipOnly, expect: null },
    { accept: "x-gzip;q=0.5", available: gzipOnly, expect: "gzip" },
    { accept: "gzip, gzip;q=0", available: gzipOnly, expect: "gzip" },
    // What the compression filters meet: both offered, br first on a tie.
    { accept: "gzip, deflate, br, zstd", available: both, expect: "br" },
    { accept: "gzip;q=0.8, br;q=0.5", available: both, expect: "gzip" },
    { accept: "*", available: both, expect: "br" },
    { accept: "*;q=0", available: both, expect: null },
    { accept: "br;q=0, *", available: both, expect: "gzip" },
    { accept: "identity", available: both, expect: null },
    { accept: "gzip;q=0.5, identity;q=0.6", available: gzipOnly, expect: null },
    { accept: "deflate", available: both, expect: null },
  ];
  for (const c of cases) {
    await t.step(`${c.accept ?? "(none)"} of ${JSON.stringify(c.available)}`, () => {
      assert.equal(chooseContentCoding(c.accept, c.available), c.expect);
    });
  }
});
