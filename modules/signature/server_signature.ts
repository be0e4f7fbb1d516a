/**
 * ServerSignature (httpd core): the footer line of the pages a host writes itself — its error
 * pages and directory listings — naming the server (as ServerTokens allows), the host and the
 * port, the host name a `mailto:` link to ServerAdmin under `EMail`.
 *
 * @module
 */

import type { HostConfig } from "../../server/config/mod.ts";
import {
  errorPage,
  type Handler,
  isErrorPage,
  type RequestFields,
  type ServerResponse,
} from "../../server/http/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import { answerOf } from "../_answer.ts";
import { escapeHtml } from "../_escape_html.ts";
import { selfNameOf } from "../_self_reference.ts";

/** What a signature reads of its host. */
export type SignedHost = Pick<
  HostConfig,
  "serverSignature" | "serverAdmin" | "serverName" | "useCanonicalName"
>;

/** The footer of one request's pages, as HTML (escaped), ending with a line break. */
export type Signature = (request: Pick<RequestFields, "host" | "local" | "scheme">) => string;

/**
 * The host's signature, or `null` when ServerSignature is Off:
 * `<address>mpmd/0.1.0 Server at www.example.test Port 80</address>`.
 *
 * @param banner The server's name and version as ServerTokens allows (`serverBanner()`).
 */
export function createSignature(host: SignedHost, banner: string): Signature | null {
  if (host.serverSignature === "Off") return null;
  const server = escapeHtml(banner);
  const admin = escapeHtml(host.serverAdmin);
  const email = host.serverSignature === "EMail";
  return (request) => {
    const { name, port } = selfNameOf(host, request);
    const shown = email ? `<a href="mailto:${admin}">${escapeHtml(name)}</a>` : escapeHtml(name);
    return `<address>${server} Server at ${shown} Port ${port}</address>\n`;
  };
}

/** Options of {@link withServerSignature}. */
export interface ServerSignatureOptions {
  /** The host's signature, or `null` (Off): the handler is then returned as it is. */
  readonly signature: Signature | null;
  /** Where a crash of a module is logged when it becomes a signed 500 page here. */
  readonly logger: Logger;
}

/**
 * `handler` whose plain error pages (a thrown `HttpError`, a crash, no answer, a redirect's
 * page) carry the signature after a rule, as httpd's do; every other answer is left alone.
 */
export function withServerSignature(handler: Handler, options: ServerSignatureOptions): Handler {
  const { signature, logger } = options;
  if (signature === null) return handler;
  return (request) =>
    answerOf(handler, request, logger, (response): ServerResponse =>
      isErrorPage(response)
        ? {
          ...response,
          body: errorPage(response.status, { footer: `<hr>\n${signature(request)}` }),
        }
        : response);
}
