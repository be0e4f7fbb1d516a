/**
 * The error a message channel raises when a line it reads is not one JSON message.
 *
 * @module
 */

/** A line on a message channel that is not valid UTF-8 JSON, or that ends without a newline. */
export class MessageFormatError extends SyntaxError {
  /** The 1-based number of the offending line on its channel. */
  readonly line: number;

  /**
   * Creates the error for one line, worded "Cannot parse message on line <n>: <reason>".
   *
   * @param line the 1-based line number.
   * @param reason why the line is not a message.
   * @param options the underlying parse error, if any, as `cause`.
   */
  constructor(line: number, reason: string, options?: ErrorOptions) {
    super(`Cannot parse message on line ${line}: ${reason}`, options);
    this.name = "MessageFormatError";
    this.line = line;
  }
}
