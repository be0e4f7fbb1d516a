import assert from "node:assert/strict";
import {
  MPM_NAMES,
  type MpmName,
  type MpmSource,
  type ServerConfig,
} from "../../../../server/config/mod.ts";
import { errorsOf, parseYaml } from "./_parse_yaml.ts";

const MPM_CHOICES: {
  name: string;
  override?: MpmName;
  yaml: string;
  platform: MpmName;
  want: MpmName;
  by: MpmSource;
}[] = [
  {
    name: "platform default alone",
    yaml: "",
    platform: "event",
    want: "event",
    by: "platform default",
  },
  {
    name: "MPM: beats the platform",
    yaml: "MPM: prefork\n",
    platform: "event",
    want: "prefork",
    by: "MPM directive",
  },
  {
    name: "MPM: naming the platform's own default still counts as chosen by MPM:",
    yaml: "MPM: event\n",
    platform: "event",
    want: "event",
    by: "MPM directive",
  },
  {
    name: "--mpm beats MPM:",
    override: "worker",
    yaml: "MPM: prefork\n",
    platform: "event",
    want: "worker",
    by: "--mpm",
  },
  {
    name: "--mpm beats the platform",
    override: "netware",
    yaml: "",
    platform: "winnt",
    want: "netware",
    by: "--mpm",
  },
];

Deno.test("parseConfigText() picks the MPM: --mpm > MPM: > platform default", async (t) => {
  for (const c of MPM_CHOICES) {
    await t.step(c.name, () => {
      const { config } = parseYaml(`Listen: 8080\n${c.yaml}`, {
        platformDefaultMpm: c.platform,
        ...(c.override ? { mpmOverride: c.override } : {}),
      });
      assert.equal(config.mpm, c.want);
      assert.equal(config.mpmChosenBy, c.by);
    });
  }
});

const LAYERS: {
  name: string;
  before: string[];
  yaml: string;
  after: string[];
  get: (c: ServerConfig) => unknown;
  want: unknown;
}[] = [
  {
    name: "-C alone applies",
    before: ["KeepAliveTimeout 7"],
    yaml: "",
    after: [],
    get: (c) => c.keepAliveTimeoutMs,
    want: 7000,
  },
  {
    name: "the file beats -C",
    before: ["KeepAliveTimeout 7"],
    yaml: "KeepAliveTimeout: 8\n",
    after: [],
    get: (c) => c.keepAliveTimeoutMs,
    want: 8000,
  },
  {
    name: "-c beats the file",
    before: ["KeepAliveTimeout 7"],
    yaml: "KeepAliveTimeout: 8\n",
    after: ["KeepAliveTimeout 9"],
    get: (c) => c.keepAliveTimeoutMs,
    want: 9000,
  },
  {
    name: "the last -c wins",
    before: [],
    yaml: "",
    after: ["LogLevel info", "LogLevel debug"],
    get: (c) => c.logLevel,
    want: "debug",
  },
  {
    name: "a -c Listen replaces the file's list",
    before: [],
    yaml: "Listen: [8080, 8081]\n",
    after: ["Listen 127.0.0.1:9000"],
    get: (c) => c.listen,
    want: [{ hostname: "127.0.0.1", port: 9000, protocol: "http", origin: "-c argument" }],
  },
  {
    name: "several -c Listen add up",
    before: [],
    yaml: "Listen: 8080\n",
    after: ["Listen 9000", "Listen 9001"],
    get: (c) => c.listen.map((l) => l.port),
    want: [9000, 9001],
  },
  {
    name: "the file's Listen replaces -C's",
    before: ["Listen 9000"],
    yaml: "Listen: 8080\n",
    after: [],
    get: (c) => c.listen.map((l) => l.port),
    want: [8080],
  },
  {
    name: "a -C Listen serves a file without one",
    before: ["Listen 9000"],
    yaml: "",
    after: [],
    get: (c) => c.listen.map((l) => [l.port, l.origin]),
    want: [[9000, "-C argument"]],
  },
  {
    name: "relative Options adjust the file's",
    before: [],
    yaml: "Options: FollowSymLinks\n",
    after: ["Options +Indexes"],
    get: (c) => [c.hosts[0].indexes, c.hosts[0].followSymLinks],
    want: [true, true],
  },
  {
    name: "AddType adds to the file's types",
    before: [],
    yaml: 'AddType: {"text/x-a": .a}\n',
    after: ["AddType text/x-b .b"],
    get: (c) => c.hosts[0].addType,
    want: { a: "text/x-a", b: "text/x-b" },
  },
  {
    name: "LogFormat adds to the built-in nicknames",
    before: ['LogFormat "%h" mine'],
    yaml: "",
    after: [],
    get: (c) => Object.keys(c.logFormats),
    want: ["common", "combined", "mine"],
  },
  {
    name: "a -c MPM beats the file's MPM:",
    before: [],
    yaml: "MPM: prefork\n",
    after: ["MPM worker"],
    get: (c) => c.mpm,
    want: "worker",
  },
];

