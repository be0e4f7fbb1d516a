/**
 * The one error class of the benchmark tool.
 *
 * @module
 */

/** A benchmark step that could not be done; the message reads "Cannot <verb> <thing>: <reason>". */
export class BenchError extends Error {
  /** Creates the error; pass `{ cause }` when wrapping another error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BenchError";
  }
}
