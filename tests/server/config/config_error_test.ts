import assert from "node:assert/strict";
import { ConfigError, ConfigErrors, formatLocation } from "../../../server/config/mod.ts";

Deno.test("ConfigError carries its location and formats file:line", () => {
  const cause = new Error("underlying");
  const error = new ConfigError({
    at: { file: "mpmd.yaml", line: 7, column: 3 },
    directive: "KeepAliveTimeout",
    detail: 'Cannot set KeepAliveTimeout: "five" is not a duration',
    cause,
  });
  assert.equal(error.message, 'mpmd.yaml:7: Cannot set KeepAliveTimeout: "five" is not a duration');
  assert.deepEqual(
    [error.file, error.line, error.column, error.directive, error.name, error.cause],
    ["mpmd.yaml", 7, 3, "KeepAliveTimeout", "ConfigError", cause],
  );
});

Deno.test("formatLocation() leaves out an unknown line", () => {
  assert.equal(formatLocation({ file: "-c argument", line: null, column: null }), "-c argument");
  assert.equal(formatLocation({ file: "a.yaml", line: 2, column: null }), "a.yaml:2");
});

Deno.test("ConfigErrors lists one problem per line", () => {
  const at = (line: number) => ({ file: "a.yaml", line, column: 1 });
  const errors = [
    new ConfigError({ at: at(1), directive: null, detail: "Cannot parse YAML: x" }),
    new ConfigError({ at: at(4), directive: "Listen", detail: "Cannot set Listen: y" }),
  ];
  const all = new ConfigErrors(errors);
  assert.equal(all.message, "a.yaml:1: Cannot parse YAML: x\na.yaml:4: Cannot set Listen: y");
  assert.equal(all.errors, errors);
  assert.equal(all.name, "ConfigErrors");
});
