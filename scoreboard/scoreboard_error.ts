/**
 * The scoreboard's error class.
 *
 * @module
 */

/** A scoreboard that cannot be created, opened, read or written. */
export class ScoreboardError extends Error {
  /** Creates the error; pass `{ cause }` when wrapping an OS error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ScoreboardError";
  }
}
