import assert from "node:assert/strict";
import { type NameOrder, sortListing } from "../../../modules/static/_listing_order.ts";
import type { ListingOrder } from "../../../server/config/mod.ts";

const entry = (name: string, size = 0, mtimeMs = 0) => ({
  name,
  isDirectory: name.endsWith("/"),
  size,
  mtimeMs,
});

const ENTRIES = [
  entry("b.txt", 30, 3),
  entry("Zeta", 10, 1),
  entry("sub/", 4096, 2),
  entry("a.txt", 20, 2),
  entry("file10", 10, 5),
  entry("file9", 10, 4),
];

const PLAIN: NameOrder = { foldersFirst: false, ignoreCase: false, versionSort: false };
const ASC = (key: ListingOrder["key"]): ListingOrder => ({ key, ascending: true });
const DESC = (key: ListingOrder["key"]): ListingOrder => ({ key, ascending: false });

const CASES: readonly { name: string; order: ListingOrder; names?: NameOrder; sorted: string }[] = [
  {
    name: "by name, code-unit order",
    order: ASC("N"),
    sorted: "Zeta a.txt b.txt file10 file9 sub/",
  },
  { name: "by name, descending", order: DESC("N"), sorted: "sub/ file9 file10 b.txt a.txt Zeta" },
  {
    name: "FoldersFirst leads in either direction",
    order: DESC("N"),
    names: { ...PLAIN, foldersFirst: true },
    sorted: "sub/ file9 file10 b.txt a.txt Zeta",
  },
  {
    name: "FoldersFirst ascending",
    order: ASC("N"),
    names: { ...PLAIN, foldersFirst: true },
    sorted: "sub/ Zeta a.txt b.txt file10 file9",
  },
  {
    name: "IgnoreCase",
    order: ASC("N"),
    names: { ...PLAIN, ignoreCase: true },
    sorted: "a.txt b.txt file10 file9 sub/ Zeta",
  },
  {
    name: "VersionSort",
    order: ASC("N"),
    names: { ...PLAIN, versionSort: true },
    sorted: "Zeta a.txt b.txt file9 file10 sub/",
  },
  {
    name: "by size: a directory counts as the smallest, names break ties",
    order: ASC("S"),
    sorted: "sub/ Zeta file10 file9 a.txt b.txt",
  },
  {
    name: "by size, descending: ties by name descending too",
    order: DESC("S"),
    sorted: "b.txt a.txt file9 file10 Zeta sub/",
  },
  { name: "by date", order: ASC("M"), sorted: "Zeta a.txt sub/ b.txt file9 file10" },
  {
    name: "by description: names only",
    order: DESC("D"),
    sorted: "sub/ file9 file10 b.txt a.txt Zeta",
  },
];

Deno.test("sortListing() orders entries as mod_autoindex", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const sorted = sortListing(ENTRIES, c.order, c.names ?? PLAIN);
      assert.equal(sorted.map((e) => e.name).join(" "), c.sorted);
    });
  }
});

Deno.test("sortListing() compares version numbers by value, then falls back to exact order", async (t) => {
  const cases = [
    { names: ["v1.10", "v1.9", "v1.09", "v01.9"], sorted: "v01.9 v1.09 v1.9 v1.10" },
    { names: ["a100000000000000000001", "a99"], sorted: "a99 a100000000000000000001" },
    { names: ["B2", "b10", "b1"], sorted: "b1 B2 b10", ignoreCase: true },
    { names: ["A", "a"], sorted: "A a", ignoreCase: true },
  ];
  for (const c of cases) {
    await t.step(c.sorted, () => {
      const names = { ...PLAIN, versionSort: true, ignoreCase: c.ignoreCase ?? false };
      const sorted = sortListing(c.names.map((n) => entry(n)), ASC("N"), names);
      assert.equal(sorted.map((e) => e.name).join(" "), c.sorted);
    });
  }
});
