/**
 * Builds the engine's ServerRequest for static-handler tests, and reads back responses,
 * without any socket.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type Handler,
  HttpError,
  type ServerRequest,
  type ServerResponse,
} from "../../../server/http/mod.ts";
import type { Endpoint } from "../../../server/log/mod.ts";

/** What a test may set on a request; everything else gets a plausible default. */
export interface TestRequestInit {
  /** @default "GET" */
  readonly method?: string;
  /** Header fields; names are lower-cased as the engine does. */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default Date.now() */
  readonly receivedAt?: number;
  /** A body, delivered in one chunk; none by default. */
  readonly body?: string;
  /** @default "localhost" */
  readonly host?: string;
  /** @default 127.0.0.1:40000 */
  readonly remote?: Endpoint;
}

const EMPTY_BODY = {
  length: 0,
  present: false,
  read: () => Promise.resolve(null),
  trailers: new Map<string, string>(),
};

/**
 * A request for `target` (origin-form: path, optionally `?query`), split as the engine splits
 * it: `path` still percent-encoded, `query` without the `?`.
 */
export function makeRequest(target: string, init: TestRequestInit = {}): ServerRequest {
  const q = target.indexOf("?");
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    headers.set(name.toLowerCase(), value);
  }
  return {
    method: init.method ?? "GET",
    target,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? "" : target.slice(q + 1),
    version: "HTTP/1.1",
    headers,
    host: init.host ?? "localhost",
    remote: init.remote ?? { hostname: "127.0.0.1", port: 40000 },
    local: { hostname: "127.0.0.1", port: 8080 },
    scheme: "http",
    body: init.body === undefined ? EMPTY_BODY : oneChunkBody(init.body),
    receivedAt: init.receivedAt ?? Date.now(),
    completed: () => Promise.resolve(),
  };
}

function oneChunkBody(text: string): ServerRequest["body"] {
  const chunks = [new TextEncoder().encode(text)];
  return {
    length: chunks[0]!.length,
    present: true,
    read: () => Promise.resolve(chunks.shift() ?? null),
    trailers: new Map(),
  };
}

/** Reads a response body whatever its form (bytes, stream or none). */
export async function bodyBytes(response: ServerResponse): Promise<Uint8Array> {
  const body = response.body;
  if (body === null) return new Uint8Array(0);
  if (body instanceof Uint8Array) return body;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return concatBytes(chunks);
}

/** Concatenates chunks into one buffer. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Reads a response body as UTF-8 text. */
export async function bodyText(response: ServerResponse): Promise<string> {
  return new TextDecoder().decode(await bodyBytes(response));
}

/**
 * The value of a response header field (case-insensitive name), or `undefined`.
 *
 * @throws {Error} If the field occurs more than once: none of ours may.
 */
export function headerOf(response: ServerResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = response.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  if (values.length > 1) throw new Error(`Header ${name} occurs ${values.length} times`);
  return values[0];
}

/**
 * Calls `handler` as the engine would and returns what the client would get: an `HttpError`
 * becomes a response with its status, its extra fields and no body (the engine writes the
 * error page, which never contains file content).
 *
 * @throws {Error} If the handler declines (`null`) or throws anything but an `HttpError`.
 */
export async function serve(
  handler: Handler,
  target: string,
  init: TestRequestInit = {},
): Promise<ServerResponse> {
  let response: ServerResponse | null;
  try {
    response = await handler(makeRequest(target, init));
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, headers: [...error.headers], body: null };
  }
  if (response === null) throw new Error(`The handler declined ${target}`);
  return response;
}

/** Asserts that a page holds each of `has` and none of `lacks`, showing the page when not. */
export function assertParts(
  text: string,
  parts: { readonly has?: readonly string[]; readonly lacks?: readonly string[] },
): void {
  for (const part of parts.has ?? []) assert.ok(text.includes(part), `no ${part} in\n${text}`);
  for (const part of parts.lacks ?? []) assert.ok(!text.includes(part), `${part} in\n${text}`);
}
