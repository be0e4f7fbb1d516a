/**
 * Shared shorthand of the httpd.conf tests: read httpd.conf text as `/srv/httpd.conf` (named
 * `httpd.conf` in messages) with included files held in memory, and collect the messages of a
 * refused config (with the YAML tests' {@link errorsOf}).
 *
 * @module
 */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { errorsOf } from "../_parse_yaml.ts";
import {
  type HttpdConfFiles,
  type LoadedConfig,
  type ParseConfigOptions,
  parseConfigText,
} from "../../../../../server/config/readers/mod.ts";

/** The ServerRoot of every in-memory config. */
export const ROOT = "/srv";

/** What a test may change: parseConfigText's options, plus files and environment in memory. */
export interface ReadOptions extends Partial<ParseConfigOptions> {
  /** Files by path relative to {@link ROOT} → text. */
  readonly tree?: Readonly<Record<string, string>>;
  /** Environment variables. */
  readonly vars?: Readonly<Record<string, string>>;
}

/** An {@link HttpdConfFiles} over files held in memory (absolute path → text). */
export function memoryFiles(files: Readonly<Record<string, string>>): HttpdConfFiles {
  const dirs = new Set<string>();
  for (const path of Object.keys(files)) {
    for (let d = dirname(path); !dirs.has(d); d = dirname(d)) {
      dirs.add(d);
      if (d === "/") break;
    }
  }
  return {
    kind: (path) => (Object.hasOwn(files, path) ? "file" : dirs.has(path) ? "directory" : null),
    readText(path) {
      if (!Object.hasOwn(files, path)) throw new Error(`${path}: no such file`);
      return files[path]!;
    },
    readDir: (path) =>
      [...Object.keys(files), ...dirs]
        .filter((p) => p !== path && dirname(p) === path)
        .map((p) => p.slice(path === "/" ? 1 : path.length + 1)),
  };
}

/** The text and options that {@link readConf} and {@link confErrors} parse. */
function prepare(text: string, options: ReadOptions): [string, ParseConfigOptions] {
  const { tree = {}, vars = {}, ...rest } = options;
  const files = Object.fromEntries(Object.entries(tree).map(([p, t]) => [join(ROOT, p), t]));
  return [/^\s*listen\s/im.test(text) ? text : `${text}\nListen 8080\n`, {
    file: `${ROOT}/httpd.conf`,
    fileLabel: "httpd.conf",
    platformDefaultMpm: "event",
    syntax: "httpd",
    files: memoryFiles(files),
    env: (name) => vars[name],
    ...rest,
  }];
}

/** Parses httpd.conf `text`, with a Listen added at the end unless the text has one. */
export function readConf(text: string, options: ReadOptions = {}): LoadedConfig {
  return parseConfigText(...prepare(text, options));
}

/** The messages of the ConfigErrors that reading `text` must throw. */
export function confErrors(text: string, options: ReadOptions = {}): string[] {
  return errorsOf(...prepare(text, options));
}

/** A config that must be refused, and the messages it must be refused with. */
export interface Refusal {
  readonly name: string;
  readonly text: string;
  readonly tree?: Readonly<Record<string, string>>;
  readonly errors: readonly string[];
}

/** One step per case: reading its text is refused with exactly its messages. */
export async function assertRefusals(
  t: Deno.TestContext,
  cases: readonly Refusal[],
): Promise<void> {
  for (const c of cases) {
    await t.step(c.name, () => {
      assert.deepEqual(confErrors(c.text, c.tree === undefined ? {} : { tree: c.tree }), c.errors);
    });
  }
}
