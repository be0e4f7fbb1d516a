import assert from "node:assert/strict";
import { join } from "node:path";
import { MPM_NAMES, type MpmName, type ServerConfig } from "../../../../../server/config/mod.ts";
import { DISK_FILES } from "../../../../../server/config/readers/httpd_conf/mod.ts";
import { MPM_MODULES } from "../../../../../server/config/httpd_syntax/mod.ts";
import {
  configSyntaxOf,
  configToYaml,
  type LoadedConfig,
  type ParseConfigOptions,
  parseConfigText,
} from "../../../../../server/config/readers/mod.ts";

/**
 * Configurations in the shapes Apache users have: httpd's stock httpd.conf with
 * extra/httpd-mpm.conf, and Debian's split apache2.conf layout.
 */

const FIXTURES = new URL("./_fixtures/", import.meta.url).pathname;
const STOCK = "httpd/conf/httpd.conf";
const DEBIAN = "debian/apache2.conf";

/** What Debian's envvars would set, with the fixture's own www/ for /var/www. */
const DEBIAN_ENV: Readonly<Record<string, string>> = {
  APACHE_RUN_USER: "www-data",
  APACHE_RUN_GROUP: "www-data",
  APACHE_PID_FILE: "/var/run/apache2/apache2.pid",
  APACHE_RUN_DIR: "/var/run/apache2",
  APACHE_LOCK_DIR: "/var/lock/apache2",
  APACHE_LOG_DIR: "/var/log/apache2",
  APACHE_WWW_DIR: join(FIXTURES, "debian/www"),
};

function readFixture(
  rel: string,
  options: Partial<ParseConfigOptions> & { readonly text?: string } = {},
): LoadedConfig {
  const { text, ...rest } = options;
  const file = join(FIXTURES, rel);
  return parseConfigText(text ?? Deno.readTextFileSync(file), {
    file,
    fileLabel: rel,
    platformDefaultMpm: "event",
    files: DISK_FILES,
    env: (name) => DEBIAN_ENV[name],
    ...rest,
  });
}

/** httpd-mpm.conf's values for each MPM. */
const MPM_BLOCKS: Readonly<Record<MpmName, Readonly<Record<string, number>>>> = {
  prefork: { StartServers: 5, MinSpareServers: 5, MaxSpareServers: 10, MaxRequestWorkers: 250 },
  worker: {
    StartServers: 3,
    MinSpareThreads: 75,
    MaxSpareThreads: 250,
    ThreadsPerChild: 25,
    MaxRequestWorkers: 400,
  },
  event: {
    StartServers: 3,
    MinSpareThreads: 75,
    MaxSpareThreads: 250,
    ThreadsPerChild: 25,
    MaxRequestWorkers: 400,
  },
  netware: { StartThreads: 250, MinSpareThreads: 25, MaxSpareThreads: 250, MaxThreads: 1000 },
  mpmt_os2: { StartServers: 2, MinSpareThreads: 5, MaxSpareThreads: 10 },
  winnt: { ThreadsPerChild: 150 },
};

/** The LoadModule lines of the stock fixture that mpmd warns about. */
const UNIMPLEMENTED_MODULES = [
  [33, "unixd_module"],
] as const;

/** The stock httpd.conf with `mpm`'s module loaded instead of event's. */
function stockWith(mpm: MpmName): string {
  return Deno.readTextFileSync(join(FIXTURES, STOCK)).replace(
    "LoadModule mpm_event_module modules/mod_mpm_event.so",
    `LoadModule ${MPM_MODULES[mpm].id} modules/mod_mpm_${mpm}.so`,
  );
}

