import assert from "node:assert/strict";
import type { HostConfig } from "../../../server/config/mod.ts";
import { errorsOf, parseYaml, withListen } from "./readers/_parse_yaml.ts";
import { confErrors, readConf } from "./readers/httpd_conf/_read_conf.ts";

/**
 * The mod_mime and core host directives added together (AddCharset, ForceType,
 * ServerSignature, UseCanonicalName, HostnameLookups, and ErrorLog and LogLevel per host), as
 * each reader reads them into one model.
 */

const mainOf = (yaml: string): HostConfig => parseYaml(withListen(yaml)).config.hosts[0];
const mainOfConf = (text: string): HostConfig => readConf(text).config.hosts[0];

const VALUES: {
  readonly yaml: string;
  readonly conf: string;
  readonly get: (h: HostConfig) => unknown;
  readonly want: unknown;
}[] = [
  {
    yaml: 'AddCharset: {UTF-8: [".utf8", txt]}',
    conf: "AddCharset UTF-8 .utf8 .TXT",
    get: (h) => h.addCharset,
    want: { utf8: "UTF-8", txt: "UTF-8" },
  },
  {
    yaml: "AddCharset: iso-8859-1 .latin1",
    conf: "AddCharset iso-8859-1 .latin1\nAddCharset UTF-8 .u",
    get: (h) => h.addCharset.latin1,
    want: "iso-8859-1",
  },
  {
    yaml: "ForceType: text/plain",
    conf: "ForceType text/plain",
    get: (h) => h.forceType,
    want: "text/plain",
  },
  { yaml: "ForceType: None", conf: "ForceType none", get: (h) => h.forceType, want: null },
  {
    yaml: "ServerSignature: On",
    conf: "ServerSignature on",
    get: (h) => h.serverSignature,
    want: "On",
  },
  {
    yaml: "ServerSignature: true",
    conf: "ServerSignature On",
    get: (h) => h.serverSignature,
    want: "On",
  },
  {
    yaml: "ServerSignature: email",
    conf: "ServerSignature EMail",
    get: (h) => h.serverSignature,
    want: "EMail",
  },
  {
    yaml: "ServerSignature: false",
    conf: "ServerSignature Off",
    get: (h) => h.serverSignature,
    want: "Off",
  },
  {
    yaml: "UseCanonicalName: On",
    conf: "UseCanonicalName On",
    get: (h) => h.useCanonicalName,
    want: true,
  },
  {
    yaml: "UseCanonicalName: off",
    conf: "UseCanonicalName Off",
    get: (h) => h.useCanonicalName,
    want: false,
  },
  { yaml: "HostnameLookups: Off", conf: "HostnameLookups Off", get: (h) => h.addCharset, want: {} },
  {
    yaml: "ErrorLog: logs/e.log",
    conf: "ErrorLog logs/e.log",
    get: (h) => h.errorLog,
    want: "/srv/logs/e.log",
  },
  { yaml: "LogLevel: debug", conf: "LogLevel debug", get: (h) => h.logLevel, want: "debug" },
];

Deno.test("host directives read the same from YAML and httpd.conf", async (t) => {
  for (const c of VALUES) {
    await t.step(`${c.yaml} | ${c.conf}`, () => {
      assert.deepEqual(c.get(mainOf(c.yaml)), c.want);
      assert.deepEqual(c.get(mainOfConf(c.conf)), c.want);
    });
  }
});

const LOOKUPS = "needs a reverse DNS lookup and mpmd does not do reverse DNS lookups";