Deno.test("parseConfigText() applies -C, then the file, then -c", async (t) => {
  for (const c of LAYERS) {
    await t.step(c.name, () => {
      const yaml = c.yaml.includes("Listen") || c.before.some((a) => a.startsWith("Listen"))
        ? c.yaml
        : `Listen: 8080\n${c.yaml}`;
      const { config } = parseYaml(yaml, { directivesBefore: c.before, directivesAfter: c.after });
      assert.deepEqual(c.get(config), c.want);
    });
  }
});

const IF_DEFINE = `Listen: 8080
IfDefine:
  DEV:
    LogLevel: debug
    Listen: 9000
  "!DEV":
    LogLevel: error
LogLevel: info
`;

const DEFINES: { name: string; defines: string[]; level: string; ports: number[] }[] = [
  { name: "without -D, the !DEV section applies", defines: [], level: "error", ports: [8080] },
  {
    name: "with -D DEV, the DEV section applies and adds its Listen",
    defines: ["DEV"],
    level: "debug",
    ports: [8080, 9000],
  },
  { name: "other defines change nothing", defines: ["PROD"], level: "error", ports: [8080] },
];

Deno.test("parseConfigText() applies IfDefine sections after the top level", async (t) => {
  for (const c of DEFINES) {
    await t.step(c.name, () => {
      const { config } = parseYaml(IF_DEFINE, { defines: c.defines });
      assert.equal(config.logLevel, c.level);
      assert.deepEqual(config.listen.map((l) => l.port), c.ports);
      assert.deepEqual(config.defines, c.defines);
    });
  }
  await t.step("nested sections need every define", () => {
    const yaml = "Listen: 8080\nIfDefine:\n  A:\n    IfDefine:\n      B: {LogLevel: info}\n";
    assert.equal(parseYaml(yaml, { defines: ["A", "B"] }).config.logLevel, "info");
    assert.equal(parseYaml(yaml, { defines: ["A"] }).config.logLevel, "warn");
    assert.equal(parseYaml(yaml, { defines: ["B"] }).config.logLevel, "warn");
  });
  await t.step("an MPM section inside IfDefine applies with its define", () => {
    const yaml = "Listen: 8080\nIfDefine:\n  BIG:\n    event: {MaxRequestWorkers: 800}\n";
    assert.equal(parseYaml(yaml, { defines: ["BIG"] }).config.mpmDirectives.MaxRequestWorkers, 800);
    assert.equal(parseYaml(yaml).config.mpmDirectives.MaxRequestWorkers, 400);
  });
  await t.step("a section that does not apply is still checked", () => {
    const yaml = "Listen: 8080\nIfDefine:\n  PROD:\n    KeepAlive: maybe\n    Keepalive: On\n";
    assert.deepEqual(errorsOf(yaml), [
      'mpmd.yaml:4: Cannot set KeepAlive: "maybe" is not On or Off',
      "mpmd.yaml:5: Cannot use Keepalive: unknown directive (did you mean KeepAlive?)",
    ]);
  });
  await t.step("malformed sections are reported", () => {
    assert.deepEqual(errorsOf("Listen: 8080\nIfDefine: [A]\n"), [
      "mpmd.yaml:2: Cannot use IfDefine: a list is not a map of define names to directive maps",
    ]);
    assert.deepEqual(errorsOf('Listen: 8080\nIfDefine:\n  "!": {LogLevel: info}\n  B: 5\n'), [
      'mpmd.yaml:3: Cannot use IfDefine "!": a define name is a word, optionally after "!"',
      "mpmd.yaml:4: Cannot use IfDefine B: 5 is not a map of directives",
    ]);
  });
});

