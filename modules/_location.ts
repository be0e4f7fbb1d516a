/**
 * Whether a request path falls under a module's Location (App, Status). Pure.
 *
 * @module
 */

// A path without `%`, `\`, `//` or a segment starting with `.` is already in the form the
// slow path would produce (the common case: no URL parse).
const NEEDS_NORMALISING = /%|\\|\/\/|\/\./;
// RFC 3986 section 2.3: escapes of these characters are equivalent to the characters.
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The request path as an App mount compares it: dot segments resolved (`%2e` included) and
 * `\` read as `/`, as the URL standard does when it builds the `Request` the app sees; then
 * runs of `/` merged and escapes of unreserved characters decoded (`%61` → `a`), as the
 * static handler reads a path. So a request the static handler would map under a Location
 * reaches the app instead, and the app never gets one whose URL lies outside it.
 */
export function normaliseForMatching(path: string): string {
  if (!NEEDS_NORMALISING.test(path)) return path;
  return new URL(`http://h${path}`).pathname
    .replace(/\/{2,}/g, "/")
    .replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
      const c = String.fromCharCode(parseInt(hex, 16));
      return UNRESERVED.test(c) ? c : escape;
    });
}

/**
 * Whether `path` (as the engine delivers it) is `location` or below it: `/api`, `/api/`,
 * `/api/x` are under `/api`, `/apix` is not; everything (`*` included) is under `/`.
 */
export function isUnderLocation(path: string, location: string): boolean {
  if (location === "/") return true;
  const p = normaliseForMatching(path);
  return p.startsWith(location) && (p.length === location.length || p[location.length] === "/");
}
