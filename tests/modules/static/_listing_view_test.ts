import assert from "node:assert/strict";
import { listingView, type ListingViewInput } from "../../../modules/static/_listing_view.ts";
import { DEFAULT_AUTOINDEX, type IndexOptionFlag } from "../../../server/config/mod.ts";

const INPUT: ListingViewInput = {
  path: "/docs/",
  query: "",
  autoindex: DEFAULT_AUTOINDEX,
  entries: [
    { name: "b c.txt", isDirectory: false, size: 5, mtimeMs: 2 },
    { name: "sub", isDirectory: true, size: 4096, mtimeMs: 1 },
    { name: "a", isDirectory: false, size: 9, mtimeMs: 3 },
  ],
  header: null,
  readme: null,
  footer: "",
};

const withFlags = (...flags: IndexOptionFlag[]): ListingViewInput => ({
  ...INPUT,
  autoindex: { ...DEFAULT_AUTOINDEX, flags },
});

Deno.test("listingView() picks the layout and columns IndexOptions asks for", async (t) => {
  const cases = [
    { flags: [], layout: "list" },
    { flags: ["HTMLTable"], layout: "list" },
    { flags: ["FancyIndexing"], layout: "fancy" },
    { flags: ["FancyIndexing", "HTMLTable"], layout: "table" },
  ] as const;
  for (const c of cases) {
    await t.step(`${c.flags.join(" ") || "no flags"} → ${c.layout}`, () => {
      assert.equal(listingView(withFlags(...c.flags)).layout, c.layout);
    });
  }
  await t.step("Suppress… flags", () => {
    const page = listingView(
      withFlags(
        "SuppressColumnSorting",
        "SuppressLastModified",
        "SuppressSize",
        "SuppressHTMLPreamble",
      ),
    );
    assert.deepEqual(
      [page.sortable, page.columns, page.suppressPreamble],
      [false, { lastModified: false, size: false }, true],
    );
  });
  await t.step("defaults: sortable, every column, UTF-8", () => {
    const page = listingView(INPUT);
    assert.deepEqual(
      [page.sortable, page.columns, page.charset, page.nameWidth],
      [true, { lastModified: true, size: true }, "utf-8", 23],
    );
  });
});

Deno.test("listingView() lists a parent link first, then the entries in order", async (t) => {
  const cases: readonly { name: string; input: ListingViewInput; hrefs: string }[] = [
    { name: "by name", input: INPUT, hrefs: "../ a b%20c.txt sub/" },
    { name: "the root has no parent", input: { ...INPUT, path: "/" }, hrefs: "a b%20c.txt sub/" },
    { name: "?C=M;O=D", input: { ...INPUT, query: "C=M;O=D" }, hrefs: "../ a b%20c.txt sub/" },
    { name: "?C=S", input: { ...INPUT, query: "C=S" }, hrefs: "../ sub/ b%20c.txt a" },
    {
      name: "FoldersFirst",
      input: withFlags("FoldersFirst"),
      hrefs: "../ sub/ a b%20c.txt",
    },
    {
      name: "IndexOrderDefault",
      input: {
        ...INPUT,
        autoindex: { ...DEFAULT_AUTOINDEX, orderDefault: { key: "M", ascending: true } },
      },
      hrefs: "../ sub/ b%20c.txt a",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const page = listingView(c.input);
      assert.equal(page.rows.map((r) => r.href).join(" "), c.hrefs);
    });
  }
  await t.step("labels, sizes and dates", () => {
    assert.deepEqual(listingView(INPUT).rows, [
      { label: "Parent Directory", href: "../", mtimeMs: null, size: null },
      { label: "a", href: "a", mtimeMs: 3, size: 9 },
      { label: "b c.txt", href: "b%20c.txt", mtimeMs: 2, size: 5 },
      { label: "sub/", href: "sub/", mtimeMs: 1, size: null },
    ]);
  });
});
