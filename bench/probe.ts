/**
 * Readiness and correctness probe: one raw HTTP/1.1 GET (Connection: close) over TCP, so no
 * client pool keeps connections open, plus a pure check that the response is the exact file.
 *
 * @module
 */

import { BenchError } from "./bench_error.ts";
import type { ServerProcess } from "./server_process.ts";

/** A parsed HTTP response: lower-case header names, body as received. */
export interface ProbeResponse {
  /** Status code from the status line. */
  readonly status: number;
  /** Field values by lower-case name; a repeated field keeps its last value. */
  readonly headers: ReadonlyMap<string, string>;
  /** Bytes after the head up to the close, not de-chunked. */
  readonly body: Uint8Array;
}

/** What the probed URL must return. */
export interface ExpectedFile {
  /** Request path to GET, e.g. `/1k.txt`. */
  readonly path: string;
  /** The file's exact contents, compared byte for byte with the response body. */
  readonly body: Uint8Array;
  /** Media type the Content-Type must start with, e.g. `text/plain`. */
  readonly mediaType: string;
}

/** Time between two readiness attempts while the server is not yet listening. */
const POLL_INTERVAL_MS = 50;
/** Time one probe may take once connected. */
const PROBE_TIMEOUT_MS = 5_000;

const HEAD_END = new Uint8Array([13, 10, 13, 10]);

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

/**
 * Parses a complete response read until the server closed the connection.
 *
 * @returns the response, or `null` when the bytes hold no complete status line and head.
 */
export function parseProbeResponse(bytes: Uint8Array): ProbeResponse | null {
  const headEnd = indexOfBytes(bytes, HEAD_END);
  if (headEnd < 0) return null;
  const [statusLine = "", ...fields] = new TextDecoder().decode(bytes.subarray(0, headEnd))
    .split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!status) return null;
  const headers = new Map<string, string>();
  for (const field of fields) {
    const colon = field.indexOf(":");
    if (colon > 0) {
      headers.set(field.slice(0, colon).trim().toLowerCase(), field.slice(colon + 1).trim());
    }
  }
  return { status: Number(status[1]), headers, body: bytes.subarray(headEnd + HEAD_END.length) };
}

/** Why `response` is not exactly `expected`, or `null` when it is. */
export function probeMismatch(response: ProbeResponse, expected: ExpectedFile): string | null {
  const length = response.headers.get("content-length");
  const type = response.headers.get("content-type") ?? "";
  if (response.status !== 200) return `status ${response.status}, expected 200`;
  if (length !== String(expected.body.length)) {
    return `Content-Length ${length ?? "missing"}, expected ${expected.body.length}`;
  }
  if (!type.toLowerCase().startsWith(expected.mediaType)) {
    return `Content-Type "${type}", expected ${expected.mediaType}`;
  }
  const same = response.body.length === expected.body.length &&
    response.body.every((b, i) => b === expected.body[i]);
  return same ? null : `body of ${response.body.length} bytes differs from the file`;
}

/** Sends one GET and reads until the server closes; `null` when nothing is listening yet. */
async function getOnce(port: number, path: string): Promise<ProbeResponse | null> {
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionRefused) return null;
    throw error;
  }
  const timer = setTimeout(() => conn.close(), PROBE_TIMEOUT_MS);
  try {
    const request = `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`;
    await conn.write(new TextEncoder().encode(request));
    const response = await new Response(conn.readable).bytes();
    return parseProbeResponse(response);
  } catch (error) {
    // Reset while the server is still coming up (httpd binds before its children accept).
    if (error instanceof Deno.errors.ConnectionReset) return null;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls until the server answers with exactly the expected file, with a deadline.
 *
 * @throws {BenchError} when the server exits, answers with something else, or the deadline
 * passes.
 */
export async function waitUntilServing(
  server: ServerProcess,
  port: number,
  expected: ExpectedFile,
  options: { readonly deadlineMs: number; readonly signal: AbortSignal },
): Promise<void> {
  const deadline = Date.now() + options.deadlineMs;
  for (;;) {
    options.signal.throwIfAborted();
    const exit = server.exitStatus;
    if (exit) {
      throw new BenchError(
        `Cannot start ${server.name}: exited with code ${exit.code} before serving` +
          ` (see ${server.spec.errorLog})${server.stderrTail ? `: ${server.stderrTail}` : ""}`,
      );
    }
    const response = await getOnce(port, expected.path);
    if (response) {
      const mismatch = probeMismatch(response, expected);
      if (mismatch === null) return;
      throw new BenchError(
        `Cannot benchmark ${server.name}: GET ${expected.path} gave ${mismatch}`,
      );
    }
    if (Date.now() > deadline) {
      throw new BenchError(
        `Cannot start ${server.name}: not serving on port ${port} after ${options.deadlineMs} ms` +
          ` (see ${server.spec.errorLog})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
