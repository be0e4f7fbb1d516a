import assert from "node:assert/strict";
import { columnQuery, parseListingQuery } from "../../../modules/static/_listing_query.ts";
import type { ListingOrder } from "../../../server/config/mod.ts";

const BY_NAME: ListingOrder = { key: "N", ascending: true };

const CASES: readonly { query: string; order: ListingOrder; fallback?: ListingOrder }[] = [
  { query: "", order: BY_NAME },
  { query: "C=M;O=D", order: { key: "M", ascending: false } },
  { query: "C=S&O=A", order: { key: "S", ascending: true } },
  { query: "O=D", order: { key: "N", ascending: false } },
  { query: "C=D", order: { key: "D", ascending: true } },
  { query: "C=M;O=D;C=S", order: { key: "S", ascending: false } },
  // httpd's other arguments are passed over.
  { query: "C=M;F=2;V=1;P=*.txt;O=D", order: { key: "M", ascending: false } },
  // A mistake ends the reading: what came before it stays.
  { query: "C=X;O=D", order: BY_NAME },
  { query: "C=M;O=Z", order: { key: "M", ascending: true } },
  { query: "C=MM", order: BY_NAME },
  { query: "c=M", order: BY_NAME },
  { query: "C=M;junk;O=D", order: { key: "M", ascending: true } },
  { query: "%3Cscript%3E", order: BY_NAME },
  { query: "C=", order: BY_NAME },
  {
    query: "nonsense",
    fallback: { key: "S", ascending: false },
    order: { key: "S", ascending: false },
  },
  { query: "C=N", fallback: { key: "S", ascending: false }, order: { key: "N", ascending: false } },
];

Deno.test("parseListingQuery() reads C= and O= as mod_autoindex, never failing", async (t) => {
  for (const c of CASES) {
    await t.step(JSON.stringify(c.query), () => {
      assert.deepEqual(parseListingQuery(c.query, c.fallback ?? BY_NAME), c.order);
    });
  }
});

Deno.test("columnQuery() reverses the current column and starts others ascending", async (t) => {
  const cases = [
    { column: "N", current: BY_NAME, query: "?C=N;O=D" },
    { column: "N", current: { key: "N", ascending: false }, query: "?C=N;O=A" },
    { column: "M", current: BY_NAME, query: "?C=M;O=A" },
    { column: "S", current: { key: "S", ascending: false }, query: "?C=S;O=A" },
  ] as const;
  for (const c of cases) {
    await t.step(c.query, () => assert.equal(columnQuery(c.column, c.current), c.query));
  }
});