Deno.test("the stock httpd.conf shape: each MPM's <IfModule> block applies only when loaded", async (t) => {
  for (const mpm of MPM_NAMES) {
    await t.step(mpm, () => {
      const { config, warnings } = readFixture(STOCK, { text: stockWith(mpm) });
      assert.equal(config.mpm, mpm);
      for (const [name, value] of Object.entries(MPM_BLOCKS[mpm])) {
        assert.equal(config.mpmDirectives[name], value, name);
      }
      // Another block's directives would be warned about ("not of the active MPM").
      assert.deepEqual(warnings.filter((w) => w.includes("active MPM")), []);
      // httpd-mpm.conf sets PidFile for every MPM but netware.
      assert.equal(
        config.pidFile?.endsWith("httpd.pid") ?? "none",
        mpm === "netware" ? "none" : true,
      );
    });
  }
});

Deno.test("the stock httpd.conf shape maps onto the same settings as its YAML", () => {
  const { config, warnings } = readFixture(STOCK);
  const root = join(FIXTURES, "httpd");
  assert.equal(config.serverRoot, root);
  assert.deepEqual(config.listen.map((l) => [l.hostname, l.port, l.origin]), [
    ["0.0.0.0", 8080, `${STOCK}:17`],
  ]);
  assert.equal(config.errorLog, join(root, "logs/error_log"));
  assert.equal(config.extendedStatus, true);
  const host = config.hosts[0];
  assert.equal(host.documentRoot, join(root, "htdocs"));
  assert.deepEqual([host.indexes, host.followSymLinks], [true, true]);
  assert.deepEqual(host.directoryIndex, ["index.html"]);
  assert.deepEqual(host.addType, {
    z: "application/x-compress",
    gz: "application/x-gzip",
    tgz: "application/x-gzip",
  });
  assert.deepEqual(host.customLogs, [
    { path: join(root, "logs/access_log"), format: '%h %l %u %t "%r" %>s %b' },
  ]);
  assert.deepEqual(host.status, {
    location: "/server-status",
    metricsLocation: "/metrics",
    allow: ["127.0.0.0/8", "::1/128", "192.0.2.0/24"],
  });
  const at = (line: number) => `${STOCK}:${line}`;
  assert.deepEqual(warnings, [
    ...UNIMPLEMENTED_MODULES.map(([line, id]) =>
      `${
        at(line)
      }: Ignoring LoadModule ${id}: mpmd does not implement it, so its <IfModule> sections are skipped`
    ),
    "httpd/conf/extra/httpd-mpm.conf:67: Ignoring MaxMemFree: mpmd does not implement it",
    `${
      at(113)
    }: ScriptAlias /cgi-bin/: mpmd runs no CGI programs; requests under it are answered 403 Forbidden`,
  ]);
});

