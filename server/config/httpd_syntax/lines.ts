/**
 * The lexical layer of httpd's config syntax: logical lines (a `\` at the end of a line joins
 * the next one; a line whose first non-blank character is `#` is a comment) and what each
 * line is: a directive, a section opening `<Name args>` or a section closing `</Name>`.
 *
 * @module
 */

/** One logical line: its text (continuations joined) and the line it starts on. */
export interface LogicalLine {
  /** 1-based number of the first physical line. */
  readonly line: number;
  /** The text, trimmed, continuations joined with a space. */
  readonly text: string;
}

/** What a logical line holds. */
export type ParsedLine =
  | { readonly kind: "directive"; readonly name: string; readonly args: string }
  | { readonly kind: "open"; readonly name: string; readonly args: string }
  | { readonly kind: "close"; readonly name: string }
  | { readonly kind: "error"; readonly detail: string };

/**
 * Splits text into logical lines, leaving out blank lines and comments. As in httpd, `#`
 * starts a comment only at the beginning of a line, and a comment line does not continue.
 */
export function logicalLines(text: string): LogicalLine[] {
  const physical = text.split(/\r?\n/);
  const lines: LogicalLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    let joined = physical[i]!;
    while (
      joined.endsWith("\\") && !joined.trimStart().startsWith("#") && i + 1 < physical.length
    ) {
      joined = `${joined.slice(0, -1)} ${physical[++i]!.trimStart()}`;
    }
    const trimmed = joined.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    lines.push({ line: start + 1, text: trimmed });
  }
  return lines;
}

/** Tells a directive from a section opening or closing. */
export function parseLine(text: string): ParsedLine {
  if (text.startsWith("</")) {
    const m = /^<\/([^\s>]+)\s*>$/.exec(text);
    return m
      ? { kind: "close", name: m[1]! }
      : { kind: "error", detail: `Cannot read ${text}: a closing tag is </Name>` };
  }
  if (text.startsWith("<")) {
    const m = /^<([^\s>]+)\s*/.exec(text);
    if (!m || !text.endsWith(">")) {
      const name = m?.[1] ?? text;
      return { kind: "error", detail: `Cannot read <${name}: the section has no closing ">"` };
    }
    return { kind: "open", name: m[1]!, args: text.slice(m[0].length, -1).trim() };
  }
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text)!;
  return { kind: "directive", name: m[1]!, args: m[2]! };
}
