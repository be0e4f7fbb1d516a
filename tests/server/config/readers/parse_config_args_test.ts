import assert from "node:assert/strict";
import type { ServerConfig } from "../../../../server/config/mod.ts";
import { errorsOf, parseYaml } from "./_parse_yaml.ts";

const host = (c: ServerConfig) => c.hosts[0];
const NOT_A_DURATION = "is not a duration (seconds, or a number with ms/s)";

const VALID_ARGS: { args: string[]; get: (c: ServerConfig) => unknown; want: unknown }[] = [
  { args: ["KeepAlive Off"], get: (c) => c.keepAlive, want: false },
  { args: ["KeepAliveTimeout 500ms"], get: (c) => c.keepAliveTimeoutMs, want: 500 },
  { args: ['ServerName "example.com"'], get: (c) => host(c).serverName, want: "example.com" },
  { args: ['DocumentRoot "/srv/my site"'], get: (c) => host(c).documentRoot, want: "/srv/my site" },
  {
    args: ['DirectoryIndex index.php "my index.html"'],
    get: (c) => host(c).directoryIndex,
    want: ["index.php", "my index.html"],
  },
  {
    args: ["AddType text/x-foo .foo .FOO2"],
    get: (c) => host(c).addType,
    want: { foo: "text/x-foo", foo2: "text/x-foo" },
  },
  {
    args: ["Options Indexes FollowSymLinks"],
    get: (c) => [host(c).indexes, host(c).followSymLinks],
    want: [true, true],
  },
  {
    args: ['LogFormat "%h %r" short', "CustomLog stdout short"],
    get: (c) => host(c).customLogs,
    want: [{ path: "stdout", format: "%h %r" }],
  },
  {
    args: ["App /api apps/api.ts", 'App / "/opt/my app.ts"'],
    get: (c) => host(c).apps,
    want: [
      { location: "/api", module: "/srv/apps/api.ts" },
      { location: "/", module: "/opt/my app.ts" },
    ],
  },
  {
    args: ["RequestReadTimeout header=10-20,MinRate=100"],
    get: (c) => c.requestReadTimeout.header,
    want: { initialMs: 10_000, maxMs: 20_000, minRateBytesPerSec: 100 },
  },
  {
    args: ["StartServers 9", "ThreadsPerChild 30"],
    get: (c) => [c.mpmDirectives.StartServers, c.mpmDirectives.ThreadsPerChild],
    want: [9, 30],
  },
];

Deno.test("parseConfigText() accepts httpd-style -c arguments", async (t) => {
  for (const c of VALID_ARGS) {
    await t.step(c.args.join(" | "), () => {
      assert.deepEqual(
        c.get(parseYaml("Listen: 8080\n", { directivesAfter: c.args }).config),
        c.want,
      );
    });
  }
});

const INVALID_ARGS: { args: string[]; flag: "-C" | "-c"; error: string }[] = [
  {
    args: ["KeepAlive maybe"],
    flag: "-c",
    error: '-c argument: Cannot set KeepAlive: "maybe" is not On or Off',
  },
  {
    args: ["Timeout x"],
    flag: "-C",
    error: `-C argument: Cannot set Timeout: "x" ${NOT_A_DURATION}`,
  },
  {
    args: ["ServerName a b"],
    flag: "-c",
    error: '-c argument: Cannot set ServerName: "a b" is more than one value',
  },
  {
    args: ['DocumentRoot "/unterminated'],
    flag: "-c",
    error: '-c argument: Cannot set DocumentRoot: "\\"/unterminated" has an unterminated " quote',
  },
  { args: ["  "], flag: "-c", error: "-c argument: Cannot use an empty -c argument" },
  {
    args: ["Keepalive Off"],
    flag: "-C",
    error: "-C argument: Cannot use Keepalive: unknown directive (did you mean KeepAlive?)",
  },
  {
    args: ["prefork StartServers 3"],
    flag: "-c",
    error:
      "-c argument: Cannot use prefork in a -c argument: sections exist only in the config file (give the directive itself; an MPM directive applies to the active MPM)",
  },
  {
    args: ["StartServers many"],
    flag: "-c",
    error: '-c argument: Cannot set StartServers: "many" is not an integer',
  },
];

Deno.test("parseConfigText() names -C and -c arguments in their errors", async (t) => {
  for (const c of INVALID_ARGS) {
    await t.step(c.args.join(" | "), () => {
      const options = c.flag === "-C" ? { directivesBefore: c.args } : { directivesAfter: c.args };
      assert.deepEqual(errorsOf("Listen: 8080\n", options), [c.error]);
    });
  }
});
