import assert from "node:assert/strict";
import { DEFAULT_PROXY_CONFIG, DEFAULT_PROXY_WORKER } from "../../../server/config/mod.ts";
import { errorsOf, parseYaml } from "./readers/_parse_yaml.ts";
import { confErrors, readConf } from "./readers/httpd_conf/_read_conf.ts";

Deno.test("mod_proxy's directives: defaults, YAML lines and worker keys", async (t) => {
  await t.step("a host proxies nothing by default; ProxyAddHeaders is On", () => {
    assert.deepEqual(parseYaml("Listen: 8080").config.hosts[0].proxy, DEFAULT_PROXY_CONFIG);
  });
  await t.step("lines in YAML, ProxyPass before ProxyPassMatch, keys parsed", () => {
    const { config } = parseYaml([
      "Listen: 8080",
      "ProxyPass:",
      "  - /static !",
      "  - /api http://127.0.0.1:9001/v1 timeout=3 connectiontimeout=250ms keepalive=On max=8 ttl=30",
      'ProxyPassMatch: ["^/img/(.*)$ http://127.0.0.1:9002/$1"]',
      'ProxyPassReverse: "/api http://127.0.0.1:9001/v1"',
      "ProxyPreserveHost: On",
      "ProxyTimeout: 5",
      "ProxyRequests: Off",
    ].join("\n"));
    const proxy = config.hosts[0].proxy;
    assert.deepEqual(proxy.rules, [
      { kind: "prefix", match: "/static", target: null, worker: DEFAULT_PROXY_WORKER },
      {
        kind: "prefix",
        match: "/api",
        target: "http://127.0.0.1:9001/v1",
        worker: {
          timeoutMs: 3000,
          connectionTimeoutMs: 250,
          tcpKeepAlive: true,
          max: 8,
          ttlMs: 30_000,
        },
      },
      {
        kind: "regex",
        match: "^/img/(.*)$",
        target: "http://127.0.0.1:9002/$1",
        worker: DEFAULT_PROXY_WORKER,
      },
    ]);
    assert.deepEqual(proxy.reverse, [{ backend: "http://127.0.0.1:9001/v1", public: "/api" }]);
    assert.equal(proxy.preserveHost, true);
    assert.equal(proxy.timeoutMs, 5000);
  });
});

Deno.test("mod_proxy's directives refuse what mpmd cannot do, naming the line", async (t) => {
  const CASES = [
    { yaml: 'ProxyPass: "/a"', error: '"/a" is not "path url [key=value …]" or "path !"' },
    { yaml: 'ProxyPass: "a http://x/"', error: '"a" is not a URL path starting with /' },
    { yaml: 'ProxyPass: "/a nowhere"', error: '"nowhere" is not a URL' },
    {
      yaml: 'ProxyPass: "/a http://x/ maxx=3"',
      error:
        '"maxx" is not a worker key mpmd implements (timeout, connectiontimeout, keepalive, max, ttl) (did you mean max?)',
    },
    { yaml: 'ProxyPass: "/a http://x/ max=0"', error: 'max=: "0" is below the minimum (1)' },
    {
      yaml: 'ProxyPass: "/a balancer://pool/?x=1"',
      error:
        'Cannot proxy to "balancer://pool/?x=1": a balancer URL is balancer://name[/path], without a query or fragment',
    },
    {
      yaml: 'ProxyPass: "/a ftp://x/"',
      error: '"ftp://x/" is not an http:// URL (mpmd\'s proxy speaks HTTP/1.1)',
    },
    {
      yaml: 'ProxyPass: "/a http://x/?q=1"',
      error:
        '"http://x/?q=1" holds credentials, a query or a fragment: write scheme, host, port and path only',
    },
    { yaml: 'ProxyPass: "/a ! max=2"', error: '"path !" takes no keys' },
    {
      yaml: 'ProxyPassMatch: "(a http://x/"',
      error: '"(a" is not a valid regular expression: /(a/: Unterminated group',
    },
    {
      yaml: 'ProxyPassMatch: "^/(.*) http://$1/"',
      error: '"http://$1/" has a $ substitution in its host: only its path may have them',
    },
    { yaml: 'ProxyPassReverse: "api http://x/"', error: '"api" is not a URL path starting with /' },
    {
      yaml: "ProxyRequests: On",
      error:
        "On is refused: mpmd is no forward proxy (write Off, and ProxyPass for a reverse proxy)",
    },
    {
      yaml: 'Location: { /app: { ProxyPass: "http://x/" } }',
      error:
        '<Location /app>: write ProxyPass at the host\'s level with the path first (ProxyPass: ["PATH URL"]), not in a section',
    },
    {
      yaml: "ProxyTimeout: soon",
      error: '"soon" is not a duration (seconds, or a number with ms/s)',
    },
  ];
  for (const c of CASES) {
    await t.step(c.yaml, () => {
      const directive = c.yaml.split(":")[0];
      assert.deepEqual(errorsOf(`Listen: 8080\n${c.yaml}`), [
        `mpmd.yaml:2: Cannot set ${directive}: ${c.error}`,
      ]);
    });
  }
});

Deno.test("mod_proxy in httpd.conf: <IfModule>, the <Location> forms, errors at their lines", async (t) => {
  await t.step("proxy_module and mod_proxy_http.c count as present", () => {
    const { config } = readConf([
      "<IfModule proxy_module>",
      "<IfModule mod_proxy_http.c>",
      "ProxyPass /a http://127.0.0.1:9001/",
      "</IfModule>",
      "</IfModule>",
    ].join("\n"));
    assert.equal(config.hosts[0].proxy.rules[0]?.target, "http://127.0.0.1:9001/");
  });
  await t.step(
    "<Location> gives ProxyPass and ProxyPassReverse their path, <LocationMatch> its regex",
    () => {
      const { config } = readConf([
        "<Location /app>",
        "  ProxyPass http://127.0.0.1:9001/ max=3",
        "  ProxyPassReverse http://127.0.0.1:9001/",
        "</Location>",
        "<LocationMatch ^/img/(.*)$>",
        "  ProxyPass http://127.0.0.1:9002/$1",
        "</LocationMatch>",
      ].join("\n"));
      const proxy = config.hosts[0].proxy;
      assert.deepEqual(proxy.rules.map((r) => [r.kind, r.match, r.target, r.worker.max]), [
        ["prefix", "/app", "http://127.0.0.1:9001/", 3],
        ["regex", "^/img/(.*)$", "http://127.0.0.1:9002/$1", 100],
      ]);
      assert.deepEqual(proxy.reverse, [{ backend: "http://127.0.0.1:9001/", public: "/app" }]);
    },
  );
  await t.step("mistakes are refused at their own lines", () => {
    assert.deepEqual(
      confErrors([
        "ProxyPass /a http://x/ retry=5",
        "<Location /b>",
        "  ProxyPass /b http://x/",
        "</Location>",
        "ProxyRequests On",
      ].join("\n")),
      [
        "httpd.conf:3: Cannot use ProxyPass with a path inside <Location /b>: the section gives the path (ProxyPass url)",
        'httpd.conf:1: Cannot set ProxyPass: "retry" is not a worker key mpmd implements (timeout, connectiontimeout, keepalive, max, ttl)',
        "httpd.conf:5: Cannot set ProxyRequests: On is refused: mpmd is no forward proxy (write Off, and ProxyPass for a reverse proxy)",
      ],
    );
  });
});
