import assert from "node:assert/strict";
import type { BalancerConfig } from "../../../server/config/mod.ts";
import { configToYaml } from "../../../server/config/readers/mod.ts";
import { errorsOf, parseYaml, withListen } from "./readers/_parse_yaml.ts";
import { confErrors, readConf } from "./readers/httpd_conf/_read_conf.ts";

const MEMBER_DEFAULT = {
  route: "",
  loadFactor: 1,
  retryMs: 60_000,
  status: [],
  healthCheck: { method: "NONE", path: "/", intervalMs: 30_000, passes: 1, fails: 1 },
} as const;

const BALANCER_DEFAULT = {
  lbMethod: "byrequests",
  stickySession: null,
  stickySessionSeparator: ".",
  noFailover: false,
  maxAttempts: null,
  forceRecovery: true,
} as const;

Deno.test("BalancerMember and ProxySet in YAML make balancers with httpd's defaults", () => {
  const { config } = parseYaml(withListen(
    `BalancerMember:
  - balancer://App http://127.0.0.1:8081 loadfactor=2 route=a
  - balancer://app http://127.0.0.1:8082/x/ route=b status=+H+I-I hcmethod=get hcuri=health hcinterval=200ms hcpasses=2 hcfails=3 retry=5
ProxySet:
  - balancer://app lbmethod=bytraffic stickysession=ROUTEID|routeid
  - balancer://app NoFailover=On maxattempts=0 forcerecovery=off stickysessionsep=_
`,
  ));
  const expected: BalancerConfig[] = [{
    name: "app",
    origin: "mpmd.yaml:3",
    members: [
      {
        ...MEMBER_DEFAULT,
        url: "http://127.0.0.1:8081/",
        route: "a",
        loadFactor: 2,
        origin: "mpmd.yaml:3",
      },
      {
        ...MEMBER_DEFAULT,
        url: "http://127.0.0.1:8082/x/",
        route: "b",
        retryMs: 5_000,
        status: ["H"],
        healthCheck: { method: "GET", path: "/x/health", intervalMs: 200, passes: 2, fails: 3 },
        origin: "mpmd.yaml:4",
      },
    ],
    ...BALANCER_DEFAULT,
    lbMethod: "bytraffic",
    stickySession: { cookie: "ROUTEID", urlParameter: "routeid" },
    stickySessionSeparator: "_",
    noFailover: true,
    maxAttempts: 0,
    forceRecovery: false,
  }];
  assert.deepEqual(config.balancers, expected);
});

Deno.test("BalancerMember and ProxySet refuse what they do not implement, at the line", async (t) => {
  const cases = [
    {
      name: "an unknown member key",
      line: "BalancerMember: balancer://a http://127.0.0.1:1 timeout=5",
      error:
        'mpmd.yaml:2: Cannot set BalancerMember: "timeout" is not a BalancerMember key mpmd implements (loadfactor, route, retry, status, hcmethod, hcuri, hcinterval, hcpasses, hcfails)',
    },
    {
      name: "a loadfactor out of range",
      line: "BalancerMember: balancer://a http://127.0.0.1:1 loadfactor=101",
      error: 'mpmd.yaml:2: Cannot set BalancerMember: loadfactor "101" is not a number 1 to 100',
    },
    {
      name: "a status flag httpd has and mpmd does not",
      line: "BalancerMember: balancer://a http://127.0.0.1:1 status=+R",
      error:
        'mpmd.yaml:2: Cannot set BalancerMember: status "+R" is not a flag mpmd implements (D, S, I, H, E, N, C)',
    },
    {
      name: "a member over https",
      line: "BalancerMember: balancer://a https://127.0.0.1:1",
      error:
        'mpmd.yaml:2: Cannot set BalancerMember: "https://127.0.0.1:1" is not an http://host:port/path member URL (mpmd\'s proxy reaches backends over HTTP/1.1)',
    },
    {
      name: "no balancer URL",
      line: "BalancerMember: http://127.0.0.1:1",
      error:
        'mpmd.yaml:2: Cannot set BalancerMember: "http://127.0.0.1:1" is not a balancer URL (BalancerMember balancer://name …, or inside <Proxy "balancer://name">)',
    },
    {
      name: "an hcinterval below 100 ms",
      line: "BalancerMember: balancer://a http://127.0.0.1:1 hcinterval=50ms",
      error: 'mpmd.yaml:2: Cannot set BalancerMember: "50ms" is below the minimum (100ms)',
    },
    {
      name: "an unknown hcmethod",
      line: "BalancerMember: balancer://a http://127.0.0.1:1 hcmethod=POST",
      error:
        'mpmd.yaml:2: Cannot set BalancerMember: hcmethod "POST" is not one of NONE, TCP, OPTIONS, HEAD, GET',
    },
    {
      name: "the heartbeat lbmethod",
      line:
        "BalancerMember: balancer://a http://127.0.0.1:1\nProxySet: balancer://a lbmethod=heartbeat",
      error:
        'mpmd.yaml:3: Cannot set ProxySet: lbmethod "heartbeat" is not one of byrequests, bybusyness, bytraffic',
    },
    {
      name: "a word that is not key=value",
      line: "BalancerMember: balancer://a http://127.0.0.1:1\nProxySet: balancer://a sticky",
      error: 'mpmd.yaml:3: Cannot set ProxySet: "sticky" is not key=value',
    },
    {
      name: "a balancer without members",
      line: "ProxySet: balancer://lonely lbmethod=bybusyness",
      error:
        "mpmd.yaml:2: Cannot use balancer://lonely (mpmd.yaml:2): no BalancerMember belongs to it",
    },
    {
      name: "one backend twice",
      line:
        "BalancerMember:\n  - balancer://a http://127.0.0.1:1/\n  - balancer://a http://127.0.0.1:1",
      error:
        "mpmd.yaml:2: Cannot add http://127.0.0.1:1/ to balancer://a twice (mpmd.yaml:3 and mpmd.yaml:4)",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.deepEqual(errorsOf(withListen(c.line)), [c.error]));
  }
});

