/**
 * Readiness and correctness probe: one raw HTTP/1.1 GET (Connection: close) over TCP, so no
 * client pool keeps connections open, plus a pure check that the response is the exact file.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { gunzipSync } from "node:zlib";
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

/**
 * Sends one GET (with `fields`, `Name: value` lines) and reads until the server closes; `null`
 * when nothing is listening yet.
 */
async function getOnce(
  port: number,
  path: string,
  fields: readonly string[] = [],
): Promise<ProbeResponse | null> {
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionRefused) return null;
    throw error;
  }
  const timer = setTimeout(() => conn.close(), PROBE_TIMEOUT_MS);
  try {
    const request = [
      `GET ${path} HTTP/1.1`,
      "Host: localhost",
      "Connection: close",
      ...fields,
      "",
      "",
    ].join("\r\n");
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

/** The body of a chunked message (chunk extensions and trailers skipped); `null` if malformed. */
export function dechunk(bytes: Uint8Array): Uint8Array | null {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = indexOfBytes(bytes.subarray(at), HEAD_END.subarray(2));
    if (lineEnd < 0) return null;
    const size = parseInt(new TextDecoder().decode(bytes.subarray(at, at + lineEnd)), 16);
    if (!Number.isInteger(size) || size < 0) return null;
    const start = at + lineEnd + 2;
    if (size === 0) break;
    if (start + size + 2 > bytes.length) return null;
    chunks.push(bytes.subarray(start, start + size));
    at = start + size + 2;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Why a response to `Accept-Encoding: gzip` is not the expected file compressed with gzip, or
 * the compressed length when it is.
 */
export function gzipMismatch(
  response: ProbeResponse,
  expected: ExpectedFile,
): { readonly mismatch: string } | { readonly gzipBytes: number } {
  if (response.status !== 200) return { mismatch: `status ${response.status}, expected 200` };
  const coding = response.headers.get("content-encoding");
  if (coding !== "gzip") return { mismatch: `Content-Encoding ${coding ?? "missing"}, not gzip` };
  const chunked = response.headers.get("transfer-encoding")?.toLowerCase() === "chunked";
  const body = chunked ? dechunk(response.body) : response.body;
  if (body === null) return { mismatch: "a malformed chunked body" };
  let decoded: Uint8Array;
  try {
    decoded = gunzipSync(body);
  } catch (error) {
    return { mismatch: `a body that does not gunzip (${error})` };
  }
  const same = decoded.length === expected.body.length &&
    decoded.every((b, i) => b === expected.body[i]);
  return same ? { gzipBytes: body.length } : { mismatch: "a body that gunzips to other bytes" };
}

/**
 * GETs the expected file with `Accept-Encoding: gzip` and checks that it comes compressed and
 * decompresses to the file: a server that did not compress would win the comparison unfairly.
 *
 * @returns the compressed length.
 * @throws {BenchError} naming what differs.
 */
export async function probeGzip(
  name: string,
  port: number,
  expected: ExpectedFile,
): Promise<number> {
  const response = await getOnce(port, expected.path, ["Accept-Encoding: gzip"]);
  const outcome = response === null ? { mismatch: "no answer" } : gzipMismatch(response, expected);
  if ("mismatch" in outcome) {
    throw new BenchError(
      `Cannot benchmark ${name}: gzip GET ${expected.path} gave ${outcome.mismatch}`,
    );
  }
  return outcome.gzipBytes;
}
