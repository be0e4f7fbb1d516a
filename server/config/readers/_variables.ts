/**
 * `${NAME}` and `${NAME:-default}` in config values, one expansion for every reader: the
 * httpd.conf reader looks names up in its Defines, then the environment, and warns about an
 * undefined one (keeping the text, as httpd does); the YAML and `-C`/`-c` readers look in the
 * environment and refuse the directive.
 *
 * @module
 */

/** Text with its variables replaced, and the names that had neither a value nor a default. */
export interface Expansion {
  readonly text: string;
  /** In the order written; a name written twice is listed twice. */
  readonly undefinedNames: readonly string[];
}

/**
 * `${NAME}`, or `${NAME:-default}`: the name is everything up to the first `:-` or `}`, the
 * default everything after `:-` up to the first `}` (taken literally: no `${…}` inside it).
 */
const VARIABLE = /\$\{([^}]+?)(?::-([^}]*))?\}/g;

/**
 * Replaces each `${NAME}` in `text` with `lookup(NAME)`, and each `${NAME:-default}` with it
 * unless that is undefined or empty (the shell's rule), then with `default`. A `${NAME}`
 * whose lookup is undefined is kept as written and its name listed.
 */
export function expandVariables(
  text: string,
  lookup: (name: string) => string | undefined,
): Expansion {
  const undefinedNames: string[] = [];
  const expanded = text.replace(
    VARIABLE,
    (whole, name: string, fallback: string | undefined) => {
      const value = lookup(name);
      if (fallback !== undefined) return value === undefined || value === "" ? fallback : value;
      if (value !== undefined) return value;
      undefinedNames.push(name);
      return whole;
    },
  );
  return { text: expanded, undefinedNames };
}
