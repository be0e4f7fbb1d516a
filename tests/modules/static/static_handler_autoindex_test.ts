import assert from "node:assert/strict";
import { createStaticHandler } from "../../../modules/static/mod.ts";
import { type AutoindexConfig, DEFAULT_AUTOINDEX } from "../../../server/config/mod.ts";
import { createStaticFixture, testLogger } from "./_fixture.ts";
import { assertParts, bodyText, headerOf, serve } from "./_request.ts";

/**
 * mod_autoindex's directives through the handler, on real files: a directory `listed/` beside
 * the fixture's tree, with names that need escaping, header and readme files, and links.
 */
async function listedFixture() {
  const fx = await createStaticFixture();
  const dir = `${fx.root}/listed`;
  const files: Record<string, string> = {
    "alpha.txt": "a",
    "Beta.txt": "bb",
    "file9.txt": "123456789",
    "file10.txt": "x".repeat(1500),
    "notes.txt~": "backup",
    "sp ace%.txt": "",
    "ünï.txt": "",
    'a<b&c".txt': "",
    "HEADER.html": "<h2>Hello header</h2>\n",
    "README.txt": "read <me> & you\n",
    "README.bin": "binary",
    "sub/inner.txt": "inner",
  };
  for (const [name, content] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${name}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${name}`, content);
  }
  await Deno.symlink("../../secret.txt", `${dir}/OUTSIDE.txt`);
  const handlerWith = (autoindex: Partial<AutoindexConfig>) =>
    createStaticHandler(
      fx.host({ indexes: true, autoindex: { ...DEFAULT_AUTOINDEX, ...autoindex } }),
      { logger: testLogger(), revalidateMs: 0 },
    );
  const list = async (autoindex: Partial<AutoindexConfig>, query = "") => {
    const response = await serve(handlerWith(autoindex), `/listed/${query}`);
    assert.equal(response.status, 200);
    return { html: await bodyText(response), type: headerOf(response, "Content-Type") };
  };
  return { fx, list, [Symbol.asyncDispose]: () => fx[Symbol.asyncDispose]() };
}

/** The hrefs of the listed entries, in order, without the parent link and headings. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/<a href="([^"?]+)">/g)].map((m) => m[1]!).filter((h) => h !== "../");
}

const FANCY: Partial<AutoindexConfig> = { flags: ["FancyIndexing", "HTMLTable"] };

Deno.test("createStaticHandler() sorts a listing by its query (C=, O=)", async (t) => {
  await using l = await listedFixture();
  const cases = [
    {
      query: "",
      order: "Beta.txt HEADER.html README.bin README.txt a%3Cb%26c%22.txt alpha.txt",
    },
    { query: "?C=N;O=D", order: "%C3%BCn%C3%AF.txt sub/ sp%20ace%25.txt notes.txt~ file9.txt" },
    {
      query: "?C=S&O=D",
      order: "file10.txt HEADER.html README.txt file9.txt notes.txt~ README.bin",
    },
    // Nonsense is no error: the default order.
    { query: "?C=Q;O=D", order: "Beta.txt HEADER.html README.bin README.txt" },
    { query: "?%3Cscript%3E", order: "Beta.txt HEADER.html README.bin README.txt" },
  ];
  for (const c of cases) {
    await t.step(c.query || "no query", async () => {
      const { html } = await l.list(FANCY, c.query);
      assert.equal(hrefs(html).slice(0, c.order.split(" ").length).join(" "), c.order);
    });
  }
  await t.step("IndexOrderDefault applies without a query", async () => {
    const { html } = await l.list({ ...FANCY, orderDefault: { key: "S", ascending: false } });
    assert.equal(hrefs(html)[0], "file10.txt");
  });
  await t.step("FoldersFirst, IgnoreCase and VersionSort", async () => {
    const flags = ["FancyIndexing", "FoldersFirst", "IgnoreCase", "VersionSort"] as const;
    const { html } = await l.list({ flags: [...flags] });
    assert.deepEqual(
      hrefs(html).slice(0, 6),
      ["sub/", "a%3Cb%26c%22.txt", "alpha.txt", "Beta.txt", "file9.txt", "file10.txt"],
    );
  });
});

Deno.test("createStaticHandler() listings: layouts, escaping, charset", async (t) => {
  await using l = await listedFixture();
  await t.step("the default is httpd's plain list", async () => {
    const { html, type } = await l.list({});
    assert.equal(type, "text/html; charset=utf-8");
    assert.ok(html.includes('<ul>\n<li><a href="../">Parent Directory</a></li>'), html);
    assert.ok(!html.includes("<table>") && !html.includes("<pre>"));
  });
  await t.step("FancyIndexing: columns with human sizes", async () => {
    const { html } = await l.list({ flags: ["FancyIndexing"] });
    assert.match(
      html,
      /<a href="file10.txt">file10.txt<\/a> +\d{4}-\d\d-\d\d \d\d:\d\d {2}1\.5K\n/,
    );
    assert.match(html, /<a href="sub\/">sub\/<\/a> +[\d: -]+ {4}-\n/);
  });
  await t.step("every name escaped in HTML and in its link", async () => {
    for (const flags of [[], ["FancyIndexing"], ["FancyIndexing", "HTMLTable"]] as const) {
      const { html } = await l.list({ flags: [...flags] });
      assert.ok(html.includes('<a href="a%3Cb%26c%22.txt">a&lt;b&amp;c&quot;.txt</a>'), html);
      assert.ok(html.includes('<a href="sp%20ace%25.txt">sp ace%.txt</a>'));
      assert.ok(html.includes('<a href="%C3%BCn%C3%AF.txt">ünï.txt</a>'));
      assert.ok(!html.includes("a<b"));
    }
  });
  await t.step("Charset= names the response's charset", async () => {
    const { html, type } = await l.list({ charset: "ISO-8859-1" });
    assert.equal(type, "text/html; charset=ISO-8859-1");
    assert.ok(html.includes('<meta charset="ISO-8859-1">'));
  });
});

Deno.test("createStaticHandler() listings: IndexIgnore", async (t) => {
  await using l = await listedFixture();
  const cases = [
    { ignore: [], hidden: [], shown: ["notes.txt~", "HEADER.html", "README.txt"] },
    { ignore: ["*~"], hidden: ["notes.txt~"], shown: ["HEADER.html"] },
    { ignore: ["HEADER*", "README*"], hidden: ["HEADER.html", "README.txt"], shown: ["alpha.txt"] },
    { ignore: ["?lpha.txt", "sub"], hidden: ["alpha.txt", "sub/"], shown: ["Beta.txt"] },
    { ignore: ["*"], hidden: ["alpha.txt", "sub/"], shown: [] },
  ];
  for (const c of cases) {
    await t.step(c.ignore.join(" ") || "nothing", async () => {
      const listed = hrefs((await l.list({ ignore: c.ignore })).html);
      for (const name of c.hidden) assert.ok(!listed.includes(name), `${name} listed`);
      for (const name of c.shown) assert.ok(listed.includes(name), `${name} not listed`);
    });
  }
});

Deno.test("createStaticHandler() listings: HeaderName and ReadmeName", async (t) => {
  await using l = await listedFixture();
  const cases = [
    {
      name: "an HTML header as it is, a text readme escaped",
      autoindex: { headerName: "HEADER.html", readmeName: "README.txt" },
      has: ["<body>\n<h2>Hello header</h2>\n", "<pre>\nread &lt;me&gt; &amp; you\n</pre>\n</body>"],
      lacks: ["<h1>"],
    },
    {
      name: "HEADER finds HEADER.html",
      autoindex: { headerName: "HEADER" },
      has: ["<h2>Hello header</h2>"],
      lacks: ["<h1>"],
    },
    {
      name: "a file that is not text is not shown",
      autoindex: { readmeName: "README.bin" },
      has: ["<h1>Index of /listed/</h1>"],
      lacks: ["binary"],
    },
    {
      name: "a missing file is no error",
      autoindex: { headerName: "NOPE", readmeName: "NOPE.txt" },
      has: ["<h1>Index of /listed/</h1>"],
      lacks: ["<pre>"],
    },
    {
      name: "a link leading outside DocumentRoot is not followed",
      autoindex: { readmeName: "OUTSIDE.txt" },
      has: ["</ul>\n</body>"],
      lacks: [l.fx.secret],
    },
    {
      name: "SuppressHTMLPreamble: the HTML header starts the page",
      autoindex: { headerName: "HEADER.html", flags: ["SuppressHTMLPreamble" as const] },
      has: [],
      lacks: ["<!DOCTYPE", "<title>"],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      assertParts((await l.list(c.autoindex)).html, c);
    });
  }
  await t.step("the files stay listed unless IndexIgnore hides them, as in httpd", async () => {
    const { html } = await l.list({ headerName: "HEADER.html", readmeName: "README.txt" });
    assert.ok(hrefs(html).includes("HEADER.html") && hrefs(html).includes("README.txt"));
  });
});
