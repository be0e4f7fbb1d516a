/**
 * Finds where a request head ends while its bytes arrive, enforcing httpd's head limits on
 * incomplete input so that a client cannot make the server buffer an unbounded head. It is
 * incremental: each byte is examined once however the head is split across reads.
 *
 * @module
 */

import { CR, LF } from "./_chars.ts";
import { HttpError } from "./http_error.ts";
import type { HeadLimits } from "./parse_head.ts";

/**
 * Scans a growing buffer for the empty line that ends a request head. Positions are kept
 * relative to the head's first byte, so the caller may move the buffered bytes between
 * calls as long as it passes the new start.
 */
export class HeadScanner {
  readonly #limits: HeadLimits;
  /** Offset (from the head's start) of the next byte to examine. */
  #pos = 0;
  #lineStart = 0;
  /** Complete non-empty lines seen: the request line, then field lines. */
  #lines = 0;
  #blankLines = 0;

  /**
   * Starts a scanner for heads under `limits`.
   *
   * @param limits The same limits the parser applies.
   */
  constructor(limits: HeadLimits) {
    this.#limits = limits;
  }

  /** Forgets the previous head; call before scanning the next one. */
  reset(): void {
    this.#pos = 0;
    this.#lineStart = 0;
    this.#lines = 0;
    this.#blankLines = 0;
  }

  /**
   * Examines `buf[start + examined, end)`.
   *
   * @param buf The buffer holding the head from `start`.
   * @param start Where the head begins in `buf`.
   * @param end Where the received bytes end.
   * @returns The index just after the head's final CRLF CRLF; `-1` when more bytes are
   *   needed; or an HttpError (400, 414) when the head breaks a limit or has a bare LF.
   */
  scan(buf: Uint8Array, start: number, end: number): number | HttpError {
    const limits = this.#limits;
    for (let i = start + this.#pos; i < end; i++) {
      if (buf[i] !== LF) continue;
      const lineStart = start + this.#lineStart;
      if (i === lineStart || buf[i - 1] !== CR) {
        return new HttpError(400, "Cannot parse request: a line ends in LF without CR");
      }
      const length = i - 1 - lineStart;
      this.#lineStart = i + 1 - start;
      if (this.#lines === 0) {
        if (length === 0) {
          if (++this.#blankLines > limits.limitRequestFields) {
            return new HttpError(400, "Cannot parse request: too many empty lines before it");
          }
          continue;
        }
        if (length > limits.limitRequestLine) return lineTooLong(length, limits);
      } else if (length === 0) {
        this.#pos = i + 1 - start;
        return i + 1;
      } else {
        const error = checkFieldLine(length, this.#lines, limits);
        if (error !== null) return error;
      }
      this.#lines++;
    }
    this.#pos = end - start;
    // The incomplete last line may already break a limit (its last byte may be its CR): too
    // long, or a field line where only the final empty line may come.
    const partial = end - start - this.#lineStart;
    if (this.#lines === 0) {
      if (partial > limits.limitRequestLine + 1) return lineTooLong(partial, limits);
    } else if (partial > 1) {
      return checkFieldLine(partial - 1, this.#lines, limits) ?? -1;
    }
    return -1;
  }
}

/**
 * The longest head {@link HeadScanner} lets through: as many empty lines as fields, then the
 * request line, the fields and the final empty line, every line at its limit. A head the
 * scanner still waits on is always shorter, so a receive buffer of this size never fills up
 * with a head that is neither complete nor refused.
 *
 * @param limits The limits the scanner applies.
 */
export function maxHeadBytes(limits: HeadLimits): number {
  const { limitRequestLine: line, limitRequestFieldSize: size, limitRequestFields: count } = limits;
  return 2 * count + (line + 2) + count * (size + 2) + 2;
}

function lineTooLong(length: number, limits: HeadLimits): HttpError {
  return new HttpError(
    414,
    `Cannot parse request: a request line of ${length} bytes or more exceeds LimitRequestLine (${limits.limitRequestLine})`,
  );
}

function checkFieldLine(length: number, lines: number, limits: HeadLimits): HttpError | null {
  if (length > limits.limitRequestFieldSize) {
    return new HttpError(
      400,
      `Cannot parse header field: a field line of ${length} bytes or more exceeds LimitRequestFieldSize (${limits.limitRequestFieldSize})`,
    );
  }
  if (lines > limits.limitRequestFields) {
    return new HttpError(
      400,
      `Cannot parse header field: more than LimitRequestFields (${limits.limitRequestFields}) fields`,
    );
  }
  return null;
}
