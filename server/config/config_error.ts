/**
 * Errors of configuration reading: one {@link ConfigError} per problem, gathered into one
 * {@link ConfigErrors} so that a user sees every problem of a config file at once.
 *
 * @module
 */

/** Where a directive was written: a file (or `-C argument`) and, when known, a position. */
export interface ConfigLocation {
  /** The config file as the user named it, `-C argument`, `-c argument` or `embedded default`. */
  readonly file: string;
  /** 1-based line, or `null` when the problem has no line (a missing file, a default value). */
  readonly line: number | null;
  /** 1-based column, or `null` when unknown. */
  readonly column: number | null;
}

/** Formats a location as compilers do: `mpmd.yaml:7`, or just `-c argument`. */
export function formatLocation(at: ConfigLocation): string {
  return at.line === null ? at.file : `${at.file}:${at.line}`;
}

/** The fields of a {@link ConfigError}. */
export interface ConfigErrorInit {
  /** Where the problem is. */
  readonly at: ConfigLocation;
  /** The directive concerned, or `null` (a YAML syntax error, an unreadable file). */
  readonly directive: string | null;
  /** The problem, worded "Cannot <verb> <thing>: <reason>". */
  readonly detail: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/** One problem in the configuration; `message` is `<file>:<line>: <detail>`. */
export class ConfigError extends Error {
  /** The file as the user named it, `-C argument`, `-c argument` or `embedded default`. */
  readonly file: string;
  /** 1-based line, or `null`. */
  readonly line: number | null;
  /** 1-based column, or `null`. */
  readonly column: number | null;
  /** The directive concerned, or `null`. */
  readonly directive: string | null;
  /** The message without its location. */
  readonly detail: string;

  /** Builds the error from its location, directive and "Cannot …" detail. */
  constructor(init: ConfigErrorInit) {
    super(
      `${formatLocation(init.at)}: ${init.detail}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = "ConfigError";
    this.file = init.at.file;
    this.line = init.at.line;
    this.column = init.at.column;
    this.directive = init.directive;
    this.detail = init.detail;
  }
}

/** Every problem found in one configuration, in the order they were found. */
export class ConfigErrors extends Error {
  /** The problems; never empty. */
  readonly errors: readonly ConfigError[];
  /**
   * The warnings found on the way (`<file>:<line>: <text>`): printed before the errors, as
   * httpd does, since an ignored directive is often why a later one fails.
   */
  readonly warnings: readonly string[];

  /**
   * Gathers the problems; the message lists one per line (the errors only), then `summary`
   * when given (what the server does about them).
   */
  constructor(errors: readonly ConfigError[], warnings: readonly string[] = [], summary?: string) {
    super(
      [...errors.map((e) => e.message), ...(summary === undefined ? [] : [summary])].join("\n"),
    );
    this.name = "ConfigErrors";
    this.errors = errors;
    this.warnings = warnings;
  }
}
