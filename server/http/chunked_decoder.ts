/**
 * An incremental decoder of the chunked transfer coding (RFC 9112 §7.1): chunk sizes in hex
 * without sign, space or overflow; chunk extensions accepted but bounded and free of control
 * characters; trailer fields parsed with the header rules. It never copies chunk data: each
 * call reports where the next data bytes lie in the caller's buffer.
 *
 * @module
 */

import { CR, FIELD_VALUE_CHAR, HTAB, LF, SEMICOLON, SP } from "./_chars.ts";
import { type FieldLimits, parseFieldLines } from "./_field_lines.ts";
import { decodeLatin1 } from "./_latin1.ts";
import { HttpError } from "./http_error.ts";

const SIZE = 0;
const SIZE_WHITESPACE = 1;
const EXTENSION = 2;
const SIZE_LF = 3;
const DATA = 4;
const DATA_CR = 5;
const DATA_LF = 6;
const TRAILER = 7;
const DONE = 8;

// 2^53 / 16: one more hex digit could leave the range where integers are exact.
const MAX_SIZE_BEFORE_DIGIT = Math.floor(Number.MAX_SAFE_INTEGER / 16);

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  return -1;
}

function malformed(reason: string): HttpError {
  return new HttpError(400, `Cannot decode chunked body: ${reason}`);
}

/**
 * Decodes one chunked body. Limits: a chunk-size line (size and extensions) may be as long
 * as LimitRequestFieldSize; the trailer section obeys LimitRequestFieldSize and
 * LimitRequestFields like the head.
 */
export class ChunkedDecoder {
  readonly #limits: FieldLimits;
  #state = SIZE;
  #size = 0;
  #lineLength = 0;
  #remaining = 0;
  #declared = 0;
  #trailerBytes: Uint8Array | null = null;
  #trailerLength = 0;
  #trailerLineStart = 0;
  #trailerLines = 0;
  #trailers: ReadonlyMap<string, string> = new Map();

  /** Start of the data found by the last {@link decode} call. */
  dataStart = 0;
  /** End of that data; equal to {@link dataStart} when the call found none. */
  dataEnd = 0;

  /**
   * Starts decoding one body.
   *
   * @param limits Bounds on chunk-size lines and on the trailer section.
   */
  constructor(limits: FieldLimits) {
    this.#limits = limits;
  }

  /** Whether the last chunk and the trailer section have been read. */
  get done(): boolean {
    return this.#state === DONE;
  }

  /** Sum of the chunk sizes announced so far (to refuse an oversized body early). */
  get declaredBytes(): number {
    return this.#declared;
  }

  /** Trailer fields by lower-case name; empty until {@link done}. */
  get trailers(): ReadonlyMap<string, string> {
    return this.#trailers;
  }

  /**
   * Consumes bytes of `buf[start, end)` up to and including the next run of chunk data, or
   * all of them if none is complete enough, or up to the end of the body.
   *
   * @returns The index of the first byte not consumed. {@link dataStart}/{@link dataEnd}
   *   then mark the data bytes found, if any, inside the consumed range.
   * @throws {HttpError} 400 on malformed framing or trailers.
   */
  decode(buf: Uint8Array, start: number, end: number): number {
    this.dataStart = this.dataEnd = start;
    let p = start;
    while (p < end) {
      const b = buf[p]!;
      switch (this.#state) {
        case SIZE: {
          const digit = hexValue(b);
          if (digit >= 0) {
            if (this.#size > MAX_SIZE_BEFORE_DIGIT) throw malformed("the chunk size overflows");
            this.#size = this.#size * 16 + digit;
          } else if (this.#lineLength === 0) {
            throw malformed("a chunk-size line does not start with a hex digit");
          } else if (b === SEMICOLON) {
            this.#state = EXTENSION;
          } else if (b === SP || b === HTAB) {
            this.#state = SIZE_WHITESPACE;
          } else if (b === CR) {
            this.#state = SIZE_LF;
          } else {
            throw malformed("invalid byte in the chunk size");
          }
          break;
        }
        case SIZE_WHITESPACE:
          // RFC 9112 §7.1.1 allows whitespace (BWS) only before a chunk extension.
          if (b === SEMICOLON) this.#state = EXTENSION;
          else if (b !== SP && b !== HTAB) throw malformed("whitespace after the chunk size");
          break;
        case EXTENSION:
          if (b === CR) this.#state = SIZE_LF;
          else if (FIELD_VALUE_CHAR[b] !== 1) throw malformed("control character in an extension");
          break;
        case SIZE_LF:
          if (b !== LF) throw malformed("a chunk-size line does not end in CRLF");
          p = this.#startChunk(p);
          continue;
        case DATA: {
          const n = Math.min(this.#remaining, end - p);
          this.dataStart = p;
          this.dataEnd = p + n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = DATA_CR;
          return p + n;
        }
        case DATA_CR:
          if (b !== CR) throw malformed("chunk data is longer than its size");
          this.#state = DATA_LF;
          break;
        case DATA_LF:
          if (b !== LF) throw malformed("chunk data is not followed by CRLF");
          this.#state = SIZE;
          this.#size = 0;
          this.#lineLength = 0;
          p++;
          continue;
        case TRAILER:
          p = this.#trailer(buf, p, end);
          continue;
        default:
          return p;
      }
      p++;
      if (++this.#lineLength > this.#limits.limitRequestFieldSize) {
        throw malformed(
          `a chunk-size line exceeds LimitRequestFieldSize (${this.#limits.limitRequestFieldSize})`,
        );
      }
    }
    return p;
  }

  /** At the LF ending a chunk-size line (at `p`): starts the chunk's data or the trailers. */
  #startChunk(p: number): number {
    this.#remaining = this.#size;
    this.#declared += this.#size;
    this.#state = this.#size === 0 ? TRAILER : DATA;
    return p + 1;
  }

  /** Copies trailer-section bytes until the empty line, checking limits line by line. */
  #trailer(buf: Uint8Array, p: number, end: number): number {
    const limits = this.#limits;
    const capacity = limits.limitRequestFieldSize + 2;
    for (; p < end; p++) {
      const b = buf[p]!;
      if (this.#trailerBytes === null || this.#trailerLength === this.#trailerBytes.length) {
        const grown = new Uint8Array(Math.max(256, this.#trailerLength * 2));
        if (this.#trailerBytes !== null) grown.set(this.#trailerBytes);
        this.#trailerBytes = grown;
      }
      this.#trailerBytes[this.#trailerLength++] = b;
      const lineLength = this.#trailerLength - this.#trailerLineStart;
      if (b !== LF) {
        if (lineLength > capacity) {
          throw malformed(
            `a trailer field exceeds LimitRequestFieldSize (${limits.limitRequestFieldSize})`,
          );
        }
        continue;
      }
      if (lineLength < 2 || this.#trailerBytes[this.#trailerLength - 2] !== CR) {
        throw malformed("a trailer line ends in LF without CR");
      }
      this.#trailerLineStart = this.#trailerLength;
      if (lineLength === 2) {
        const text = decodeLatin1(this.#trailerBytes.subarray(0, this.#trailerLength));
        const fields = parseFieldLines(text, 0, limits);
        if (fields instanceof HttpError) throw fields;
        this.#trailers = fields;
        this.#trailerBytes = null;
        this.#state = DONE;
        return p + 1;
      }
      if (++this.#trailerLines > limits.limitRequestFields) {
        throw malformed(`more than LimitRequestFields (${limits.limitRequestFields}) trailers`);
      }
    }
    return p;
  }
}
