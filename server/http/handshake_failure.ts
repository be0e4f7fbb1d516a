/**
 * Why a TLS handshake failed, from the error the TLS library (rustls, through Deno's
 * `node:tls`) reported: the classes the status page and `/metrics` count. Pure.
 *
 * @module
 */

import type { TlsFailureReason } from "../../scoreboard/mod.ts";

/**
 * rustls's words for a client whose versions the server does not take: a TLS 1.0/1.1 hello
 * lacks the extensions TLS 1.2 and 1.3 require, a TLS 1.2-only client meets a 1.3-only host.
 */
const VERSION_REFUSED =
  /peer is incompatible: \w*(Version|SignatureAlgorithmsExtensionRequired|Tls12NotOffered)|protocol version/i;

/** rustls's words for bytes that are not TLS records, or TLS messages it cannot decode. */
const NOT_TLS = /corrupt message|InvalidContentType|wrong version number|invalid message/i;

/**
 * The class of a failed handshake's `error`: `version` (refused protocol version),
 * `not_tls` (plain HTTP, garbage, a malformed or unexpected handshake message), or `other`.
 * Timeouts have no error: the caller knows them.
 */
export function handshakeFailureOf(error: Error): Exclude<TlsFailureReason, "timeout"> {
  if (VERSION_REFUSED.test(error.message)) return "version";
  if (NOT_TLS.test(error.message)) return "not_tls";
  return "other";
}
