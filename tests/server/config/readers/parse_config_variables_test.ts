import assert from "node:assert/strict";
import type { ServerConfig } from "../../../../server/config/mod.ts";
import { errorsOf, parseYaml } from "./_parse_yaml.ts";
import { confErrors, readConf } from "./httpd_conf/_read_conf.ts";

type Vars = Readonly<Record<string, string>>;
const envOf = (vars: Vars) => (name: string) => vars[name];
const host = (c: ServerConfig) => c.hosts[0];
const ports = (c: ServerConfig) => c.listen.map((l) => `${l.hostname}:${l.port}`);
const hint = (name: string) =>
  `is not defined (set the environment variable ${name}, or write \${${name}:-default})`;

const YAML_CASES: {
  name: string;
  yaml: string;
  vars: Vars;
  defines?: string[];
  get: (c: ServerConfig) => unknown;
  want: unknown;
}[] = [
  {
    name: "a default when the variable is unset",
    yaml: "Listen: ${PORT:-8080}",
    vars: {},
    get: ports,
    want: ["0.0.0.0:8080"],
  },
  {
    name: "the variable before the default",
    yaml: "Listen: ${PORT:-8080}",
    vars: { PORT: "9000" },
    get: ports,
    want: ["0.0.0.0:9000"],
  },
  {
    name: "a variable inside a quoted string",
    yaml: 'Listen: "127.0.0.1:${PORT}"',
    vars: { PORT: "9001" },
    get: ports,
    want: ["127.0.0.1:9001"],
  },
  {
    name: "a number for a duration (text, as httpd.conf gives it)",
    yaml: "Listen: 8080\nKeepAliveTimeout: ${KA:-7}",
    vars: {},
    get: (c) => c.keepAliveTimeoutMs,
    want: 7_000,
  },
  {
    name: "a number for an integer in an MPM section",
    yaml: "Listen: 8080\nevent:\n  StartServers: ${START}",
    vars: { START: "3" },
    get: (c) => c.mpmDirectives.StartServers,
    want: 3,
  },
  {
    name: "On/Off for a flag",
    yaml: "Listen: 8080\nKeepAlive: ${KEEPALIVE:-Off}",
    vars: {},
    get: (c) => c.keepAlive,
    want: false,
  },
  {
    name: "each item of a list",
    yaml: "Listen:\n  - ${A:-127.0.0.1:80}\n  - 127.0.0.1:${B}",
    vars: { B: "81" },
    get: ports,
    want: ["127.0.0.1:80", "127.0.0.1:81"],
  },
  {
    name: "values in maps in a list, not keys",
    yaml: "Listen: 8080\nApp:\n  - Location: ${APP_AT:-/api}\n    Module: ${APP}",
    vars: { APP: "apps/api.ts" },
    get: (c) => host(c).apps,
    want: [{ location: "/api", module: "/srv/apps/api.ts" }],
  },
  {
    name: "values of a map directive, not its keys",
    yaml: "Listen: 8080\nLogFormat:\n  ${NICK}: ${FORMAT:-%h}",
    vars: { NICK: "x" },
    get: (c) => c.logFormats["${NICK}"],
    want: "%h",
  },
  {
    name: "values in an IfDefine section that applies",
    yaml: "Listen: 8080\nIfDefine:\n  DEV:\n    ServerName: ${HOST}",
    vars: { HOST: "dev.example.com" },
    defines: ["DEV"],
    get: (c) => host(c).serverName,
    want: "dev.example.com",
  },
  {
    name: "not the value of a -D name: -D gives none",
    yaml: "Listen: 8080\nServerName: ${DEV:-env.example.com}",
    vars: {},
    defines: ["DEV"],
    get: (c) => host(c).serverName,
    want: "env.example.com",
  },
];

Deno.test("parseConfigText() expands ${NAME} and ${NAME:-default} in YAML values", async (t) => {
  for (const c of YAML_CASES) {
    await t.step(c.name, () => {
      const { config } = parseYaml(c.yaml, { env: envOf(c.vars), defines: c.defines ?? [] });
      assert.deepEqual(c.get(config), c.want);
    });
  }
});

const ARG_CASES: {
  name: string;
  before?: string[];
  after?: string[];
  vars: Vars;
  get: (c: ServerConfig) => unknown;
  want: unknown;
}[] = [
  {
    name: "-c, a default",
    after: ["Listen ${PORT:-9000}"],
    vars: {},
    get: ports,
    want: ["0.0.0.0:9000"],
  },
  {
    name: "-c, the environment",
    after: ["Listen 127.0.0.1:${PORT:-9000}"],
    vars: { PORT: "9002" },
    get: ports,
    want: ["127.0.0.1:9002"],
  },
  {
    name: "-c, a number for a duration",
    after: ["KeepAliveTimeout ${KA:-5}"],
    vars: { KA: "3" },
    get: (c) => c.keepAliveTimeoutMs,
    want: 3_000,
  },
  {
    name: "-C",
    before: ["ServerName ${HOST}"],
    vars: { HOST: "example.com" },
    get: (c) => host(c).serverName,
    want: "example.com",
  },
];

