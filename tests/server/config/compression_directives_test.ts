import assert from "node:assert/strict";
import {
  type CompressionConfig,
  DEFAULT_COMPRESSION,
  type HostConfig,
} from "../../../server/config/mod.ts";
import { errorsOf, parseYaml, withListen } from "./readers/_parse_yaml.ts";
import { readConf } from "./readers/httpd_conf/_read_conf.ts";

/** mod_deflate's and mod_brotli's directives, as each reader reads them into one model. */

const mainOf = (yaml: string): HostConfig => parseYaml(withListen(yaml)).config.hosts[0];
const mainOfConf = (text: string): HostConfig => readConf(text).config.hosts[0];

const DEFAULTS: CompressionConfig = DEFAULT_COMPRESSION;

const VALUES: {
  readonly yaml: string;
  readonly conf: string;
  readonly want: Partial<CompressionConfig>;
}[] = [
  { yaml: "ServerName: a", conf: "ServerName a", want: {} },
  {
    yaml: "AddOutputFilterByType: DEFLATE text/html Text/Plain",
    conf: "AddOutputFilterByType DEFLATE text/html Text/Plain",
    want: { byType: [{ filters: ["DEFLATE"], types: ["text/html", "text/plain"] }] },
  },
  {
    yaml: 'AddOutputFilterByType: ["brotli_compress;DEFLATE text/css", "DEFLATE image/svg+xml"]',
    conf: "AddOutputFilterByType brotli_compress;DEFLATE text/css\n" +
      "AddOutputFilterByType DEFLATE image/svg+xml",
    want: {
      byType: [
        { filters: ["BROTLI_COMPRESS", "DEFLATE"], types: ["text/css"] },
        { filters: ["DEFLATE"], types: ["image/svg+xml"] },
      ],
    },
  },
  {
    yaml: "SetOutputFilter: DEFLATE;BROTLI_COMPRESS",
    conf: "SetOutputFilter DEFLATE;BROTLI_COMPRESS",
    want: { always: ["DEFLATE", "BROTLI_COMPRESS"] },
  },
  { yaml: "SetOutputFilter: none", conf: "SetOutputFilter None", want: { always: [] } },
  {
    yaml: "DeflateCompressionLevel: 1",
    conf: "DeflateCompressionLevel 1",
    want: { deflateLevel: 1 },
  },
  {
    yaml: "BrotliCompressionQuality: 0",
    conf: "BrotliCompressionQuality 0",
    want: { brotliQuality: 0 },
  },
  { yaml: "DeflateMinLength: 0", conf: "DeflateMinLength 0", want: { minLengthBytes: 0 } },
  {
    yaml: "DeflateAlterETag: NoChange",
    conf: "DeflateAlterEtag nochange",
    want: { deflateAlterETag: "NoChange" },
  },
  {
    yaml: "BrotliAlterETag: Remove",
    conf: "BrotliAlterETag Remove",
    want: { brotliAlterETag: "Remove" },
  },
  {
    yaml: "ServerName: a",
    conf: "<IfModule deflate_module>\nAddOutputFilterByType DEFLATE text/html\n</IfModule>\n" +
      "<IfModule mod_brotli.c>\nBrotliCompressionQuality 4\n</IfModule>\n" +
      "<IfModule !filter_module>\nDeflateCompressionLevel 2\n</IfModule>",
    want: { byType: [{ filters: ["DEFLATE"], types: ["text/html"] }], brotliQuality: 4 },
  },
];

Deno.test("the compression defaults are httpd's: level 6, quality 5, AddSuffix; no filter", () => {
  assert.deepEqual(DEFAULT_COMPRESSION, {
    byType: [],
    always: [],
    deflateLevel: 6,
    brotliQuality: 5,
    minLengthBytes: 69,
    deflateAlterETag: "AddSuffix",
    brotliAlterETag: "AddSuffix",
  });
});

Deno.test("compression directives read the same from YAML and httpd.conf", async (t) => {
  for (const c of VALUES) {
    await t.step(`${c.yaml} | ${c.conf}`, () => {
      const want = { ...DEFAULTS, ...c.want };
      if (!c.conf.includes("IfModule")) assert.deepEqual(mainOf(c.yaml).compression, want);
      assert.deepEqual(mainOfConf(c.conf).compression, want);
    });
  }
});

const REFUSED: { readonly yaml: string; readonly error: string }[] = [
  {
    yaml: "AddOutputFilterByType: INCLUDES text/html",
    error: 'Cannot set AddOutputFilterByType: mpmd does not have the output filter "INCLUDES" ' +
      "(it has DEFLATE, BROTLI_COMPRESS)",
  },
  {
    yaml: "AddOutputFilterByType: DEFLATE",
    error: 'Cannot set AddOutputFilterByType: "DEFLATE" is not "FILTER[;FILTER] media-type…"',
  },
  {
    yaml: "AddOutputFilterByType: DEFLATE text",
    error: 'Cannot set AddOutputFilterByType: "text" is not a media type (type/subtype)',
  },
  {
    yaml: "SetOutputFilter: DEFLATE BROTLI_COMPRESS",
    error: 'Cannot set SetOutputFilter: "DEFLATE BROTLI_COMPRESS" is more than one value',
  },
  {
    yaml: "DeflateCompressionLevel: 0",
    error: "Cannot set DeflateCompressionLevel: 0 is below the minimum (1)",
  },
  {
    yaml: "BrotliCompressionQuality: 12",
    error: "Cannot set BrotliCompressionQuality: 12 is above the maximum (11)",
  },
  {
    yaml: "DeflateAlterETag: Strip",
    error: 'Cannot set DeflateAlterETag: "Strip" is not one of AddSuffix, NoChange, Remove',
  },
];

Deno.test("compression directives refuse what mpmd cannot honour, at file:line", async (t) => {
  for (const c of REFUSED) {
    await t.step(c.yaml, () => {
      const [error, ...more] = errorsOf(withListen(c.yaml));
      assert.deepEqual(more, []);
      assert.ok(error?.startsWith(`mpmd.yaml:2: ${c.error}`), error);
    });
  }
});

Deno.test("a <VirtualHost> adds AddOutputFilterByType lines to the main server's, and sets its own level", () => {
  const { config, warnings } = readConf([
    "AddOutputFilterByType DEFLATE text/html",
    "DeflateCompressionLevel 4",
    "<VirtualHost *:8080>",
    "  ServerName a.example",
    "  AddOutputFilterByType BROTLI_COMPRESS text/css",
    "  DeflateCompressionLevel 8",
    "</VirtualHost>",
    "<Location /x>",
    "  AddOutputFilterByType DEFLATE text/plain",
    "</Location>",
  ].join("\n"));
  assert.deepEqual(warnings, [
    "httpd.conf:9: Ignoring AddOutputFilterByType inside <Location /x>: mpmd sets it per host, not per directory",
  ]);
  const [main, host] = config.hosts as unknown as [HostConfig, HostConfig];
  assert.deepEqual(main.compression.byType, [{ filters: ["DEFLATE"], types: ["text/html"] }]);
  assert.equal(main.compression.deflateLevel, 4);
  assert.deepEqual(host.compression.byType, [
    { filters: ["DEFLATE"], types: ["text/html"] },
    { filters: ["BROTLI_COMPRESS"], types: ["text/css"] },
  ]);
  assert.equal(host.compression.deflateLevel, 8);
});
