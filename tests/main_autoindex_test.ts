import assert from "node:assert/strict";
import { startMpmd } from "./_server.ts";

Deno.test("mpmd -f httpd.conf draws a fancy listing with Debian's autoindex lines", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd-autoindex-" });
  try {
    await Deno.mkdir(`${dir}/www/files/sub`, { recursive: true });
    const files: Record<string, string> = {
      "small.txt": "1",
      "large.bin": "x".repeat(3500),
      "notes.txt~": "backup",
      "a <b>.txt": "",
      "HEADER.html": "<p>Welcome to the files</p>\n",
    };
    for (const [name, content] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/www/files/${name}`, content);
    }
    await Deno.writeTextFile(
      `${dir}/httpd.conf`,
      [
        "Listen 127.0.0.1:0",
        `DocumentRoot "${dir}/www"`,
        "Options Indexes",
        "IndexOptions FancyIndexing VersionSort HTMLTable NameWidth=* DescriptionWidth=* Charset=UTF-8",
        "HeaderName HEADER.html",
        "IndexIgnore .??* *~ HEADER*",
        "IndexOptions +FoldersFirst",
        "",
      ].join("\n"),
    );
    const pool = ["StartServers 1", "ThreadsPerChild 2", "MinSpareThreads 1", "MaxSpareThreads 3"];
    await using server = await startMpmd(null, [
      "-f",
      `${dir}/httpd.conf`,
      ...pool.flatMap((d) => ["-c", d]),
    ]);
    const response = await fetch(`${server.origin}/files/?C=S;O=D`);
    assert.equal(response.headers.get("content-type"), "text/html; charset=UTF-8");
    const html = await response.text();
    assert.ok(html.includes("<body>\n<p>Welcome to the files</p>\n<table>"), html);
    const listed = [...html.matchAll(/<td><a href="([^"?]+)">/g)].map((m) => m[1]);
    assert.deepEqual(listed, ["../", "sub/", "large.bin", "small.txt", "a%20%3Cb%3E.txt"]);
    assert.ok(html.includes('<td align="right">3.4K</td>'));
    assert.ok(html.includes(">a &lt;b&gt;.txt</a>"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
