import assert from "node:assert/strict";
import { DEFAULT_AUTOINDEX } from "../../../../server/config/mod.ts";
import { configToYaml } from "../../../../server/config/readers/mod.ts";
import { errorsOf, parseYaml } from "./_parse_yaml.ts";
import { readConf } from "./httpd_conf/_read_conf.ts";

/** The main server's autoindex settings for YAML lines after `Listen: 8080`. */
const autoindexOf = (...lines: string[]) =>
  parseYaml(["Listen: 8080", ...lines].join("\n")).config.hosts[0].autoindex;

Deno.test("YAML: mod_autoindex's directives and their defaults", async (t) => {
  const cases = [
    { name: "nothing written: httpd's defaults", lines: [], autoindex: DEFAULT_AUTOINDEX },
    {
      name: "IndexOptions flags, NameWidth and Charset (any case)",
      lines: ["IndexOptions: fancyindexing HTMLTable NameWidth=* Charset=UTF-8"],
      autoindex: { flags: ["FancyIndexing", "HTMLTable"], nameWidth: "*", charset: "UTF-8" },
    },
    {
      name: "a YAML list, NameWidth as a number",
      lines: ["IndexOptions: [FoldersFirst, IgnoreCase, NameWidth=40]"],
      autoindex: { flags: ["FoldersFirst", "IgnoreCase"], nameWidth: 40 },
    },
    {
      name: "FancyIndexing On: the older switch",
      lines: ["FancyIndexing: On"],
      autoindex: { flags: ["FancyIndexing"] },
    },
    {
      name: "FancyIndexing Off wins over IndexOptions",
      lines: ["IndexOptions: FancyIndexing VersionSort", "FancyIndexing: false"],
      autoindex: { flags: ["VersionSort"] },
    },
    {
      name: "IndexOrderDefault, HeaderName, ReadmeName",
      lines: [
        "IndexOrderDefault: Descending Date",
        "HeaderName: HEADER.html",
        "ReadmeName: README",
      ],
      autoindex: {
        orderDefault: { key: "M", ascending: false },
        headerName: "HEADER.html",
        readmeName: "README",
      },
    },
    {
      name: "IndexIgnore: a list or words",
      lines: ["IndexIgnore: .??* *~ '*#'"],
      autoindex: { ignore: [".??*", "*~", "*#"] },
    },
  ] as const;
  for (const c of cases) {
    await t.step(c.name, () => {
      assert.deepEqual(autoindexOf(...c.lines), { ...DEFAULT_AUTOINDEX, ...c.autoindex });
    });
  }
});

Deno.test("IndexOptions: +/- and plain keywords combine as in httpd 2.4", async (t) => {
  const flags = (conf: string, host = 0) => readConf(conf).config.hosts[host]!.autoindex.flags;
  const vhost = (body: string) =>
    `<VirtualHost *:8080>\nServerName v.example\n${body}\n</VirtualHost>\n`;
  const cases = [
    {
      name: "lines add up",
      conf: "IndexOptions FancyIndexing\nIndexOptions HTMLTable",
      host: 0,
      flags: ["FancyIndexing", "HTMLTable"],
    },
    {
      name: "+ and - adjust",
      conf: "IndexOptions FancyIndexing HTMLTable\nIndexOptions -HTMLTable +FoldersFirst",
      host: 0,
      flags: ["FancyIndexing", "FoldersFirst"],
    },
    {
      name: "a plain keyword drops the +/- written before it",
      conf: "IndexOptions +FoldersFirst\nIndexOptions FancyIndexing",
      host: 0,
      flags: ["FancyIndexing"],
    },
    {
      name: "None clears",
      conf: "IndexOptions FancyIndexing\nIndexOptions None",
      host: 0,
      flags: [],
    },
    {
      name: "a virtual host's +/- adjust the main server's",
      conf: `IndexOptions FancyIndexing HTMLTable\n${vhost("IndexOptions +IgnoreCase -HTMLTable")}`,
      host: 1,
      flags: ["FancyIndexing", "IgnoreCase"],
    },
    {
      name: "a virtual host's plain keywords replace the main server's",
      conf: `IndexOptions FancyIndexing HTMLTable\n${vhost("IndexOptions FoldersFirst")}`,
      host: 1,
      flags: ["FoldersFirst"],
    },
    {
      name: "a virtual host without IndexOptions has the main server's",
      conf: `IndexOptions FancyIndexing\n${vhost("")}`,
      host: 1,
      flags: ["FancyIndexing"],
    },
    {
      name: "a virtual host's None",
      conf: `IndexOptions FancyIndexing\n${vhost("IndexOptions None")}`,
      host: 1,
      flags: [],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.deepEqual(flags(c.conf, c.host), c.flags));
  }
  await t.step("a virtual host adds IndexIgnore patterns, keeps NameWidth and Charset", () => {
    const { config } = readConf(
      `IndexOptions NameWidth=30 Charset=UTF-8\nIndexIgnore *~\n${vhost("IndexIgnore *.bak")}`,
    );
    const host = config.hosts[1]!.autoindex;
    assert.deepEqual([host.ignore, host.nameWidth, host.charset], [["*~", "*.bak"], 30, "UTF-8"]);
  });
});