Deno.test("Debian's split layout: mods-enabled, ports.conf, conf-enabled, sites-enabled", () => {
  const { config, warnings } = readFixture(DEBIAN);
  const www = join(FIXTURES, "debian/www");
  assert.equal(config.serverRoot, join(FIXTURES, "debian"));
  assert.equal(config.mpm, "event");
  assert.deepEqual(config.mpmDirectives, {
    StartServers: 2,
    MinSpareThreads: 25,
    MaxSpareThreads: 75,
    ThreadsPerChild: 25,
    ThreadLimit: 64,
    ServerLimit: 16,
    MaxRequestWorkers: 150,
    MaxConnectionsPerChild: 0,
    MaxReadingPerThread: 256,
    AsyncRequestWorkerFactor: 2,
    MaxRequestsPerThread: 0,
  });
  assert.deepEqual(config.listen.map((l) => [l.port, l.origin]), [[8080, "debian/ports.conf:3"]]);
  assert.equal(config.timeoutMs, 300_000);
  assert.equal(config.serverTokens, "OS");
  assert.equal(config.pidFile, "/var/run/apache2/apache2.pid");
  assert.equal(config.errorLog, "/var/log/apache2/error.log");
  assert.deepEqual(config.requestReadTimeout.body, {
    initialMs: 10_000,
    maxMs: Number.MAX_SAFE_INTEGER,
    minRateBytesPerSec: 500,
  });
  // The main server keeps the default DocumentRoot; 000-default.conf's host answers on *:8080.
  assert.equal(config.hosts.length, 2);
  const host = config.hosts[1]!;
  assert.deepEqual(host.addresses, [{ hostname: null, port: 8080 }]);
  assert.equal(host.declaredAt, "debian/sites-enabled/000-default.conf:1");
  assert.equal(host.serverAdmin, "webmaster@localhost");
  assert.equal(host.documentRoot, join(www, "html"));
  assert.deepEqual([host.indexes, host.followSymLinks], [true, true]);
  assert.equal(host.directoryIndex.length, 6);
  assert.equal(host.addType.bz2, "application/x-bzip2");
  assert.equal(host.addCharset.utf8, "UTF-8");
  assert.equal(host.serverSignature, "On");
  // Its `ErrorLog ${APACHE_LOG_DIR}/error.log`, the main server's file too.
  assert.equal(host.errorLog, "/var/log/apache2/error.log");
  // Debian's own `combined`, with mod_logio's %O, as shipped.
  assert.deepEqual(host.customLogs, [
    {
      path: "/var/log/apache2/access.log",
      format: '%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
    },
  ]);
  assert.deepEqual(host.status?.allow, ["127.0.0.0/8", "::1/128"]);
  assert.deepEqual(host.autoindex, {
    flags: ["FancyIndexing", "HTMLTable", "VersionSort"],
    nameWidth: "*",
    charset: "UTF-8",
    orderDefault: { key: "N", ascending: true },
    ignore: [".??*", "*~", "*#", "RCS", "CVS", "*,v", "*,t"],
    headerName: "HEADER.html",
    readmeName: "README.html",
  });
  assert.ok(
    warnings.includes(
      "debian/mods-enabled/autoindex.conf:3: Ignoring IndexOptions DescriptionWidth=*: mpmd does not implement it",
    ),
  );
  assert.ok(
    warnings.includes(
      "debian/mods-enabled/rewrite.load:1: Ignoring LoadModule rewrite_module: mpmd does not implement it, so its <IfModule> sections are skipped",
    ),
  );
  assert.ok(
    warnings.includes(
      "debian/mods-enabled/mime.conf:11: Ignoring AddLanguage: mpmd does not implement it (written 3 times; the first is shown)",
    ),
  );
  assert.ok(!warnings.some((w) => w.includes("ErrorLog")));
});

Deno.test("the fixtures are read as httpd syntax", () => {
  for (const rel of [STOCK, DEBIAN, "httpd/conf/extra/httpd-mpm.conf"]) {
    assert.equal(
      configSyntaxOf(join(FIXTURES, rel), Deno.readTextFileSync(join(FIXTURES, rel))),
      "httpd",
      rel,
    );
  }
});

/** A configuration without what names where it was written. */
function comparable(config: ServerConfig): unknown {
  return {
    ...config,
    file: null,
    listen: config.listen.map((l) => ({ ...l, origin: "" })),
    // Where a host was declared: the converted file's lines are not the original's.
    hosts: config.hosts.map((h) => ({ ...h, declaredAt: "" })),
    // YAML has no LoadModule: every loadable module is in effect there.
    loadedModules: [],
  };
}

