import assert from "node:assert/strict";
import { MPM_DIRECTIVES } from "../../mpm/mod.ts";
import { DirectiveValueError, MPM_NAMES } from "../../server/config/mod.ts";

/** httpd 2.4's defaults, from its manual (mpm_common, prefork, event, mpm_netware). */
const HTTPD_DEFAULTS = {
  prefork: {
    StartServers: 5,
    MinSpareServers: 5,
    MaxSpareServers: 10,
    ServerLimit: 256,
    MaxRequestWorkers: 256,
    MaxConnectionsPerChild: 0,
  },
  worker: {
    StartServers: 3,
    MinSpareThreads: 75,
    MaxSpareThreads: 250,
    ThreadsPerChild: 25,
    ThreadLimit: 64,
    ServerLimit: 16,
    MaxRequestWorkers: 400,
    MaxConnectionsPerChild: 0,
  },
  event: {
    StartServers: 3,
    MinSpareThreads: 75,
    MaxSpareThreads: 250,
    ThreadsPerChild: 25,
    ThreadLimit: 64,
    ServerLimit: 16,
    MaxRequestWorkers: 400,
    MaxConnectionsPerChild: 0,
    AsyncRequestWorkerFactor: 2,
    MaxRequestsPerThread: 0,
    MaxReadingPerThread: 256,
  },
  winnt: { ThreadsPerChild: 64, ThreadLimit: 1920, MaxConnectionsPerChild: 0 },
  netware: {
    StartThreads: 50,
    MinSpareThreads: 10,
    MaxSpareThreads: 100,
    MaxThreads: 2048,
    MaxConnectionsPerChild: 0,
  },
  mpmt_os2: { StartServers: 2, MinSpareThreads: 5, MaxSpareThreads: 10, MaxConnectionsPerChild: 0 },
};

const ctx = { serverRoot: "/", syntax: "yaml", origin: "t", itemOrigin: () => "t" } as const;

Deno.test("MPM_DIRECTIVES", async (t) => {
  for (const mpm of MPM_NAMES) {
    const table = MPM_DIRECTIVES[mpm];
    await t.step(`${mpm} has httpd 2.4's directives and defaults`, () => {
      assert.deepEqual(
        Object.fromEntries(table.map((d) => [d.name, d.default])),
        HTTPD_DEFAULTS[mpm],
      );
    });
    await t.step(`${mpm} documents each directive and parses counts`, () => {
      for (const d of table) {
        assert.ok(d.help.length > 10, d.name);
        assert.equal(d.parse("12", ctx), 12, d.name);
        assert.equal(d.parse(d.default, ctx), d.default, d.name);
        assert.throws(() => d.parse(-1, ctx), DirectiveValueError, d.name);
        assert.throws(() => d.parse("many", ctx), DirectiveValueError, d.name);
      }
    });
  }
});
