import assert from "node:assert/strict";
import { type AllowOverride, parseAllowOverride } from "../../../server/config/mod.ts";

const ALL: AllowOverride = {
  classes: ["AuthConfig", "FileInfo", "Indexes", "Limit", "Options"],
  options: ["indexes", "followSymLinks"],
};

Deno.test("parseAllowOverride() reads httpd 2.4's values", async (t) => {
  const CASES: [written: unknown, want: AllowOverride][] = [
    ["None", { classes: [], options: [] }],
    ["none", { classes: [], options: [] }],
    ["All", ALL],
    ["AuthConfig", { classes: ["AuthConfig"], options: [] }],
    ["Options Indexes", {
      classes: ["Indexes", "Options"],
      options: ["indexes", "followSymLinks"],
    }],
    [["FileInfo", "authconfig"], { classes: ["AuthConfig", "FileInfo"], options: [] }],
    ["Options=Indexes", { classes: ["Options"], options: ["indexes"] }],
    ["Options=FollowSymLinks,MultiViews", { classes: ["Options"], options: ["followSymLinks"] }],
    ["Options=All", { classes: ["Options"], options: ["indexes", "followSymLinks"] }],
    ["Options=ExecCGI Limit", { classes: ["Limit", "Options"], options: [] }],
  ];
  for (const [written, want] of CASES) {
    await t.step(
      JSON.stringify(written),
      () => assert.deepEqual(parseAllowOverride(written), want),
    );
  }
});

Deno.test("parseAllowOverride() refuses what httpd refuses, with a reason", async (t) => {
  const CASES: [written: unknown, error: RegExp][] = [
    ["", /needs None, All or override classes/],
    ["All AuthConfig", /All stands alone/],
    ["AuthConfig None", /None stands alone/],
    ["AuthConf", /"AuthConf" is not an override class .* \(did you mean AuthConfig\?\)/],
    ["Indexes=Foo", /only Options takes a list/],
    [
      "Options=Indexs",
      /"Indexs" in Options=Indexs is not an option httpd knows \(did you mean Indexes\?\)/,
    ],
    ["Nonfatal=All", /mpmd does not implement AllowOverride Nonfatal=All/],
    [{ All: true }, /is not a list of overrides/],
  ];
  for (const [written, error] of CASES) {
    await t.step(
      JSON.stringify(written),
      () => assert.throws(() => parseAllowOverride(written), error),
    );
  }
});