const UNKNOWN: { yaml: string; error: string }[] = [
  {
    yaml: "Keepalive: On",
    error: "Cannot use Keepalive: unknown directive (did you mean KeepAlive?)",
  },
  {
    yaml: "KEEPALIVETIMEOUT: 5",
    error: "Cannot use KEEPALIVETIMEOUT: unknown directive (did you mean KeepAliveTimeout?)",
  },
  {
    yaml: "DocumnetRoot: www",
    error: "Cannot use DocumnetRoot: unknown directive (did you mean DocumentRoot?)",
  },
  { yaml: "Frobnicate: 1", error: "Cannot use Frobnicate: unknown directive" },
  { yaml: "Prefork: {}", error: "Cannot use Prefork: unknown directive (did you mean prefork?)" },
  {
    yaml: "ifdefine: {}",
    error: "Cannot use ifdefine: unknown directive (did you mean IfDefine?)",
  },
  {
    yaml: "StartServers: 3",
    error:
      "Cannot use StartServers at the top level: it belongs in an MPM section (prefork, worker, event, mpmt_os2)",
  },
  {
    yaml: "prefork: {StartServer: 3}",
    error: "Cannot use StartServer: unknown prefork directive (did you mean StartServers?)",
  },
  {
    yaml: "prefork: {KeepAlive: On}",
    error:
      "Cannot use KeepAlive in the prefork section: it is a core directive (set it at the top level)",
  },
  { yaml: "worker: 5", error: "Cannot use worker: 5 is not a map of worker directives" },
];

Deno.test("parseConfigText() refuses unknown keys and suggests the closest name", async (t) => {
  for (const c of UNKNOWN) {
    await t.step(c.yaml, () => {
      assert.deepEqual(errorsOf(`Listen: 8080\n${c.yaml}\n`), [`mpmd.yaml:2: ${c.error}`]);
    });
  }
});

Deno.test("parseConfigText() reports every problem at once, with its line", () => {
  const yaml = [
    "Listen: [8080, 8080]", // 1: duplicate, found by checkConfig
    "KeepAliveTimeout: five", // 2
    "ServerName: example.com", // 3
    "Keepalive: On", // 4
    "prefork:", // 5
    "  MaxSpareServers: -3", // 6
    "  StartServres: 2", // 7
    "Options: Indexes -FollowSymLinks", // 8
  ].join("\n");
  assert.deepEqual(errorsOf(yaml, { directivesAfter: ["Timeout soon"] }), [
    'mpmd.yaml:2: Cannot set KeepAliveTimeout: "five" is not a duration (seconds, or a number with ms/s)',
    "mpmd.yaml:4: Cannot use Keepalive: unknown directive (did you mean KeepAlive?)",
    "mpmd.yaml:6: Cannot set MaxSpareServers: -3 is below the minimum (0)",
    "mpmd.yaml:7: Cannot use StartServres: unknown prefork directive (did you mean StartServers?)",
    'mpmd.yaml:8: Cannot set Options: "Indexes -FollowSymLinks" mixes +/- options with plain ones (httpd refuses this too)',
    '-c argument: Cannot set Timeout: "soon" is not a duration (seconds, or a number with ms/s)',
    "mpmd.yaml:1: Cannot use Listen 0.0.0.0:8080 twice (mpmd.yaml:1 and mpmd.yaml:1): the second bind would fail",
  ]);
});