Deno.test("configToYaml() output loads back to the same configuration", async (t) => {
  const CASES = [
    ...MPM_NAMES.map((mpm) => ({
      name: `stock httpd.conf, ${mpm}`,
      rel: STOCK,
      text: stockWith(mpm),
      mpmOverride: undefined as MpmName | undefined,
    })),
    {
      name: "stock httpd.conf, --mpm prefork",
      rel: STOCK,
      text: undefined,
      mpmOverride: "prefork" as const,
    },
    {
      name: "Debian layout",
      rel: DEBIAN,
      text: undefined,
      mpmOverride: undefined,
    },
    {
      name: "stock httpd.conf with AllowOverride, AccessFileName and per-directory settings",
      rel: STOCK,
      text: [
        stockWith("event"),
        "AccessFileName .htaccess .acl",
        "<Directory /srv/a>\nAllowOverride AuthConfig Options=Indexes\nDirectoryIndex start.html\nOptions -Indexes\n</Directory>",
        "<Directory /srv/b>\nAllowOverride All\n</Directory>",
        "<DirectoryMatch ^/srv/c>\nDirectoryIndex disabled\n</DirectoryMatch>",
      ].join("\n"),
      mpmOverride: undefined,
    },
    {
      name: "stock httpd.conf with ErrorLogFormat json",
      rel: STOCK,
      text: `${stockWith("event")}\nErrorLogFormat json\n`,
      mpmOverride: undefined,
    },
    {
      name: "stock httpd.conf with mod_mime and core host directives, per virtual host too",
      rel: STOCK,
      text: [
        stockWith("event"),
        "AddCharset UTF-8 .utf8",
        "ServerSignature EMail",
        "UseCanonicalName On",
        "LogLevel info",
        "<VirtualHost *:80>",
        "  ServerName v.test",
        "  AddCharset koi8-r .ru",
        "  ForceType text/plain",
        "  ServerSignature Off",
        "  UseCanonicalName Off",
        "  ErrorLog logs/v_error_log",
        "  LogLevel debug",
        "</VirtualHost>",
        "<VirtualHost *:80>",
        "  ServerName w.test",
        "  ForceType None",
        "</VirtualHost>",
      ].join("\n"),
      mpmOverride: undefined,
    },
    {
      name: "stock httpd.conf with mod_deflate and mod_brotli, per virtual host too",
      rel: STOCK,
      text: [
        stockWith("event"),
        "<IfModule mod_deflate.c>",
        "  AddOutputFilterByType DEFLATE text/html text/plain",
        "  DeflateCompressionLevel 9",
        "  DeflateAlterEtag Remove",
        "</IfModule>",
        "<IfModule brotli_module>",
        "  AddOutputFilterByType BROTLI_COMPRESS;DEFLATE application/json",
        "  BrotliCompressionQuality 11",
        "</IfModule>",
        "<VirtualHost *:80>",
        "  ServerName v.test",
        "  AddOutputFilterByType DEFLATE text/css",
        "  SetOutputFilter BROTLI_COMPRESS",
        "  DeflateMinLength 1000",
        "  BrotliAlterETag NoChange",
        "</VirtualHost>",
      ].join("\n"),
      mpmOverride: undefined,
    },
    {
      name: "stock httpd.conf with mod_proxy, per virtual host and per Location too",
      rel: STOCK,
      text: [
        stockWith("event"),
        "<IfModule proxy_module>",
        "ProxyPass /static !",
        "ProxyPass /api http://127.0.0.1:9001/v1 timeout=3 connectiontimeout=500ms keepalive=On max=5 ttl=30",
        "ProxyPassMatch ^/img/(.*)\\.png$ http://127.0.0.1:9002/png/$1",
        "ProxyPassReverse /api http://127.0.0.1:9001/v1",
        "ProxyPassReverseCookieDomain internal.test example.test",
        "ProxyPassReverseCookiePath /v1 /api",
        "ProxyTimeout 7",
        "ProxyAddHeaders Off",
        "</IfModule>",
        "<Location /app>",
        "  ProxyPass http://127.0.0.1:9003/",
        "  ProxyPassReverse http://127.0.0.1:9003/",
        "</Location>",
        "<VirtualHost *:80>",
        "  ServerName v.test",
        "  ProxyPreserveHost On",
        "  ProxyForwarded On",
        "  ProxyPass /v http://127.0.0.1:9004/",
        "</VirtualHost>",
      ].join("\n"),
      mpmOverride: undefined,
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const override = c.mpmOverride === undefined ? {} : { mpmOverride: c.mpmOverride };
      const { config } = readFixture(c.rel, {
        ...(c.text === undefined ? {} : { text: c.text }),
        ...override,
      });
      const yaml = configToYaml(config);
      assert.equal(configSyntaxOf("/tmp/converted.conf", yaml), "yaml");
      const back = parseConfigText(yaml, {
        file: "/tmp/converted.yaml",
        platformDefaultMpm: "event",
        ...override,
      });
      assert.deepEqual(comparable(back.config), comparable(config));
    });
  }
});
