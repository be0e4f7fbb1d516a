/**
 * The small HTML page the engine answers with when a request fails (parser rejections,
 * HttpError thrown by a handler, 404 when no handler answered, 500 on a crash).
 *
 * @module
 */

import { HttpError } from "./http_error.ts";
import type { ServerResponse } from "./server_response.ts";
import { statusText } from "./status_text.ts";
import { type SerializedHead, serializeResponseHead } from "./write_response.ts";

const encoder = new TextEncoder();
const pages = new Map<number, Uint8Array>();

function page(status: number): Uint8Array {
  let body = pages.get(status);
  if (body === undefined) {
    const title = `${status} ${statusText(status)}`.trimEnd();
    body = encoder.encode(
      `<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n` +
        `<body><h1>${title}</h1></body></html>\n`,
    );
    pages.set(status, body);
  }
  return body;
}

/**
 * A response with a short HTML page naming `status`. The page never includes the error's
 * message: that goes to the error log only.
 *
 * @param status The status to answer with.
 * @param headers Extra fields, e.g. `Allow` on 405 (from {@link HttpError.headers}).
 */
export function errorResponse(
  status: number,
  headers: ReadonlyArray<readonly [string, string]> = [],
): ServerResponse {
  return {
    status,
    headers: [
      ["Content-Type", "text/html; charset=utf-8"],
      ...headers.map(([n, v]) => [n, v] as [string, string]),
    ],
    body: page(status),
  };
}

/**
 * Serialises a response that ends the connection: the answer to a request the parser
 * refused or a read that timed out, where no request (method, version) can be trusted.
 *
 * @param response Usually an {@link errorResponse}.
 * @param fields The `Date` and `Server` values.
 * @throws {HttpError} 500 if `response` has fields that cannot be sent.
 */
export function closingHead(
  response: ServerResponse,
  fields: { readonly date: string; readonly server: string },
): SerializedHead {
  const serialized = serializeResponseHead(response, {
    method: "GET",
    version: "HTTP/1.1",
    keepAlive: false,
    keepAliveValue: "",
    ...fields,
  });
  if (serialized instanceof HttpError) throw serialized;
  return serialized;
}
