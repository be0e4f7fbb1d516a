import assert from "node:assert/strict";
import {
  type ListingPage,
  type ListingRow,
  renderListingPage,
} from "../../../modules/static/_listing_page.ts";
import { assertParts } from "./_request.ts";

const MTIME = Date.UTC(2024, 4, 1, 13, 45);
const ROWS: readonly ListingRow[] = [
  { label: "Parent Directory", href: "../", mtimeMs: null, size: null },
  { label: "sub/", href: "sub/", mtimeMs: MTIME, size: null },
  { label: 'a<b&c".txt', href: "a%3Cb%26c%22.txt", mtimeMs: MTIME, size: 1500 },
];

const PAGE: ListingPage = {
  path: "/docs/",
  layout: "list",
  rows: ROWS,
  order: { key: "N", ascending: true },
  sortable: true,
  columns: { lastModified: true, size: true },
  nameWidth: 23,
  charset: "utf-8",
  suppressPreamble: false,
  header: null,
  readme: null,
  footer: "",
};

const has = (html: string, part: string) => assertParts(html, { has: [part] });
const lacks = (html: string, part: string) => assertParts(html, { lacks: [part] });

Deno.test("renderListingPage() draws each layout", async (t) => {
  await t.step("list: names in a <ul>, escaped, links as given", () => {
    const html = renderListingPage(PAGE);
    has(html, '<h1>Index of /docs/</h1>\n<ul>\n<li><a href="../">Parent Directory</a></li>\n');
    has(html, '<li><a href="a%3Cb%26c%22.txt">a&lt;b&amp;c&quot;.txt</a></li>\n</ul>');
    lacks(html, "1.5K");
  });
  await t.step("fancy: aligned columns in a <pre>, sizes as httpd writes them", () => {
    const html = renderListingPage({ ...PAGE, layout: "fancy" });
    has(
      html,
      '<pre><a href="?C=N;O=D">Name</a>                    <a href="?C=M;O=A">Last modified</a>' +
        '      <a href="?C=S;O=A">Size</a>\n<hr>',
    );
    has(html, '<a href="../">Parent Directory</a>                            -\n');
    has(html, '<a href="sub/">sub/</a>                    2024-05-01 13:45    -\n');
    has(
      html,
      '<a href="a%3Cb%26c%22.txt">a&lt;b&amp;c&quot;.txt</a>              2024-05-01 13:45  1.5K\n',
    );
  });
  await t.step("table: one row per entry", () => {
    const html = renderListingPage({ ...PAGE, layout: "table" });
    has(html, '<tr><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified');
    has(html, '<tr><th colspan="3"><hr></th></tr>');
    has(
      html,
      '<tr><td><a href="a%3Cb%26c%22.txt">a&lt;b&amp;c&quot;.txt</a></td>' +
        '<td align="right">2024-05-01 13:45</td><td align="right">1.5K</td></tr>',
    );
    has(html, '<td><a href="../">Parent Directory</a></td><td align="right"></td>');
  });
});

