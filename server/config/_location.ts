/**
 * A URL path a module is mounted on (App, Status): the one rule for what a Location may be.
 *
 * @module
 */

/** Control characters: never part of a path or a file name written in a config. */
// deno-lint-ignore no-control-regex -- control characters are what it finds
export const CONTROL_CHAR = /[\x00-\x1f\x7f]/;
/**
 * RFC 3986 pchar without pct-encoded: request paths are matched after their escapes of these
 * characters are decoded, so a Location written with `%` could never be matched reliably.
 */
const NOT_PATH_CHAR = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

/** Why `location` cannot be a mount point, or `null`. */
export function locationProblem(location: string): string | null {
  const quoted = JSON.stringify(location);
  if (CONTROL_CHAR.test(location)) return `${quoted} holds a control character`;
  if (!location.startsWith("/")) return `${quoted} does not start with /`;
  if (location === "/") return null;
  if (location.endsWith("/")) return `${quoted} ends with / (write ${location.slice(0, -1)})`;
  const segments = location.slice(1).split("/");
  if (segments.includes("")) return `${quoted} holds an empty segment`;
  if (segments.some((s) => s === "." || s === "..")) return `${quoted} holds a . or .. segment`;
  const bad = NOT_PATH_CHAR.exec(location);
  if (bad) {
    return `${quoted} holds ${JSON.stringify(bad[0])} (letters, digits and -._~!$&'()*+,;=:@ only)`;
  }
  return null;
}