Deno.test("parseConfigText() reports YAML syntax errors with their line", async (t) => {
  await t.step("an unclosed flow list", () => {
    const [error, ...rest] = errorsOf("Listen: 8080\nKeepAlive: On\nDirectoryIndex: [a, b\n");
    assert.deepEqual(rest, []);
    assert.match(error!, /^mpmd\.yaml:[34]: Cannot parse YAML: /);
  });
  await t.step("a duplicate key", () => {
    assert.deepEqual(errorsOf("Listen: 8080\nLogLevel: info\nLogLevel: debug\n"), [
      "mpmd.yaml:3: Cannot parse YAML: Map keys must be unique",
    ]);
  });
  await t.step("an alias without an anchor (an unquoted *:port)", () => {
    assert.deepEqual(errorsOf("KeepAlive: On\nListen: *:8080\n"), [
      'mpmd.yaml:2: Cannot parse YAML: *:8080 refers to no anchor (quote a value that starts with "*", e.g. "*:8080")',
    ]);
  });
  await t.step("a top level that is not a map", () => {
    assert.deepEqual(errorsOf("- Listen: 8080\n"), [
      "mpmd.yaml:1: Cannot read the config: its top level is a list, not a map of directives",
    ]);
  });
  await t.step("an empty file only lacks Listen", () => {
    assert.deepEqual(errorsOf(""), [
      'mpmd.yaml: Cannot listen: no Listen address is set (add one, e.g. "Listen: 8080")',
    ]);
  });
});

Deno.test("parseConfigText() validates every MPM section, keeps only the active one", async (t) => {
  const yaml = `Listen: 8080
MPM: prefork
prefork:
  StartServers: 2
  MaxRequestWorkers: 50
worker:
  ThreadsPerChild: 10
event:
  AsyncRequestWorkerFactor: 0.5
`;
  await t.step("the active section's values, httpd's defaults for the rest", () => {
    assert.deepEqual(parseYaml(yaml).config.mpmDirectives, {
      StartServers: 2,
      MinSpareServers: 5,
      MaxSpareServers: 10,
      ServerLimit: 256,
      MaxRequestWorkers: 50,
      MaxConnectionsPerChild: 0,
    });
  });
  await t.step("another section becomes active with --mpm", () => {
    const { mpmDirectives } = parseYaml(yaml, { mpmOverride: "event" }).config;
    assert.equal(mpmDirectives.AsyncRequestWorkerFactor, 0.5);
    assert.equal(mpmDirectives.ThreadsPerChild, 25);
    assert.equal(mpmDirectives.StartServers, 3);
  });
  await t.step("an inactive section is still checked", () => {
    assert.deepEqual(errorsOf(`${yaml}netware:\n  MaxThreads: lots\n  MaxThread: 5\n`), [
      'mpmd.yaml:11: Cannot set MaxThreads: "lots" is not an integer',
      "mpmd.yaml:12: Cannot use MaxThread: unknown netware directive (did you mean MaxThreads?)",
    ]);
  });
  await t.step("AsyncRequestWorkerFactor must be above 0", () => {
    assert.deepEqual(errorsOf("Listen: 8080\nevent:\n  AsyncRequestWorkerFactor: 0\n"), [
      "mpmd.yaml:3: Cannot set AsyncRequestWorkerFactor: 0 is not above 0",
    ]);
  });
  await t.step("another MPM's directive in a section is ignored with a warning", () => {
    const { config, warnings } = parseYaml(
      "Listen: 8080\nMPM: prefork\nprefork:\n  ThreadsPerChild: 5\n",
    );
    assert.equal("ThreadsPerChild" in config.mpmDirectives, false);
    assert.deepEqual(warnings, [
      "mpmd.yaml:4: Ignoring ThreadsPerChild in the prefork section: it is a directive of worker, event, winnt",
    ]);
  });
  await t.step("a -c directive of another MPM is ignored with a warning", () => {
    const { config, warnings } = parseYaml("Listen: 8080\n", {
      directivesAfter: ["StartThreads 5", "MaxSpareServers 3"],
    });
    assert.equal(config.mpm, "event");
    assert.deepEqual(warnings, [
      "-c argument: Ignoring StartThreads: it is a directive of netware, not of the active MPM (event)",
      "-c argument: Ignoring MaxSpareServers: it is a directive of prefork, not of the active MPM (event)",
    ]);
  });
  await t.step("every MPM's defaults are filled when it is active", () => {
    for (const mpm of MPM_NAMES) {
      const { mpmDirectives } = parseYaml("Listen: 8080\n", { mpmOverride: mpm }).config;
      assert.ok(Object.keys(mpmDirectives).length > 0, mpm);
      assert.equal(mpmDirectives.MaxConnectionsPerChild, 0, mpm);
    }
  });
});
