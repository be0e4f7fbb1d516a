/**
 * An HTTP failure as a value: the parser, the body reader and handlers throw it, and the
 * engine turns it into a response in exactly one place.
 *
 * @module
 */

/** A failure that maps to one HTTP status. */
export class HttpError extends Error {
  /** The status to answer with (4xx or 5xx). */
  readonly status: number;
  /** Extra response header fields (e.g. `Allow` on 405). */
  readonly headers: ReadonlyArray<[string, string]>;

  /**
   * Creates the error for one status.
   *
   * @param status HTTP status code to answer with.
   * @param message Why; goes to the error log (at debug/info), never to the client.
   */
  constructor(
    status: number,
    message: string,
    options?: { cause?: unknown; headers?: ReadonlyArray<[string, string]> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HttpError";
    this.status = status;
    this.headers = options?.headers ?? [];
  }
}