const REFUSED: { readonly yaml: string; readonly error: string }[] = [
  {
    yaml: "AddCharset: {utf 8: [.u]}",
    error: 'Cannot set AddCharset: "utf 8" is not a charset name',
  },
  { yaml: "AddCharset: UTF-8", error: "Cannot set AddCharset: UTF-8 has no extensions" },
  {
    yaml: "AddCharset: [UTF-8]",
    error: "Cannot set AddCharset: a list is not a map of charsets to extensions",
  },
  {
    yaml: "ForceType: text",
    error: 'Cannot set ForceType: "text" is not a media type (type/subtype) or None',
  },
  {
    yaml: "ServerSignature: Full",
    error: 'Cannot set ServerSignature: "Full" is not one of Off, On, EMail',
  },
  {
    yaml: "UseCanonicalName: DNS",
    error: `Cannot set UseCanonicalName: "DNS" ${LOOKUPS} (write On or Off)`,
  },
  {
    yaml: "HostnameLookups: On",
    error: `Cannot set HostnameLookups: "On" ${LOOKUPS} (write Off)`,
  },
  {
    yaml: "HostnameLookups: true",
    error: `Cannot set HostnameLookups: true ${LOOKUPS} (write Off)`,
  },
  {
    yaml: "HostnameLookups: Double",
    error: `Cannot set HostnameLookups: "Double" ${LOOKUPS} (write Off)`,
  },
  { yaml: "LogLevel: loud", error: `Cannot set LogLevel: "loud" is not one of` },
];

Deno.test("host directives refuse what mpmd cannot honour, naming the reason", async (t) => {
  for (const c of REFUSED) {
    await t.step(c.yaml, () => {
      const [error, ...more] = errorsOf(withListen(c.yaml));
      assert.deepEqual(more, []);
      assert.ok(error?.startsWith(`mpmd.yaml:2: ${c.error}`), error);
    });
  }
});

Deno.test("HostnameLookups On in httpd.conf is an error wherever it is written", async (t) => {
  const CASES = [
    { text: "HostnameLookups Double", line: 1, value: "Double" },
    { text: "<Directory />\n  HostnameLookups On\n</Directory>", line: 2, value: "On" },
    {
      text: "<VirtualHost *>\n<Location /x>\n  HostnameLookups On\n</Location>\n</VirtualHost>",
      line: 3,
      value: "On",
    },
  ];
  for (const c of CASES) {
    await t.step(c.text, () => {
      assert.deepEqual(confErrors(c.text), [
        `httpd.conf:${c.line}: Cannot set HostnameLookups: "${c.value}" ${LOOKUPS} (write Off)`,
      ]);
    });
  }
  await t.step("Off inside a section is read silently", () => {
    assert.deepEqual(readConf("<Directory />\n  HostnameLookups Off\n</Directory>").warnings, []);
  });
});

Deno.test("a <VirtualHost> adds to AddCharset and sets its own ErrorLog, LogLevel and the rest", () => {
  const { config, warnings } = readConf([
    "AddCharset UTF-8 .utf8",
    "ErrorLog logs/error.log",
    "ServerSignature On",
    "<VirtualHost *:8080>",
    "  ServerName a.example",
    "  AddCharset koi8-r .ru",
    "  ForceType text/plain",
    "  ServerSignature EMail",
    "  UseCanonicalName On",
    "  ErrorLog logs/a-error.log",
    "  LogLevel info",
    "</VirtualHost>",
    "<VirtualHost *:8080>",
    "  ServerName b.example",
    "</VirtualHost>",
  ].join("\n"));
  assert.deepEqual(warnings, []);
  const [main, a, b] = config.hosts as unknown as [HostConfig, HostConfig, HostConfig];
  const fields = (h: HostConfig) => [
    h.addCharset,
    h.forceType,
    h.serverSignature,
    h.useCanonicalName,
    h.errorLog,
    h.logLevel,
  ];
  assert.deepEqual(fields(main), [
    { utf8: "UTF-8" },
    null,
    "On",
    false,
    "/srv/logs/error.log",
    "warn",
  ]);
  assert.deepEqual(fields(a), [
    { utf8: "UTF-8", ru: "koi8-r" },
    "text/plain",
    "EMail",
    true,
    "/srv/logs/a-error.log",
    "info",
  ]);
  assert.deepEqual(fields(b), fields(main));
  assert.deepEqual([config.errorLog, config.logLevel], ["/srv/logs/error.log", "warn"]);
});
