/**
 * The user and password of an `Authorization: Basic …` field (RFC 7617): what `%u` logs and
 * what access control checks, decoded one way for both.
 *
 * @module
 */

/** A Basic field's user name and password. */
export interface BasicCredentials {
  /** The user name (before the first colon). */
  readonly user: string;
  /** The password (after it). */
  readonly password: string;
}

const BASIC = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i;

/**
 * Decodes an Authorization field's Basic credentials (UTF-8, as RFC 7617's `charset` asks).
 *
 * @returns the credentials, or `null` for no field, another scheme, bad base64 or UTF-8, or no
 *   colon.
 */
export function basicCredentials(field: string | undefined): BasicCredentials | null {
  const m = field === undefined ? null : BASIC.exec(field);
  if (m === null) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(atob(m[1]!), (c) => c.charCodeAt(0)),
    );
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
