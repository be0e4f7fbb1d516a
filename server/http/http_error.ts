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

/**
 * The methods httpd knows (RFC 9110's, PATCH and WebDAV's, as its method registry holds them).
 * Method names are case-sensitive: `get` is none of them.
 */
const KNOWN_METHODS: ReadonlySet<string> = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "CONNECT",
  "OPTIONS",
  "TRACE",
  "PATCH",
  "PROPFIND",
  "PROPPATCH",
  "MKCOL",
  "COPY",
  "MOVE",
  "LOCK",
  "UNLOCK",
  "VERSION-CONTROL",
  "CHECKOUT",
  "UNCHECKOUT",
  "CHECKIN",
  "UPDATE",
  "LABEL",
  "REPORT",
  "MKWORKSPACE",
  "MKACTIVITY",
  "BASELINE-CONTROL",
  "MERGE",
]);

/**
 * The refusal of a method a resource does not take, as RFC 9110 §9.1 and httpd answer it:
 * 405 with `Allow` for a method the server knows, 501 for one it does not (`FOO`, `get`).
 *
 * @param method the request's method.
 * @param allow the methods the resource takes, as the `Allow` field lists them.
 * @param resource what was asked, for the log (`a static file`, `the status page`).
 */
export function methodRefusal(method: string, allow: string, resource: string): HttpError {
  return KNOWN_METHODS.has(method)
    ? new HttpError(405, `Cannot ${method} ${resource}: only ${allow} are allowed`, {
      headers: [["Allow", allow]],
    })
    : new HttpError(501, `Cannot ${method} ${resource}: no such method`);
}
