/**
 * The fields that describe one connection rather than the message (RFC 9110 §7.6.1): a proxy
 * passes them on in neither direction, nor the fields a Connection field names.
 *
 * @module
 */

/** Hop-by-hop field names, lower-case (`proxy-*` names are too). */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "http2-settings",
]);

/** Whether `name` (lower-case) is hop-by-hop. */
export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith("proxy-");
}

/** The field names a Connection value lists, lower-case. */
export function connectionOptions(value: string): string[] {
  return value.toLowerCase().split(",").map((token) => token.trim());
}