const HTTPD_CONF = `<IfModule proxy_balancer_module>
<IfModule lbmethod_bybusyness_module>
<Proxy "balancer://web">
  BalancerMember http://127.0.0.1:8081 route=n1 hcmethod=HEAD11 hcinterval=2
  BalancerMember "http://127.0.0.1:8082" route=n2 status=+H
  ProxySet lbmethod=bybusyness stickysession=JSESSIONID|jsessionid
  Require all granted
</Proxy>
</IfModule>
</IfModule>
<VirtualHost *:8080>
  BalancerMember balancer://api http://127.0.0.1:9000/api/ loadfactor=2.5
</VirtualHost>
<Proxy *>
</Proxy>
`;

Deno.test("<Proxy balancer://…> in httpd.conf holds a balancer's lines; other <Proxy> are skipped", () => {
  const { config, warnings } = readConf(HTTPD_CONF);
  assert.deepEqual(
    config.balancers.map((b) => [b.name, b.lbMethod, b.members.map((m) => m.url)]),
    [
      ["web", "bybusyness", ["http://127.0.0.1:8081/", "http://127.0.0.1:8082/"]],
      ["api", "byrequests", ["http://127.0.0.1:9000/api/"]],
    ],
  );
  assert.deepEqual(config.balancers[0]!.members[0]!.healthCheck.method, "HEAD");
  assert.deepEqual(config.balancers[1]!.members[0]!.loadFactor, 2.5);
  assert.deepEqual(warnings, [
    "httpd.conf:7: Ignoring Require inside <Proxy balancer://web>: mpmd reads BalancerMember and ProxySet there",
    "httpd.conf:14: Ignoring <Proxy *>: mpmd reads <Proxy> sections for balancer://name URLs only",
  ]);
});

Deno.test("a BalancerMember line in <Proxy> is refused at its own line", () => {
  assert.deepEqual(
    confErrors(`<Proxy balancer://x>\nBalancerMember http://127.0.0.1:1 weight=3\n</Proxy>`),
    [
      'httpd.conf:2: Cannot set BalancerMember: "weight" is not a BalancerMember key mpmd implements (loadfactor, route, retry, status, hcmethod, hcuri, hcinterval, hcpasses, hcfails)',
    ],
  );
});

Deno.test("configToYaml() writes balancers back as lines that read to the same balancers", () => {
  const { config } = readConf(HTTPD_CONF);
  const yaml = configToYaml(config);
  assert.match(
    yaml,
    /BalancerMember:\n {2}- balancer:\/\/web http:\/\/127.0.0.1:8081\/ route=n1 hcmethod=HEAD hcinterval=2s\n/,
  );
  const again = parseYaml(yaml, { file: "/srv/converted.yaml" }).config;
  assert.deepEqual(
    again.balancers.map((b) => ({ ...b, origin: "", members: b.members.map(withoutOrigin) })),
    config.balancers.map((b) => ({ ...b, origin: "", members: b.members.map(withoutOrigin) })),
  );
});

function withoutOrigin<T extends { origin: string }>(item: T): T {
  return { ...item, origin: "" };
}

Deno.test("ProxyPassReverse with a balancer URL stands for each member's URL", () => {
  const { config } = parseYaml(withListen(`BalancerMember:
  - balancer://app http://127.0.0.1:8081
  - balancer://app http://127.0.0.1:8082/base/
ProxyPass: /app/ balancer://app/
ProxyPassReverse:
  - /app/ balancer://app/
  - /v2/ balancer://APP/v2/
  - /other/ http://127.0.0.1:9000/
`));
  assert.deepEqual(config.hosts[0].proxy.reverse, [
    { backend: "http://127.0.0.1:8081/", public: "/app/" },
    { backend: "http://127.0.0.1:8082/base/", public: "/app/" },
    { backend: "http://127.0.0.1:8081/v2/", public: "/v2/" },
    { backend: "http://127.0.0.1:8082/base/v2/", public: "/v2/" },
    { backend: "http://127.0.0.1:9000/", public: "/other/" },
  ]);
  assert.deepEqual(
    errorsOf(withListen(`BalancerMember: balancer://app http://127.0.0.1:8081
ProxyPassReverse: /x/ balancer://nope/`)),
    ["mpmd.yaml:3: Cannot rewrite balancer://nope/ URLs: no BalancerMember defines balancer://nope"],
  );
});
