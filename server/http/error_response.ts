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
import type { Logger } from "../log/mod.ts";

const encoder = new TextEncoder();
/** The plain pages, one per status: {@link isErrorPage} knows them by identity. */
const pages = new Map<number, Uint8Array>();

function page(status: number): Uint8Array {
  let body = pages.get(status);
  if (body === undefined) {
    body = errorPage(status, { footer: "" });
    pages.set(status, body);
  }
  return body;
}

/**
 * The HTML page naming `status`, with `footer` (HTML, already escaped) at the end of its body:
 * a host's ServerSignature, which the engine does not know.
 */
export function errorPage(status: number, options: { readonly footer: string }): Uint8Array {
  const title = `${status} ${statusText(status)}`.trimEnd();
  return encoder.encode(
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n` +
      `<body><h1>${title}</h1>${options.footer}</body></html>\n`,
  );
}

/** Whether `response` carries the plain page {@link errorResponse} made, unchanged. */
export function isErrorPage(response: Pick<ServerResponse, "status" | "body">): boolean {
  return response.body !== null && response.body === pages.get(response.status);
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
 * The answer to a handler that threw: an HttpError's status and fields (logged at debug, at
 * info for 5xx), or 500 for anything else (logged as an error, with the stack).
 *
 * @param error What the handler threw.
 * @param options The request as log messages name it (`METHOD target`, escaped), the client's
 *   address and the error log.
 */
export function failureResponse(
  error: unknown,
  options: { readonly request: string; readonly peer: string; readonly logger: Logger },
): ServerResponse {
  const { request, peer, logger } = options;
  if (error instanceof HttpError) {
    const level = error.status >= 500 ? "info" : "debug";
    if (logger.enabled(level)) {
      logger.log(level, `${request} answered ${error.status}: ${error.message}`);
    }
    return errorResponse(error.status, error.headers);
  }
  logger.error(`Cannot handle ${request} from ${peer}`, error);
  return errorResponse(500);
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
