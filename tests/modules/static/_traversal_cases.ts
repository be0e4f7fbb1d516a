/**
 * Path-traversal and evasion requests with the status the static handler must give. Each
 * target is the raw request path as it travels on the wire. Written against the tree of
 * `_fixture.ts` (a `secret.txt` beside DocumentRoot, `outside/secret2.txt`, and the links
 * `link-out.txt` and `link-outdir` leading there), so it can be replayed over real sockets
 * against the full server; whatever the status, the secret must never be in the body.
 *
 * Over a socket the engine may refuse some of them first (raw backslash, `%00`); the status
 * is then the engine's 400, which these rows expect anyway.
 *
 * @module
 */

/** One traversal attempt. */
export interface TraversalCase {
  /** Raw request path (percent-encoded as sent). */
  readonly path: string;
  /** Status with `followSymLinks` off (httpd's default here). */
  readonly expectStatus: number;
  /** Why this status. */
  readonly why: string;
}

const CLIMB = "climbs above DocumentRoot: 400";
const SLASH = "encoded slash, AllowEncodedSlashes Off: 404";
const BACKSLASH = "backslash, raw or encoded: 400";
const UTF8 = "invalid or overlong UTF-8: 400";
const ESCAPE = "malformed percent-escape: 400";
const NUL = "NUL, raw or encoded: 400";
const DOT = "segment starting with '.' (not .ht*): 404";
const HT = "segment matching .ht*: 403";
const ONCE = "decoded once only: names a file that does not exist: 404";
const LINK = "symbolic link leading outside DocumentRoot: 403";

/** The table; at least one row per evasion technique. */
export const TRAVERSAL_CASES: readonly TraversalCase[] = [
  { path: "/../secret.txt", expectStatus: 400, why: CLIMB },
  { path: "/..", expectStatus: 400, why: CLIMB },
  { path: "/../", expectStatus: 400, why: CLIMB },
  { path: "/%2e%2e/secret.txt", expectStatus: 400, why: CLIMB },
  { path: "/%2E%2E/secret.txt", expectStatus: 400, why: CLIMB },
  { path: "/.%2e/secret.txt", expectStatus: 400, why: CLIMB },
  { path: "/%2e./secret.txt", expectStatus: 400, why: CLIMB },
  { path: "/.%2e", expectStatus: 400, why: CLIMB },
  { path: "/a/../../secret.txt", expectStatus: 400, why: CLIMB },
  { path: "//../secret.txt", expectStatus: 400, why: CLIMB },
  { path: "/sub/../../secret.txt", expectStatus: 400, why: CLIMB },
  { path: "/./../secret.txt", expectStatus: 400, why: CLIMB },
  { path: "/sub/./../..//secret.txt", expectStatus: 400, why: CLIMB },
  { path: "/index.html/../../secret.txt", expectStatus: 400, why: CLIMB },
  { path: `/${"../".repeat(40)}secret.txt`, expectStatus: 400, why: CLIMB },
  { path: "/a/b/c/../../../../secret.txt", expectStatus: 400, why: CLIMB },
  { path: "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", expectStatus: 400, why: CLIMB },
  { path: "/sub/%2E%2e/%2e%2E/secret.txt", expectStatus: 400, why: CLIMB },
  { path: "/..%2fsecret.txt", expectStatus: 404, why: SLASH },
  { path: "/..%2Fsecret.txt", expectStatus: 404, why: SLASH },
  { path: "/%2e%2e%2fsecret.txt", expectStatus: 404, why: SLASH },
  { path: "/%2e%2e%2f", expectStatus: 404, why: SLASH },
  { path: "/sub/..%2f..%2fsecret.txt", expectStatus: 404, why: SLASH },
  { path: "/sub%2f..%2f..%2fsecret.txt", expectStatus: 404, why: SLASH },
  { path: "/a%2f%2e%2e%2f%2e%2e%2fsecret.txt", expectStatus: 404, why: SLASH },
  { path: "/%C0%AE%C0%AE%2Fsecret.txt", expectStatus: 404, why: SLASH + " (seen before UTF-8)" },
  { path: "/..%5csecret.txt", expectStatus: 400, why: BACKSLASH },
  { path: "/..%5Csecret.txt", expectStatus: 400, why: BACKSLASH },
  { path: "/..\\secret.txt", expectStatus: 400, why: BACKSLASH },
  { path: "/%2e%2e%5csecret.txt", expectStatus: 400, why: BACKSLASH },
  { path: "/%c0%ae%c0%ae/secret.txt", expectStatus: 400, why: UTF8 },
  { path: "/%e0%80%ae%e0%80%ae/secret.txt", expectStatus: 400, why: UTF8 },
  { path: "/%e0%80%ae", expectStatus: 400, why: UTF8 },
  { path: "/%c0%af../secret.txt", expectStatus: 400, why: UTF8 },
  { path: "/%ed%a0%80", expectStatus: 400, why: UTF8 + " (a surrogate)" },
  { path: "/%f4%90%80%80", expectStatus: 400, why: UTF8 + " (above U+10FFFF)" },
  { path: "/%ff", expectStatus: 400, why: UTF8 },
  { path: "/%00", expectStatus: 400, why: NUL },
  { path: "/hello.txt%00.html", expectStatus: 400, why: NUL },
  { path: "/..%00/secret.txt", expectStatus: 400, why: NUL },
  { path: "/%", expectStatus: 400, why: ESCAPE },
  { path: "/%2", expectStatus: 400, why: ESCAPE },
  { path: "/%zz", expectStatus: 400, why: ESCAPE },
  { path: "/%u002e%u002e/secret.txt", expectStatus: 400, why: ESCAPE },
  { path: "/%%32%65%%32%65/secret.txt", expectStatus: 400, why: ESCAPE },
  { path: "/%252e%252e/secret.txt", expectStatus: 404, why: ONCE },
  { path: "/%252e%252e%252fsecret.txt", expectStatus: 404, why: ONCE },
  {
    path: "/%ef%bc%8e%ef%bc%8e/secret.txt",
    expectStatus: 404,
    why: "fullwidth dots are not dots: 404",
  },
  { path: "/..;/secret.txt", expectStatus: 404, why: DOT },
  { path: "/.../secret.txt", expectStatus: 404, why: DOT },
  { path: "/....//secret.txt", expectStatus: 404, why: DOT },
  { path: "/.git/config", expectStatus: 404, why: DOT },
  { path: "/%2egit/config", expectStatus: 404, why: DOT },
  { path: "/.git/", expectStatus: 404, why: DOT },
  { path: "/.env", expectStatus: 404, why: DOT },
  { path: "/.htaccess", expectStatus: 403, why: HT },
  { path: "/.htpasswd", expectStatus: 403, why: HT },
  { path: "/%2ehtaccess", expectStatus: 403, why: HT },
  { path: "/sub/.htaccess", expectStatus: 403, why: HT },
  { path: "/sub/../.htaccess", expectStatus: 403, why: HT },
  { path: "/./.htpasswd", expectStatus: 403, why: HT },
  { path: "/link-out.txt", expectStatus: 403, why: LINK },
  { path: "/link-outdir/secret2.txt", expectStatus: 403, why: LINK },
  { path: "/link-outdir/", expectStatus: 403, why: LINK },
  { path: "/link-outdir", expectStatus: 403, why: LINK },
  { path: "/sub/../link-out.txt", expectStatus: 403, why: LINK },
];
