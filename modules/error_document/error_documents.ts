/**
 * ErrorDocument: a host's answer for an error status — a local URL path fetched through the
 * host's own modules and sent with the error's status (httpd's internal redirect), a redirect
 * to an external URL, or a text body — in place of the built-in page.
 *
 * @module
 */

import type { ErrorDocument, HostConfig } from "../../server/config/mod.ts";
import type {
  FieldsResponse,
  Handler,
  ServerRequest,
  ServerResponse,
} from "../../server/http/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import { answerOf } from "../_answer.ts";

/** Options of {@link withErrorDocuments}. */
export interface ErrorDocumentOptions {
  /** Where a crash of the document's own request is logged. */
  readonly logger: Logger;
}

const encoder = new TextEncoder();

/**
 * `handler` with the host's ErrorDocuments on its error answers; `handler` itself when the host
 * has none. A document that is itself an error (missing, refused) leaves the original page, as
 * httpd does, rather than loop.
 */
export function withErrorDocuments(
  handler: Handler,
  host: Pick<HostConfig, "errorDocuments">,
  options: ErrorDocumentOptions,
): Handler {
  const documents = host.errorDocuments;
  if (Object.values(documents).every((d) => d === null)) return handler;
  return (request) =>
    answerOf(handler, request, options.logger, (response) => {
      const document = response.status >= 400 ? documents[response.status] ?? null : null;
      return document === null ? response : replace(response, document, request);
    });

  function replace(
    original: FieldsResponse,
    document: ErrorDocument,
    request: ServerRequest,
  ): ServerResponse | Promise<ServerResponse> {
    const kept = original.headers.filter(([name]) => KEPT.has(name.toLowerCase()));
    switch (document.kind) {
      case "text":
        return {
          status: original.status,
          headers: [...kept, ["Content-Type", "text/html; charset=utf-8"]],
          body: encoder.encode(document.value),
        };
      case "url":
        // httpd answers a remote ErrorDocument with a redirect: the client fetches it.
        return { status: 302, headers: [["Location", document.value]], body: null };
      case "path": {
        const q = document.value.indexOf("?");
        const path = q < 0 ? document.value : document.value.slice(0, q);
        const inner = Object.create(request, {
          method: { value: request.method === "HEAD" ? "HEAD" : "GET" },
          target: { value: document.value },
          path: { value: path },
          query: { value: q < 0 ? "" : document.value.slice(q + 1) },
        }) as ServerRequest;
        return answerOf(
          handler,
          inner,
          options.logger,
          (answer) =>
            answer.status === 200
              ? {
                status: original.status,
                headers: [...kept, ...answer.headers.filter(([n]) => !KEPT.has(n.toLowerCase()))],
                body: answer.body,
              }
              : original,
        );
      }
    }
  }
}

/** Fields of the error answer a document keeps: a challenge or an Allow still applies. */
const KEPT = new Set(["www-authenticate", "allow", "content-range"]);