Deno.test("parseConfigText() expands ${NAME} and ${NAME:-default} in -C and -c", async (t) => {
  for (const c of ARG_CASES) {
    await t.step(c.name, () => {
      const { config } = parseYaml("Listen: 8080\n", {
        env: envOf(c.vars),
        directivesBefore: c.before ?? [],
        directivesAfter: c.after ?? [],
      });
      assert.deepEqual(c.get(config), c.want);
    });
  }
});

const REFUSALS: {
  name: string;
  yaml: string;
  after?: string[];
  before?: string[];
  checkDirectory?: (path: string) => string | null;
  errors: string[];
}[] = [
  {
    name: "in YAML, with the file and line",
    yaml: "KeepAlive: On\nListen: ${PORT}",
    errors: [`mpmd.yaml:2: Cannot set Listen: \${PORT} ${hint("PORT")}`],
  },
  {
    name: "in a YAML list, with the item's line",
    yaml: "Listen:\n  - 8080\n  - ${PORT}",
    errors: [`mpmd.yaml:3: Cannot set Listen: \${PORT} ${hint("PORT")}`],
  },
  {
    name: "in an MPM section",
    yaml: "Listen: 8080\nevent:\n  StartServers: ${START}",
    errors: [`mpmd.yaml:3: Cannot set StartServers: \${START} ${hint("START")}`],
  },
  {
    name: "each name of a value",
    yaml: "Listen: ${HOST}:${PORT}",
    errors: [
      `mpmd.yaml:1: Cannot set Listen: \${HOST} ${hint("HOST")}`,
      `mpmd.yaml:1: Cannot set Listen: \${PORT} ${hint("PORT")}`,
    ],
  },
  {
    name: "in -c",
    yaml: "Listen: 8080",
    after: ["KeepAliveTimeout ${KA}"],
    errors: [`-c argument: Cannot set KeepAliveTimeout: \${KA} ${hint("KA")}`],
  },
  {
    name: "in -C",
    yaml: "Listen: 8080",
    before: ["ServerName ${HOST}"],
    errors: [`-C argument: Cannot set ServerName: \${HOST} ${hint("HOST")}`],
  },
  {
    name: "alone: no default DocumentRoot is checked in its place",
    yaml: "Listen: 8080\nDocumentRoot: ${ROOT}",
    checkDirectory: () => "no such directory",
    errors: [`mpmd.yaml:2: Cannot set DocumentRoot: \${ROOT} ${hint("ROOT")}`],
  },
  {
    name: "after an unknown name, which is reported instead",
    yaml: "Listen: 8080\nServerNmae: ${HOST}",
    errors: [
      "mpmd.yaml:2: Cannot use ServerNmae: unknown directive (did you mean ServerName?)",
    ],
  },
];

Deno.test("parseConfigText() refuses an undefined ${NAME} without a default", async (t) => {
  for (const c of REFUSALS) {
    await t.step(c.name, () => {
      assert.deepEqual(
        errorsOf(c.yaml, {
          directivesBefore: c.before ?? [],
          directivesAfter: c.after ?? [],
          ...(c.checkDirectory === undefined ? {} : { checkDirectory: c.checkDirectory }),
        }),
        c.errors,
      );
    });
  }
});

Deno.test("parseConfigText() accepts an undefined ${NAME} where the value is not in force", async (t) => {
  await t.step("in an IfDefine section that does not apply", () => {
    const { config, warnings } = parseYaml(
      "Listen: 8080\nIfDefine:\n  PROD:\n    Listen: ${PORT}",
    );
    assert.deepEqual(ports(config), ["0.0.0.0:8080"]);
    assert.deepEqual(warnings, []);
  });
  await t.step("in the section of another MPM", () => {
    const { config } = parseYaml("Listen: 8080\nprefork:\n  StartServers: ${START}");
    assert.equal(config.mpm, "event");
  });
  await t.step("in an MPM directive the active MPM does not have, ignored with its warning", () => {
    const { warnings } = parseYaml("Listen: 8080\n", { directivesAfter: ["MaxSpareServers ${N}"] });
    assert.deepEqual(warnings, [
      "-c argument: Ignoring MaxSpareServers: it is a directive of prefork, not of the active MPM (event)",
    ]);
  });
});

Deno.test("parseConfigText() expands httpd.conf with its Defines, -c with the environment only", async (t) => {
  await t.step("httpd.conf: Define, then the environment, then the default", () => {
    const { config } = readConf(
      "Define HOST 127.0.0.1\nListen ${HOST}:${PORT:-8080}\nServerName ${NAME:-a.example}",
      { vars: { PORT: "9003" } },
    );
    assert.deepEqual(ports(config), ["127.0.0.1:9003"]);
    assert.equal(host(config).serverName, "a.example");
  });
  await t.step("-c does not see the file's Defines: it is read before the file", () => {
    assert.deepEqual(
      confErrors("Define HOST b.example\nServerName ${HOST}", {
        directivesAfter: ["ServerName ${HOST}"],
      }),
      [`-c argument: Cannot set ServerName: \${HOST} ${hint("HOST")}`],
    );
  });
  await t.step("httpd.conf keeps an undefined ${NAME} as written, with a warning", () => {
    const { config, warnings } = readConf("ServerName ${NAME}");
    assert.equal(host(config).serverName, "${NAME}");
    assert.deepEqual(warnings, [
      "httpd.conf:1: Config variable ${NAME} is not defined (left as written)",
    ]);
  });
});
