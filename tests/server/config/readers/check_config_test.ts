import assert from "node:assert/strict";
import { ConfigErrors, type ServerConfig } from "../../../../server/config/mod.ts";
import { parseYaml } from "./_parse_yaml.ts";
import { checkConfig, type CheckConfigInput } from "../../../../server/config/readers/mod.ts";

const BASE = parseYaml("Listen: 8080\n").config;
const FILE = { file: "mpmd.yaml", line: null, column: null };
const LISTEN_AT = { file: "mpmd.yaml", line: 3, column: 1 };
const APP_AT = { file: "mpmd.yaml", line: 5, column: 1 };

function messagesOf(input: CheckConfigInput): string[] {
  try {
    checkConfig(input);
  } catch (e) {
    assert.ok(e instanceof ConfigErrors);
    return e.errors.map((error) => error.message);
  }
  return [];
}

const address = (hostname: string, port: number, origin: string) => ({
  hostname,
  port,
  protocol: "http" as const,
  origin,
});
const app = (location: string, module: string) => ({ location, module });

const CASES: {
  name: string;
  change: Partial<ServerConfig>;
  failed?: string[];
  errors: string[];
}[] = [
  { name: "accepts the defaults with one address", change: {}, errors: [] },
  {
    name: "refuses an empty Listen list",
    change: { listen: [] },
    errors: ['mpmd.yaml:3: Cannot listen: no Listen address is set (add one, e.g. "Listen: 8080")'],
  },
  {
    name: "skips Listen rules when its value was refused",
    change: { listen: [] },
    failed: ["Listen"],
    errors: [],
  },
  {
    name: "refuses the same address twice, naming both origins",
    change: { listen: [address("::1", 80, "mpmd.yaml:3"), address("::1", 80, "-c argument")] },
    errors: [
      "mpmd.yaml:3: Cannot use Listen [::1]:80 twice (mpmd.yaml:3 and -c argument): the second bind would fail",
    ],
  },
  {
    name: "allows port 0 twice (each bind gets a fresh port)",
    change: { listen: [address("127.0.0.1", 0, "a:1"), address("127.0.0.1", 0, "a:2")] },
    errors: [],
  },
  {
    name: "allows one port on two addresses",
    change: { listen: [address("127.0.0.1", 80, "a:1"), address("::1", 80, "a:2")] },
    errors: [],
  },
  {
    name: "refuses a read timeout range without MinRate and a maximum below the timeout",
    change: {
      requestReadTimeout: {
        header: { initialMs: 20_000, maxMs: 40_000, minRateBytesPerSec: 0 },
        body: { initialMs: 20_000, maxMs: 1_500, minRateBytesPerSec: 100 },
      },
    },
    errors: [
      "mpmd.yaml: Cannot set RequestReadTimeout: header range 20s-40s needs a MinRate (the deadline grows with the data received)",
      "mpmd.yaml: Cannot set RequestReadTimeout: body maximum 1500ms is below its timeout 20s",
    ],
  },
  {
    name: "refuses two App mounts on one Location, naming both modules",
    change: { hosts: [{ ...BASE.hosts[0], apps: [app("/api", "/a.ts"), app("/api", "/b.ts")] }] },
    errors: ["mpmd.yaml:5: Cannot mount /b.ts on /api: /a.ts is already mounted there"],
  },
  {
    name: "allows nested App Locations",
    change: { hosts: [{ ...BASE.hosts[0], apps: [app("/", "/a.ts"), app("/api", "/b.ts")] }] },
    errors: [],
  },
  {
    name: "skips App rules when its value was refused",
    change: { hosts: [{ ...BASE.hosts[0], apps: [app("/api", "/a.ts"), app("/api", "/b.ts")] }] },
    failed: ["App"],
    errors: [],
  },
];

Deno.test("checkConfig()", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const config = { ...BASE, ...c.change };
      const input = {
        config,
        locations: { Listen: LISTEN_AT, App: APP_AT },
        file: FILE,
        failed: c.failed ?? [],
      };
      assert.deepEqual(messagesOf(input), c.errors);
    });
  }
});

Deno.test("checkConfig() resolves CustomLog nicknames and keeps literal formats", () => {
  const host = {
    ...BASE.hosts[0],
    customLogs: [{ path: "stdout", format: "mine" }, { path: "stderr", format: "%h" }],
  };
  const config: ServerConfig = {
    ...BASE,
    logFormats: { ...BASE.logFormats, mine: "%h %s" },
    hosts: [host],
  };
  const { config: checked, warnings } = checkConfig({ config, locations: {}, file: FILE });
  assert.deepEqual(checked.hosts[0].customLogs, [
    { path: "stdout", format: "%h %s" },
    { path: "stderr", format: "%h" },
  ]);
  assert.deepEqual(warnings, []);
  assert.deepEqual({ ...checked, hosts: [] }, { ...config, hosts: [] });
});

