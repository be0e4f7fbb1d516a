import assert from "node:assert/strict";
import { errorsOf, parseYaml } from "./readers/_parse_yaml.ts";

const LOCAL = ["127.0.0.0/8", "::1/128"];

Deno.test("Status and ExtendedStatus: defaults and accepted forms", async (t) => {
  const CASES = [
    { yaml: "Listen: 8080", status: null, extended: true },
    { yaml: "Status: Off", status: null, extended: true },
    {
      yaml: "Status: /server-status",
      status: { location: "/server-status", metricsLocation: "/metrics", allow: LOCAL },
      extended: true,
    },
    {
      yaml: "Status:\n  Location: /status\n  Metrics: /ops/metrics\n  Allow: [local, 10.0.0.0/8]",
      status: {
        location: "/status",
        metricsLocation: "/ops/metrics",
        allow: [...LOCAL, "10.0.0.0/8"],
      },
      extended: true,
    },
    {
      yaml: "Status: {Location: /s, Metrics: Off, Allow: all}\nExtendedStatus: Off",
      status: { location: "/s", metricsLocation: null, allow: ["0.0.0.0/0", "::/0"] },
      extended: false,
    },
    {
      yaml: "Status: {Location: /s, Allow: 192.0.2.1 local}",
      status: { location: "/s", metricsLocation: "/metrics", allow: ["192.0.2.1/32", ...LOCAL] },
      extended: true,
    },
  ];
  for (const c of CASES) {
    await t.step(c.yaml.replaceAll("\n", " | "), () => {
      const { config } = parseYaml(
        c.yaml.startsWith("Listen") ? c.yaml : `Listen: 8080\n${c.yaml}`,
      );
      assert.deepEqual(config.hosts[0].status, c.status);
      assert.equal(config.extendedStatus, c.extended);
    });
  }
});

Deno.test("Status refuses what it cannot serve, naming the line", async (t) => {
  const CASES = [
    {
      yaml: "Status: [a]",
      error: "a list is not a status map ({Location, Metrics, Allow}), a Location or Off",
    },
    { yaml: "Status: /a /b", error: '"/a /b" is not one Location (or Off)' },
    { yaml: "Status: server-status", error: 'Location "server-status" does not start with /' },
    {
      yaml: "Status: {Metrics: /m}",
      error: "Status needs a Location, a string such as /server-status",
    },
    {
      yaml: "Status: {Location: /s, Where: x}",
      error: '"Where" is not a Status key (Location, Metrics, Allow)',
    },
    {
      yaml: "Status: {Location: /s, Metrics: /s}",
      error: "Metrics /s is the status page's Location too",
    },
    { yaml: "Status: {Location: /s, Metrics: 5}", error: "Metrics 5 is not a Location or Off" },
    { yaml: "Status: {Location: /s, Metrics: /m/}", error: 'Metrics "/m/" ends with / (write /m)' },
    { yaml: "Status: {Location: /s, Allow: []}", error: "Allow is empty (write local or all)" },
    {
      yaml: "Status: {Location: /s, Allow: [local, intranet]}",
      error: 'Allow "intranet" is not local, all, an IP address or a CIDR range',
    },
    { yaml: "ExtendedStatus: sometimes", error: '"sometimes" is not On or Off' },
  ];
  for (const c of CASES) {
    await t.step(c.yaml, () => {
      const directive = c.yaml.split(":")[0];
      assert.deepEqual(errorsOf(`Listen: 8080\n${c.yaml}`), [
        `mpmd.yaml:2: Cannot set ${directive}: ${c.error}`,
      ]);
    });
  }
});
