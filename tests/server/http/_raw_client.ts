/**
 * A raw TCP client for engine tests: sends exact bytes and reads responses back with a
 * deadline, decoding Content-Length, chunked and close-delimited bodies itself so that
 * tests see precisely what went over the wire.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const DEFAULT_DEADLINE_MS = 5_000;

/** One byte per character (Latin-1), for requests with bytes that UTF-8 would encode as two. */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** One response as read from the wire. */
export interface RawResponse {
  readonly status: number;
  /** The status line, e.g. `HTTP/1.1 200 OK`. */
  readonly statusLine: string;
  /** Fields in order, names as sent. */
  readonly fieldList: ReadonlyArray<[string, string]>;
  /** Fields by lower-case name, repeated ones joined with `, `. */
  readonly headers: ReadonlyMap<string, string>;
  /** The decoded body. */
  readonly body: Uint8Array;
  /** The body as UTF-8 text. */
  readonly text: string;
}

/** Thrown when the deadline passes before the awaited bytes arrive. */
export class DeadlineError extends Error {
  constructor(what: string, ms: number) {
    super(`Cannot read ${what}: nothing within ${ms} ms`);
    this.name = "DeadlineError";
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Where a response head ends in `bytes` (just past its blank line), or -1 before that. */
export function indexOfCrlfCrlf(bytes: Uint8Array): number {
  for (let i = 3; i < bytes.length; i++) {
    if (bytes[i] === 10 && bytes[i - 1] === 13 && bytes[i - 2] === 10 && bytes[i - 3] === 13) {
      return i + 1;
    }
  }
  return -1;
}

/** A TCP connection to the server under test. */
export class RawClient implements AsyncDisposable {
  readonly conn: Deno.TcpConn;
  #buffer: Uint8Array = new Uint8Array(0);
  #eof = false;
  #reset = false;
  #pending: Promise<Uint8Array | null> | null = null;
  #sentBytes = 0;
  #takenBytes = 0;

  private constructor(conn: Deno.TcpConn) {
    this.conn = conn;
  }

  /** Connects to 127.0.0.1:`port`. */
  static async connect(port: number): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Sends bytes or a string (as Latin-1-safe UTF-8) in one write. */
  async send(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    let offset = 0;
    while (offset < bytes.length) offset += await this.conn.write(bytes.subarray(offset));
    this.#sentBytes += bytes.length;
  }

  /** Bytes this client has written, as they went over the wire. */
  get sentBytes(): number {
    return this.#sentBytes;
  }

  /** Bytes of the server's responses consumed by the read methods so far, framing included. */
  get takenBytes(): number {
    return this.#takenBytes;
  }

  /** Whether the stream ended by a reset (a read failed) rather than the server's close. */
  get reset(): boolean {
    return this.#reset;
  }

  /** Whether the server has closed its sending side (and everything before it was read). */
  get eof(): boolean {
    return this.#eof && this.#buffer.length === 0;
  }

  /** Bytes received but not yet consumed by a read method. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Reads at least one more chunk into the buffer; `false` at EOF. */
  async #more(deadline: number, what: string): Promise<boolean> {
    if (this.#eof) return false;
    this.#pending ??= (async () => {
      const chunk = new Uint8Array(65536);
      let n: number | null;
      try {
        n = await this.conn.read(chunk);
      } catch {
        n = null; // A reset counts as the end of the stream.
        this.#reset = true;
      }
      return n === null ? null : chunk.subarray(0, n);
    })();
    const remaining = deadline - Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), Math.max(0, remaining));
    });
    const result = await Promise.race([this.#pending, timeout]);
    clearTimeout(timer);
    if (result === "timeout") throw new DeadlineError(what, Math.max(0, remaining));
    this.#pending = null;
    if (result === null) {
      this.#eof = true;
      return false;
    }
    this.#buffer = concat(this.#buffer, result);
    return true;
  }

  #take(n: number): Uint8Array {
    const out = this.#buffer.slice(0, n);
    this.#buffer = this.#buffer.slice(n);
    this.#takenBytes += out.length;
    return out;
  }

  /**
   * Reads one response. `100 Continue` and other interim responses come back as their own
   * response (with an empty body).
   *
   * @param options `method: "HEAD"` when the request was HEAD (no body follows).
   */
  async readResponse(
    options: { method?: string; deadlineMs?: number } = {},
  ): Promise<RawResponse> {
    const deadline = Date.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS);
    let end: number;
    while ((end = indexOfCrlfCrlf(this.#buffer)) < 0) {
      if (!await this.#more(deadline, "a response head")) {
        throw new Error(
          `Cannot read a response head: connection closed after ${this.#buffer.length} bytes`,
        );
      }
    }
    const headText = decoder.decode(this.#take(end));
    const [statusLine = "", ...lines] = headText.slice(0, -4).split("\r\n");
    const status = Number(statusLine.split(" ")[1]);
    const fieldList: Array<[string, string]> = [];
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      fieldList.push([name, value]);
      const key = name.toLowerCase();
      headers.set(key, headers.has(key) ? `${headers.get(key)}, ${value}` : value);
    }
    let body: Uint8Array = new Uint8Array(0);
    const bodiless = options.method === "HEAD" || status < 200 || status === 204 ||
      status === 304;
    if (!bodiless) {
      if (headers.get("transfer-encoding")?.toLowerCase() === "chunked") {
        body = await this.#readChunked(deadline);
      } else if (headers.has("content-length")) {
        const length = Number(headers.get("content-length"));
        while (this.#buffer.length < length) {
          if (!await this.#more(deadline, "a response body")) {
            throw new Error(
              `Cannot read a response body: closed after ${this.#buffer.length} of ${length} bytes`,
            );
          }
        }
        body = this.#take(length);
      } else {
        while (await this.#more(deadline, "a close-delimited body")) {
          // Until the server closes.
        }
        body = this.#take(this.#buffer.length);
      }
    }
    return { status, statusLine, fieldList, headers, body, text: decoder.decode(body) };
  }

  async #readChunked(deadline: number): Promise<Uint8Array> {
    let body: Uint8Array = new Uint8Array(0);
    for (;;) {
      let lineEnd: number;
      while ((lineEnd = this.#indexOfCrlf()) < 0) {
        if (!await this.#more(deadline, "a chunk size")) {
          throw new Error("Cannot read chunk size: closed");
        }
      }
      const size = parseInt(decoder.decode(this.#take(lineEnd + 2)), 16);
      if (size === 0) {
        while (this.#indexOfCrlf() !== 0) {
          if (this.#indexOfCrlf() > 0) this.#take(this.#indexOfCrlf() + 2);
          else if (!await this.#more(deadline, "trailers")) {
            throw new Error("Cannot read trailers: closed");
          }
        }
        this.#take(2);
        return body;
      }
      while (this.#buffer.length < size + 2) {
        if (!await this.#more(deadline, "chunk data")) {
          throw new Error("Cannot read chunk data: closed");
        }
      }
      body = concat(body, this.#take(size));
      this.#take(2);
    }
  }

  #indexOfCrlf(): number {
    for (let i = 1; i < this.#buffer.length; i++) {
      if (this.#buffer[i] === 10 && this.#buffer[i - 1] === 13) return i - 1;
    }
    return -1;
  }

  /** Takes every byte received but not yet consumed, as sent. */
  takeBuffered(): Uint8Array {
    return this.#take(this.#buffer.length);
  }

  /**
   * Resolves when the server closes the connection, keeping what arrives until then; throws if
   * it is still open after the deadline.
   */
  async waitForClose(deadlineMs = DEFAULT_DEADLINE_MS): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (await this.#more(deadline, "the end of the connection")) {
      // Until the server closes.
    }
  }

  /** Whether any byte arrives within `ms` (used to show that nothing was sent). */
  async receivesWithin(ms: number): Promise<boolean> {
    if (this.#buffer.length > 0) return true;
    try {
      return await this.#more(Date.now() + ms, "anything");
    } catch (error) {
      if (error instanceof DeadlineError) return false;
      throw error;
    }
  }

  /** Closes the connection (idempotent). */
  close(): void {
    try {
      this.conn.close();
    } catch {
      // Already closed.
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.#pending?.catch(() => null);
  }
}
