/**
 * `${NAME}` in httpd's config lines: replaced by the value of `Define NAME value`, else by the
 * environment variable NAME; when neither exists httpd leaves the text as it is and warns, and
 * so does mpmd.
 *
 * @module
 */

/** A line with its variables replaced, and the names that had no value. */
export interface ExpandedLine {
  readonly text: string;
  readonly undefinedNames: readonly string[];
}

/** Replaces each `${NAME}` in `text` with `lookup(NAME)`, keeping it when that is undefined. */
export function expandVariables(
  text: string,
  lookup: (name: string) => string | undefined,
): ExpandedLine {
  const undefinedNames: string[] = [];
  const expanded = text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const value = lookup(name);
    if (value !== undefined) return value;
    undefinedNames.push(name);
    return whole;
  });
  return { text: expanded, undefinedNames };
}