Deno.test("renderListingPage() applies the IndexOptions that shape columns", async (t) => {
  const cases: readonly {
    name: string;
    page: Partial<ListingPage>;
    has: readonly string[];
    lacks: readonly string[];
  }[] = [
    {
      name: "SuppressColumnSorting: headings without links",
      page: { layout: "table", sortable: false },
      has: ["<th>Name</th><th>Last modified</th><th>Size</th>"],
      lacks: ["?C="],
    },
    {
      name: "SuppressLastModified and SuppressSize",
      page: { layout: "table", columns: { lastModified: false, size: false } },
      has: ['<tr><th colspan="1"><hr></th></tr>', '<tr><td><a href="sub/">sub/</a></td></tr>'],
      lacks: ["Last modified", "Size", "2024-05-01"],
    },
    {
      name: "the current column's link reverses it",
      page: { layout: "fancy", order: { key: "S", ascending: false } },
      has: ['href="?C=N;O=A"', 'href="?C=S;O=A"', 'href="?C=M;O=A"'],
      lacks: ["O=D"],
    },
    {
      name: "NameWidth cuts long names with ..>",
      page: { layout: "table", nameWidth: 5 },
      has: [">Pa..&gt;</a>", ">a&lt;..&gt;</a>", ">sub/</a>"],
      lacks: ["Parent Directory"],
    },
    {
      name: "NameWidth=* fits the longest name",
      page: { layout: "fancy", nameWidth: "*" },
      has: ["Parent Directory</a>  ", "a&lt;b&amp;c&quot;.txt</a>       2024"],
      lacks: ["..&gt;"],
    },
    {
      name: "Charset= is declared",
      page: { charset: "ISO-8859-1" },
      has: ['<meta charset="ISO-8859-1">'],
      lacks: ["utf-8"],
    },
    {
      name: "the root's title",
      page: { path: "/", rows: ROWS.slice(1) },
      has: ["<title>Index of /</title>", "<h1>Index of /</h1>"],
      lacks: ["Parent"],
    },
    {
      name: "an escaped title",
      page: { path: "/d é <b>/" },
      has: ["<title>Index of /d é &lt;b&gt;/</title>"],
      lacks: ["<b>"],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      assertParts(renderListingPage({ ...PAGE, ...c.page }), c);
    });
  }
});

Deno.test("renderListingPage() ends with the ServerSignature after the readme, if any", () => {
  const signature = "<address>mpmd Server at a.test Port 80</address>\n";
  const html = renderListingPage({
    ...PAGE,
    readme: { kind: "text", content: "read me\n" },
    footer: signature,
  });
  assert.ok(html.indexOf("read me") < html.indexOf(`<hr>\n${signature}`), html);
  lacks(renderListingPage(PAGE), "<address>");
});

Deno.test("renderListingPage() places HeaderName and ReadmeName files as httpd", async (t) => {
  const htmlHeader = { kind: "html", content: "<h2>Welcome</h2>" } as const;
  const textNote = { kind: "text", content: "a <b> & c\n" } as const;
  await t.step("an HTML header replaces the heading, inserted as it is", () => {
    const html = renderListingPage({ ...PAGE, header: htmlHeader });
    has(html, "<body>\n<h2>Welcome</h2>\n<ul>");
    lacks(html, "<h1>");
  });
  await t.step("a text header and readme are escaped in <pre>", () => {
    const html = renderListingPage({ ...PAGE, header: textNote, readme: textNote });
    has(html, "<body>\n<pre>\na &lt;b&gt; &amp; c\n</pre>\n<ul>");
    has(html, "</ul>\n<pre>\na &lt;b&gt; &amp; c\n</pre>\n</body>\n</html>\n");
  });
  await t.step("SuppressHTMLPreamble: an HTML header starts the page", () => {
    const header = { kind: "html", content: "<!DOCTYPE html><html><body>\n" } as const;
    const html = renderListingPage({ ...PAGE, header, suppressPreamble: true });
    assert.ok(html.startsWith("<!DOCTYPE html><html><body>\n<ul>"), html);
  });
  await t.step("SuppressHTMLPreamble: an HTML readme ends the page", () => {
    const readme = { kind: "html", content: "</body></html>\n" } as const;
    const html = renderListingPage({ ...PAGE, readme, suppressPreamble: true });
    assert.ok(html.endsWith("</ul>\n</body></html>\n"), html);
    assert.ok(html.startsWith("<!DOCTYPE html>"), "no header file: the preamble stays");
  });
  await t.step("SuppressHTMLPreamble leaves a text header's frame alone", () => {
    const html = renderListingPage({ ...PAGE, header: textNote, suppressPreamble: true });
    assert.ok(html.startsWith("<!DOCTYPE html>"), html);
  });
});