Deno.test("httpd.conf: Debian's autoindex.conf loads, dropping what mpmd does not draw", () => {
  const { config, warnings } = readConf([
    "IndexOptions FancyIndexing VersionSort HTMLTable NameWidth=* DescriptionWidth=* Charset=UTF-8",
    "AddIcon /icons/text.gif .txt",
    "ReadmeName README.html",
    "HeaderName HEADER.html",
    "IndexIgnore .??* *~ *# RCS CVS *,v *,t",
    "IndexOptions SuppressIcon",
  ].join("\n"));
  assert.deepEqual(config.hosts[0].autoindex, {
    ...DEFAULT_AUTOINDEX,
    flags: ["FancyIndexing", "HTMLTable", "VersionSort"],
    nameWidth: "*",
    charset: "UTF-8",
    ignore: [".??*", "*~", "*#", "RCS", "CVS", "*,v", "*,t"],
    headerName: "HEADER.html",
    readmeName: "README.html",
  });
  assert.deepEqual(warnings, [
    "httpd.conf:1: Ignoring IndexOptions DescriptionWidth=*: mpmd does not implement it",
    "httpd.conf:6: Ignoring IndexOptions SuppressIcon: mpmd does not implement it",
    "httpd.conf:2: Ignoring AddIcon: mpmd does not implement it",
  ]);
});

Deno.test("mod_autoindex's directives refuse what mpmd cannot do, saying why", async (t) => {
  const cases = [
    [
      "IndexOptions: FancyIndexin",
      'IndexOptions: "FancyIndexin" is not an IndexOptions keyword (did you mean FancyIndexing?)',
    ],
    [
      "IndexOptions: DescriptionWidth=*",
      "IndexOptions: mpmd does not implement IndexOptions DescriptionWidth (it has FancyIndexing, FoldersFirst, HTMLTable, IgnoreCase, SuppressColumnSorting, SuppressHTMLPreamble, SuppressLastModified, SuppressSize, VersionSort, None, NameWidth=, Charset=)",
    ],
    [
      "IndexOptions: NameWidth=3",
      "IndexOptions: NameWidth=3 is not * or a number of characters from 5 to 1000",
    ],
    [
      "IndexOptions: +NameWidth=10",
      'IndexOptions: "+NameWidth=10": NameWidth takes a value (NameWidth=…) and no + or -',
    ],
    ["IndexOptions: +None", 'IndexOptions: "+None": None takes no + or -'],
    [
      "IndexOptions: None FancyIndexing",
      'IndexOptions: "None" cannot be combined with other options',
    ],
    ["IndexOptions: Charset=a;b", 'IndexOptions: "a;b" is not a charset name'],
    ["FancyIndexing: maybe", 'FancyIndexing: "maybe" is not On or Off'],
    [
      "IndexOrderDefault: Up Name",
      'IndexOrderDefault: "Up Name" is not Ascending or Descending then Name, Date, Size or Description',
    ],
    [
      "IndexIgnore: [a/b]",
      'IndexIgnore: "a/b" is not a name pattern: mpmd matches IndexIgnore against the names in the listed directory',
    ],
    [
      "HeaderName: ../x.html",
      'HeaderName: "../x.html" is not a file name: mpmd reads HeaderName from the listed directory only (no /, not hidden)',
    ],
    [
      "ReadmeName: .README",
      'ReadmeName: ".README" is not a file name: mpmd reads ReadmeName from the listed directory only (no /, not hidden)',
    ],
  ] as const;
  for (const [line, detail] of cases) {
    await t.step(line, () => {
      assert.deepEqual(errorsOf(`Listen: 8080\n${line}\n`), [`mpmd.yaml:2: Cannot set ${detail}`]);
    });
  }
});

Deno.test("configToYaml() writes mod_autoindex's directives back", () => {
  const { config } = readConf([
    "IndexOptions FancyIndexing HTMLTable NameWidth=40",
    "IndexOrderDefault Descending Size",
    "IndexIgnore *~",
    "HeaderName HEADER.html",
    "<VirtualHost *:8080>",
    "ServerName v.example",
    "IndexOptions -HTMLTable NameWidth=23",
    "IndexIgnore *.bak",
    "ReadmeName README.txt",
    "</VirtualHost>",
  ].join("\n"));
  const yaml = configToYaml(config);
  for (
    const part of [
      "IndexOptions:\n  - FancyIndexing\n  - HTMLTable\n  - NameWidth=40\n",
      "IndexOrderDefault: Descending Size\n",
      'IndexIgnore:\n  - "*~"\n',
      "HeaderName: HEADER.html\n",
      "    IndexOptions:\n      - FancyIndexing\n      - NameWidth=23\n",
      '    IndexIgnore:\n      - "*.bak"\n',
      "    ReadmeName: README.txt\n",
    ]
  ) assert.ok(yaml.includes(part), `no ${JSON.stringify(part)} in\n${yaml}`);
  const again = parseYaml(yaml).config;
  assert.deepEqual(again.hosts.map((h) => h.autoindex), config.hosts.map((h) => h.autoindex));
});
