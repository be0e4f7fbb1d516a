import assert from "node:assert/strict";
import { includedFiles } from "../../../../../server/config/readers/httpd_conf/mod.ts";
import { assertRefusals, confErrors, memoryFiles, readConf } from "./_read_conf.ts";

const TREE = memoryFiles({
  "/etc/a/conf.d/b.conf": "",
  "/etc/a/conf.d/a.conf": "",
  "/etc/a/conf.d/.hidden.conf": "",
  "/etc/a/conf.d/c.txt": "",
  "/etc/a/conf.d/sub/z.conf": "",
  "/etc/a/mods/x/1.load": "",
  "/etc/a/mods/y/2.load": "",
  "/etc/a/one.conf": "",
});

Deno.test("includedFiles() lists the files an Include names, in httpd's order", async (t) => {
  const CASES = [
    { pattern: "/etc/a/one.conf", paths: ["/etc/a/one.conf"] },
    {
      pattern: "/etc/a/conf.d",
      paths: [
        "/etc/a/conf.d/.hidden.conf",
        "/etc/a/conf.d/a.conf",
        "/etc/a/conf.d/b.conf",
        "/etc/a/conf.d/c.txt",
        "/etc/a/conf.d/sub/z.conf",
      ],
    },
    { pattern: "/etc/a/conf.d/*.conf", paths: ["/etc/a/conf.d/a.conf", "/etc/a/conf.d/b.conf"] },
    { pattern: "/etc/a/conf.d/.*.conf", paths: ["/etc/a/conf.d/.hidden.conf"] },
    { pattern: "/etc/a/conf.d/?.conf", paths: ["/etc/a/conf.d/a.conf", "/etc/a/conf.d/b.conf"] },
    { pattern: "/etc/a/conf.d/[!a].conf", paths: ["/etc/a/conf.d/b.conf"] },
    { pattern: "/etc/a/conf.d/[ac].*", paths: ["/etc/a/conf.d/a.conf", "/etc/a/conf.d/c.txt"] },
    { pattern: "/etc/a/mods/*/*.load", paths: ["/etc/a/mods/x/1.load", "/etc/a/mods/y/2.load"] },
    { pattern: "/etc/a/conf.d/s*", paths: ["/etc/a/conf.d/sub/z.conf"] },
  ];
  for (const c of CASES) {
    await t.step(c.pattern, () => {
      assert.deepEqual(includedFiles(c.pattern, TREE, "Include"), { paths: c.paths });
    });
  }
});

Deno.test("includedFiles() finds nothing: an error for Include, fine for IncludeOptional", async (t) => {
  const CASES = [
    { pattern: "/etc/a/none.conf", problem: "/etc/a/none.conf: no such file or directory" },
    {
      pattern: "/etc/a/conf.d/*.load",
      problem: "no file matches the wildcard /etc/a/conf.d/*.load (IncludeOptional allows that)",
    },
    {
      pattern: "/etc/nowhere/*.conf",
      problem: "no file matches the wildcard /etc/nowhere/*.conf (IncludeOptional allows that)",
    },
  ];
  for (const c of CASES) {
    await t.step(c.pattern, () => {
      assert.deepEqual(includedFiles(c.pattern, TREE, "Include"), { problem: c.problem });
      assert.deepEqual(includedFiles(c.pattern, TREE, "IncludeOptional"), { paths: [] });
    });
  }
});

Deno.test("Include reads files relative to ServerRoot, in the context of the line", () => {
  const { config, warnings } = readConf(
    "Include conf/a.conf\n<IfDefine !NEVER>\nInclude conf.d/\n</IfDefine>\nIncludeOptional missing/*.conf",
    {
      tree: {
        "conf/a.conf": "Timeout 31\nContentDigest On",
        "conf.d/1.conf": "KeepAlive Off\n",
        "conf.d/2.conf": "<IfModule mod_mime.c>\nMaxKeepAliveRequests 3\n</IfModule>",
      },
    },
  );
  assert.equal(config.timeoutMs, 31_000);
  assert.equal(config.keepAlive, false);
  assert.equal(config.maxKeepAliveRequests, 3);
  // Included files are named relative to the main file's directory.
  assert.deepEqual(warnings, ["conf/a.conf:2: Ignoring ContentDigest: mpmd does not implement it"]);
});

Deno.test("Include follows a ServerRoot set above it", () => {
  const { config } = readConf("ServerRoot /srv/other\nInclude conf/a.conf", {
    tree: { "other/conf/a.conf": "Timeout 32" },
  });
  assert.equal(config.timeoutMs, 32_000);
});

Deno.test("a section must close in the file that opens it", () => {
  assert.deepEqual(
    confErrors("Include a.conf\n</IfModule>", { tree: { "a.conf": "<IfModule mod_mime.c>\n" } }),
    [
      "a.conf:1: Cannot read <IfModule>: the section is not closed (no </IfModule> before the end of the file)",
      "httpd.conf:2: Cannot close </IfModule>: no <IfModule> section is open",
    ],
  );
});

Deno.test("Include reports what it cannot include, with file and line", async (t) => {
  const CASES = [
    {
      name: "a missing file",
      text: "Timeout 5\nInclude conf/none.conf",
      tree: {},
      errors: [
        "httpd.conf:2: Cannot include conf/none.conf: /srv/conf/none.conf: no such file or directory",
      ],
    },
    {
      name: "a wildcard that matches nothing",
      text: "Include conf/*.conf",
      tree: {},
      errors: [
        "httpd.conf:1: Cannot include conf/*.conf: no file matches the wildcard /srv/conf/*.conf (IncludeOptional allows that)",
      ],
    },
    {
      name: "two arguments",
      text: "Include a.conf b.conf",
      tree: {},
      errors: ["httpd.conf:1: Cannot use Include: it takes one file, directory or wildcard"],
    },
    {
      name: "an include that includes itself",
      text: "Include loop.conf",
      tree: { "loop.conf": "Include loop.conf\n" },
      errors: [
        "loop.conf:1: Cannot include loop.conf: more than 128 nested includes (a file probably includes itself)",
      ],
    },
  ];
  await assertRefusals(t, CASES);
});

Deno.test("Include reports a file that cannot be read, with the Include's line", () => {
  const files = memoryFiles({ "/srv/secret.conf": "" });
  const unreadable = {
    ...files,
    readText: (path: string) => {
      throw new Error(`${path}: permission denied`);
    },
  };
  assert.deepEqual(confErrors("Timeout 5\nInclude secret.conf", { files: unreadable }), [
    "httpd.conf:2: Cannot include /srv/secret.conf: /srv/secret.conf: permission denied",
  ]);
});
