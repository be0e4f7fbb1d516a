import assert from "node:assert/strict";
import { parseProtocols } from "../../../../server/config/mod.ts";
import { configToYaml } from "../../../../server/config/readers/mod.ts";
import { errorsOf, parseYaml } from "./_parse_yaml.ts";
import { readConf } from "./httpd_conf/_read_conf.ts";

Deno.test("parseProtocols() keeps the written order, drops repeats, refuses unknown words", async (t) => {
  const CASES = [
    { written: "h2 http/1.1", protocols: ["h2", "http/1.1"] },
    { written: "http/1.1 h2", protocols: ["http/1.1", "h2"] },
    { written: "H2 HTTP/1.1 h2", protocols: ["h2", "http/1.1"] },
    { written: ["h2c", "http/1.1"], protocols: ["h2c", "http/1.1"] },
    { written: "http/1.1", protocols: ["http/1.1"] },
  ];
  for (const c of CASES) {
    await t.step(JSON.stringify(c.written), () => {
      assert.deepEqual(parseProtocols(c.written), c.protocols);
    });
  }
  for (const written of ["spdy/3", "h3 http/1.1", "", "http/1.0"]) {
    await t.step(`refuses ${JSON.stringify(written)}`, () => {
      assert.throws(() => parseProtocols(written));
    });
  }
});

Deno.test("Protocols per host: the main server's unless a virtual host sets its own", async (t) => {
  await t.step("YAML", () => {
    const { config } = parseYaml(
      [
        "Listen: 8080",
        "Protocols: h2 http/1.1",
        "VirtualHost:",
        '  - Address: "*"',
        "    ServerName: a.test",
        '  - Address: "*"',
        "    ServerName: b.test",
        "    Protocols: http/1.1",
      ].join("\n"),
    );
    assert.deepEqual(config.hosts.map((h) => h.protocols), [
      ["h2", "http/1.1"],
      ["h2", "http/1.1"],
      ["http/1.1"],
    ]);
  });
  await t.step("httpd.conf, and --convert keeps it", () => {
    const { config } = readConf(
      [
        "<VirtualHost *:8080>",
        "  ServerName a.test",
        "  Protocols h2 http/1.1",
        "</VirtualHost>",
      ].join("\n"),
    );
    assert.deepEqual(config.hosts.map((h) => h.protocols), [["http/1.1"], ["h2", "http/1.1"]]);
    const again = parseYaml(configToYaml(config)).config;
    assert.deepEqual(again.hosts.map((h) => h.protocols), [["http/1.1"], ["h2", "http/1.1"]]);
  });
  await t.step("an unknown protocol is refused at its line", () => {
    const [error] = errorsOf("Listen: 8080\nProtocols: h2 spdy/3\n");
    assert.match(error!, /^mpmd\.yaml:2: Cannot set Protocols: "spdy\/3" is not a protocol/);
  });
});

Deno.test("h2c and H2Direct are read with a warning: HTTP/2 over plain TCP is not served", () => {
  const { config, warnings } = parseYaml(
    "Listen: 8080\nProtocols: h2c http/1.1\nH2Direct: on\n",
  );
  assert.deepEqual(config.hosts[0].protocols, ["h2c", "http/1.1"]);
  assert.equal(warnings.length, 2);
  assert.match(
    warnings[0]!,
    /^mpmd\.yaml:2: Protocols h2c: HTTP\/2 over plain TCP .* is not served/,
  );
  assert.match(warnings[1]!, /^mpmd\.yaml:3: H2Direct: HTTP\/2 over plain TCP .* is not served/);
});