Deno.test("checkConfig() refuses an unknown nickname unless CustomLog was already refused", () => {
  const host = { ...BASE.hosts[0], customLogs: [{ path: "/var/log/a.log", format: "combind" }] };
  const config: ServerConfig = { ...BASE, hosts: [host] };
  const at = { file: "mpmd.yaml", line: 9, column: 1 };
  assert.deepEqual(messagesOf({ config, locations: { CustomLog: at }, file: FILE }), [
    'mpmd.yaml:9: Cannot use CustomLog /var/log/a.log: no LogFormat is named "combind" (did you mean combined?)',
  ]);
  assert.deepEqual(messagesOf({ config, locations: {}, file: FILE, failed: ["CustomLog"] }), []);
});

Deno.test("checkConfig() turns KeepAlive off for a KeepAliveTimeout of 0, as httpd does", async (t) => {
  const CASES = [
    { keepAlive: true, keepAliveTimeoutMs: 0, expected: false },
    { keepAlive: true, keepAliveTimeoutMs: 1, expected: true },
    { keepAlive: false, keepAliveTimeoutMs: 5_000, expected: false },
  ];
  for (const c of CASES) {
    await t.step(`KeepAlive ${c.keepAlive}, KeepAliveTimeout ${c.keepAliveTimeoutMs}ms`, () => {
      const config = { ...BASE, keepAlive: c.keepAlive, keepAliveTimeoutMs: c.keepAliveTimeoutMs };
      const { config: checked, warnings } = checkConfig({ config, locations: {}, file: FILE });
      assert.equal(checked.keepAlive, c.expected);
      assert.equal(checked.keepAliveTimeoutMs, c.keepAliveTimeoutMs);
      assert.deepEqual(warnings, []);
    });
  }
});

Deno.test("checkConfig() allows HttpEngine native under event only, and warns of what it ignores", async (t) => {
  const ENGINE_AT = { file: "mpmd.yaml", line: 2, column: 1 };
  const TIMEOUT_AT = { file: "mpmd.yaml", line: 7, column: 1 };
  const LINE_AT = { file: "mpmd.yaml", line: 8, column: 1 };
  const native = (mpm: ServerConfig["mpm"]): ServerConfig => ({
    ...BASE,
    mpm,
    mpmDirectives: {},
    httpEngine: "native",
  });
  await t.step("event: accepted, one warning per ignored directive where it is written", () => {
    const { warnings } = checkConfig({
      config: native("event"),
      locations: { HttpEngine: ENGINE_AT, Timeout: TIMEOUT_AT, LimitRequestLine: LINE_AT },
      file: FILE,
    });
    assert.deepEqual(warnings.filter((w) => w.includes("HttpEngine")), [
      "mpmd.yaml:7: Timeout does not apply under HttpEngine native (Deno's engine keeps its own limits and timeouts)",
      "mpmd.yaml:8: LimitRequestLine does not apply under HttpEngine native (Deno's engine keeps its own limits and timeouts)",
    ]);
  });
  await t.step("event: no warning for directives left at their defaults", () => {
    const { warnings } = checkConfig({
      config: native("event"),
      locations: { HttpEngine: ENGINE_AT },
      file: FILE,
    });
    assert.deepEqual(warnings.filter((w) => w.includes("HttpEngine")), []);
  });
  for (const mpm of ["prefork", "worker", "winnt", "netware", "mpmt_os2"] as const) {
    await t.step(`${mpm}: refused, naming the directive's line and the way out`, () => {
      assert.deepEqual(
        messagesOf({ config: native(mpm), locations: { HttpEngine: ENGINE_AT }, file: FILE }),
        [
          `mpmd.yaml:2: Cannot use HttpEngine native under the ${mpm} MPM: Deno's engine serves many connections in one slot, which only the event MPM's slots allow (use MPM event, or HttpEngine mpmd)`,
        ],
      );
    });
  }
  await t.step("mpmd's own engine goes with every MPM", () => {
    for (const mpm of ["prefork", "worker", "event"] as const) {
      assert.deepEqual(
        messagesOf({ config: { ...native(mpm), httpEngine: "mpmd" }, locations: {}, file: FILE }),
        [],
      );
    }
  });
});
