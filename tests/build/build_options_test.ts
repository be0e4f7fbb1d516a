import assert from "node:assert/strict";
import {
  buildConfigModule,
  BuildOptionsError,
  DEFAULT_BUILD,
  parseBuildArgs,
} from "../../build/build_options.ts";
import { runtimeLockfile } from "../../build/runtime_lockfile.ts";

const ALL = ["prefork", "worker", "event", "winnt", "netware", "mpmt_os2"];

Deno.test("parseBuildArgs() reads httpd's --with-mpm and --enable-mpms", async (t) => {
  const cases = [
    { args: [], mpms: ALL, defaultMpm: null },
    { args: ["--with-mpm=worker"], mpms: ["worker"], defaultMpm: "worker" },
    { args: ["--enable-mpms=event prefork"], mpms: ["prefork", "event"], defaultMpm: null },
    { args: ["--enable-mpms", "prefork,worker"], mpms: ["prefork", "worker"], defaultMpm: null },
    {
      args: ["--with-mpm=worker", "--enable-mpms=prefork worker"],
      mpms: ["prefork", "worker"],
      defaultMpm: "worker",
    },
    { args: ["--enable-mpms=all", "--with-mpm=mpm_event"], mpms: ALL, defaultMpm: "event" },
  ];
  for (const c of cases) {
    await t.step(c.args.join(" ") || "(none)", () => {
      const build = parseBuildArgs(c.args);
      assert.deepEqual([build.mpms, build.defaultMpm], [c.mpms, c.defaultMpm]);
      assert.equal(build.output, "mpmd");
    });
  }
});

Deno.test("parseBuildArgs() refuses a build that cannot be, saying why", async (t) => {
  const cases = [
    { args: ["--with-mpm=threaded"], error: /--with-mpm: "threaded" is not an MPM \(prefork, / },
    { args: ["--enable-mpms=prefork nope"], error: /--enable-mpms: "nope" is not an MPM/ },
    { args: ["--enable-mpms= "], error: /--enable-mpms names no MPM/ },
    {
      args: ["--with-mpm=event", "--enable-mpms=prefork worker"],
      error: /--with-mpm=event is not among --enable-mpms \(prefork worker\)/,
    },
    { args: ["--wth-mpm=event"], error: /wth-mpm/ },
  ];
  for (const c of cases) {
    await t.step(c.args.join(" "), () => {
      assert.throws(() => parseBuildArgs(c.args), (e: unknown) => {
        assert.ok(e instanceof BuildOptionsError);
        assert.match(e.message, c.error);
        return true;
      });
    });
  }
});

Deno.test("mpm/build_config.ts is buildConfigModule()'s output for the default build", async () => {
  const checkedIn = await Deno.readTextFile(new URL("../../mpm/build_config.ts", import.meta.url));
  assert.equal(buildConfigModule(DEFAULT_BUILD), checkedIn);
});

Deno.test("runtimeLockfile() keeps the import map's packages and what they reach, nothing else", () => {
  const lock = {
    version: "5",
    specifiers: { "npm:a@1.0.0": "1.0.0", "npm:t@2.0.0": "2.0.0" },
    npm: {
      "a@1.0.0": { integrity: "x", dependencies: ["b", "c@3.0.0"] },
      "b@1.1.0": { integrity: "x" },
      "c@3.0.0": { integrity: "x" },
      "c@4.0.0": { integrity: "x" },
      "t@2.0.0": { integrity: "x", dependencies: ["u"] },
      "u@1.0.0": { integrity: "x" },
    },
    workspace: { dependencies: ["npm:a@1.0.0"] },
  };
  const runtime = runtimeLockfile(lock);
  assert.deepEqual(runtime.specifiers, { "npm:a@1.0.0": "1.0.0" });
  assert.deepEqual(Object.keys(runtime.npm ?? {}).sort(), ["a@1.0.0", "b@1.1.0", "c@3.0.0"]);
  assert.equal(runtime.version, "5");
  assert.deepEqual(runtime.workspace, lock.workspace);
});
