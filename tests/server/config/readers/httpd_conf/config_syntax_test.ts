import assert from "node:assert/strict";
import { configSyntaxOf } from "../../../../../server/config/readers/mod.ts";

Deno.test("configSyntaxOf() reads YAML by name or by content, httpd syntax otherwise", async (t) => {
  const CASES = [
    { file: null, text: "Listen 80", syntax: "yaml", why: "the embedded default is YAML" },
    { file: "/etc/mpmd.yaml", text: "Listen 80", syntax: "yaml", why: ".yaml" },
    { file: "/etc/mpmd.YML", text: "<IfModule x>", syntax: "yaml", why: ".yml in any case" },
    { file: "/etc/mpmd.conf", text: "Listen: 80\nKeepAlive: Off\n", syntax: "yaml", why: "a map" },
    { file: "/etc/mpmd.conf", text: "# nothing\n", syntax: "yaml", why: "only comments" },
    { file: "/etc/httpd.conf", text: "Listen 80\n", syntax: "httpd", why: "a scalar" },
    {
      file: "/etc/httpd.conf",
      text: "Listen 80\n<IfModule mod_mime.c>\n  AddType text/x-a .a\n</IfModule>\n",
      syntax: "httpd",
      why: "sections",
    },
    {
      file: "/etc/httpd.conf",
      text: 'LogFormat "%h: %r" x\nListen 80\n',
      syntax: "httpd",
      why: "a colon inside an argument",
    },
    { file: "/etc/httpd.conf", text: "- Listen 80\n", syntax: "httpd", why: "a YAML list" },
  ] as const;
  for (const c of CASES) {
    await t.step(`${c.why} → ${c.syntax}`, () => {
      assert.equal(configSyntaxOf(c.file, c.text), c.syntax);
    });
  }
});
