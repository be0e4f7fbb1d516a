/**
 * Shared shorthand of the config tests: parse YAML as `/srv/mpmd.yaml` (named `mpmd.yaml` in
 * messages) without touching the disk, and collect the messages of a refused config.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConfigErrors } from "../../../../server/config/mod.ts";
import {
  type LoadedConfig,
  type ParseConfigOptions,
  parseConfigText,
} from "../../../../server/config/readers/mod.ts";

/** Options every test starts from. */
export const BASE_OPTIONS: ParseConfigOptions = {
  file: "/srv/mpmd.yaml",
  fileLabel: "mpmd.yaml",
  platformDefaultMpm: "event",
};

/** Parses `yaml` with {@link BASE_OPTIONS} and `options`. */
export function parseYaml(yaml: string, options: Partial<ParseConfigOptions> = {}): LoadedConfig {
  return parseConfigText(yaml, { ...BASE_OPTIONS, ...options });
}

/** The messages of the ConfigErrors that parsing `yaml` must throw. */
export function errorsOf(yaml: string, options: Partial<ParseConfigOptions> = {}): string[] {
  try {
    parseYaml(yaml, options);
  } catch (e) {
    assert.ok(e instanceof ConfigErrors, `expected ConfigErrors, got ${e}`);
    return e.errors.map((error) => error.message);
  }
  assert.fail("expected the config to be refused");
}

/** Puts `Listen: 8080` on line 1 unless the YAML is about Listen, so that it is valid. */
export function withListen(yaml: string): string {
  return yaml.startsWith("Listen") ? yaml : `Listen: 8080\n${yaml}`;
}
