/**
 * Splits a directive's arguments as httpd does (`ap_getword_conf`): words are separated by
 * white space, and a word that starts with a double or single quote runs to the matching
 * quote, inside which a backslash escapes that quote.
 *
 * @module
 */

/** A string that cannot be split into arguments (an unterminated quote). */
export class ArgumentSyntaxError extends Error {
  /** Builds the error with its reason. */
  constructor(message: string) {
    super(message);
    this.name = "ArgumentSyntaxError";
  }
}

/**
 * Splits `text` into httpd-style arguments.
 *
 * @example
 * ```ts
 * splitArgs(`logs/access.log "%h %r"`); // ["logs/access.log", "%h %r"]
 * ```
 * @throws {ArgumentSyntaxError} on an unterminated quote.
 */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text[i]!)) i++;
    if (i >= text.length) break;
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      let word = "";
      i++;
      while (i < text.length && text[i] !== quote) {
        word += text[i] === "\\" && text[i + 1] === quote ? text[++i] : text[i];
        i++;
      }
      if (i >= text.length) {
        throw new ArgumentSyntaxError(`${JSON.stringify(text)} has an unterminated ${quote} quote`);
      }
      args.push(word);
      i++;
    } else {
      const start = i;
      while (i < text.length && !isSpace(text[i]!)) i++;
      args.push(text.slice(start, i));
    }
  }
  return args;
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}
