/**
 * What the readers produce: each directive as written, with where and in which section, before
 * any value is parsed.
 *
 * @module
 */

import type { ConfigError, ConfigLocation, MpmName, ValueSyntax } from "../mod.ts";

/**
 * The sources, in the order they apply: `-C` arguments, the config file, `-c` arguments
 * (httpd's order: the file overrides `-C`, `-c` overrides the file).
 */
export const SOURCES = ["before", "file", "after"] as const;
/** One of {@link SOURCES}. */
export type Source = typeof SOURCES[number];

/**
 * Where a directive was written: the YAML file's top level (or an IfDefine section in it), a
 * `-C` / `-c` argument or an httpd.conf line ("server config", httpd's name for the main
 * context), where an MPM directive applies to the active MPM, or a YAML MPM section.
 */
export type Section = "top level" | "command line" | "server config" | MpmName;

/** A `${NAME}` in a YAML or `-C` / `-c` value with neither a value nor a default. */
export interface UndefinedVariable {
  readonly name: string;
  /** Where it was written: the line of its list item when the value is a YAML list. */
  readonly at: ConfigLocation;
}

/** One directive as written. */
export interface Occurrence {
  /** The key as written (its case may be wrong). */
  readonly name: string;
  /** The YAML value converted to plain data, or the argument text of a `-C` / `-c`. */
  readonly value: unknown;
  readonly syntax: ValueSyntax;
  readonly source: Source;
  readonly section: Section;
  /**
   * The host it sets: 0 for the main server, `k` for the k-th of its source's
   * {@link ReadResult.virtualHosts}.
   */
  readonly host: number;
  /** `false` inside an IfDefine whose condition does not hold: checked, then ignored. */
  readonly active: boolean;
  readonly at: ConfigLocation;
  /** Lines of the items when the value is a YAML list. */
  readonly itemLines: readonly (number | null)[];
  /**
   * The `${NAME}`s of `value` left as written for want of a value: the directive is refused,
   * as a bad value is. Always empty from httpd.conf, where httpd keeps the text and warns.
   */
  readonly undefinedVariables: readonly UndefinedVariable[];
}

/** A `<VirtualHost>` (or an item of YAML's `VirtualHost` list) as written. */
export interface VirtualHostDeclaration {
  /** Its addresses: the tag's argument text, or the YAML value of `Address`. */
  readonly addresses: unknown;
  readonly at: ConfigLocation;
  /** `false` inside an IfDefine whose condition does not hold: checked, then left out. */
  readonly active: boolean;
}

/** What a reader returns: occurrences, and the problems it could see on its own. */
export interface ReadResult {
  /** `false` when a syntax error stopped the reading: then only `errors` are worth reporting. */
  readonly complete: boolean;
  readonly occurrences: readonly Occurrence[];
  /** The virtual hosts declared, in the order written (`Occurrence.host` 1 is the first). */
  readonly virtualHosts: readonly VirtualHostDeclaration[];
  readonly errors: readonly ConfigError[];
  readonly warnings: readonly string[];
}
