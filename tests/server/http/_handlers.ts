/**
 * Handlers shared by the engine tests: a small router of behaviours (echo, stream, throw…).
 *
 * @module
 */

import {
  type Handler,
  HttpError,
  type RequestBody,
  type ServerResponse,
} from "../../../server/http/mod.ts";

const encoder = new TextEncoder();

/** Reads a whole request body. */
export async function readAll(body: RequestBody): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let chunk = await body.read(); chunk !== null; chunk = await body.read()) parts.push(chunk);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A text/plain response. */
export function text(status: number, body: string): ServerResponse {
  return { status, headers: [["Content-Type", "text/plain"]], body: encoder.encode(body) };
}

async function* pieces(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield encoder.encode(part);
}

async function* failing(): AsyncIterable<Uint8Array> {
  yield encoder.encode("first");
  throw new Error("stream broke");
}

/**
 * Routes by path: `/` says hello, `/echo` returns the request body (trailer `digest` in
 * `X-Digest`), `/stream` streams three pieces, `/broken-stream` fails after one, `/throw`
 * crashes, `/forbidden` throws HttpError(403), `/null` returns null, `/split` sets a header
 * with CR LF, `/big` returns `bigBytes` bytes, anything else says hello without reading.
 */
export function routes(options: { bigBytes?: number } = {}): Handler {
  return async (request) => {
    switch (request.path) {
      case "/echo": {
        const data = await readAll(request.body);
        return {
          status: 200,
          headers: [["X-Digest", request.body.trailers.get("digest") ?? "-"]],
          body: data,
        };
      }
      case "/stream":
        return { status: 200, headers: [], body: pieces("a", "bb", "ccc") };
      case "/broken-stream":
        return { status: 200, headers: [], body: failing() };
      case "/throw":
        throw new Error("handler crashed");
      case "/forbidden":
        throw new HttpError(403, "Cannot let you in: test");
      case "/null":
        return null;
      case "/split":
        return { status: 200, headers: [["X-Bad", "a\r\nInjected: 1"]], body: null };
      case "/big":
        return { status: 200, headers: [], body: new Uint8Array(options.bigBytes ?? 1) };
      default:
        return text(200, `hello ${request.method} ${request.target}`);
    }
  };
}
