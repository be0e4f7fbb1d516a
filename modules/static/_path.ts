/**
 * Maps a request path to a key under DocumentRoot: strict percent-decoding, dot-segment
 * resolution and the dotfile rules. Pure: no file system access.
 *
 * @module
 */

/** A path that names something under DocumentRoot. */
export interface MappedPath {
  /** It maps. */
  readonly ok: true;
  /** Decoded segments joined by `/`, no leading or trailing slash; `""` is the root itself. */
  readonly key: string;
  /** The URL names a directory (`/dir/`, `/dir/.`, `/`); needed for mod_dir's redirect. */
  readonly trailingSlash: boolean;
}

/** A path refused before any file system access. */
export interface RefusedPath {
  /** It is refused. */
  readonly ok: false;
  /** The status the request gets. */
  readonly status: 400 | 403 | 404;
  /** For the error log only. */
  readonly reason: string;
}

/** The outcome of {@link mapRequestPath}. */
export type PathMapping = MappedPath | RefusedPath;

// Paths made only of unreserved and sub-delim characters, no escapes, no backslash and no
// segment starting with "." (so no dot segments, no dotfiles, no empty segments): the common
// case, whose key is the path itself.
const PLAIN_PATH = /^(?:\/[\w~!$&'()*+,;=:@-][\w.~!$&'()*+,;=:@-]*)*\/?$/;

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes and normalises a request path (still percent-encoded, as the engine delivers it).
 *
 * Refusals, in the order they are detected:
 * - 400: not starting with `/`; a character outside visible ASCII; a malformed escape; NUL,
 *   raw or `%00`; a backslash, raw or `%5C` (never part of a name we serve, and a separator
 *   on Windows); bytes that are not valid UTF-8 (overlong forms such as `%C0%AE` included);
 *   a `..` that would climb above DocumentRoot.
 * - 404: an encoded slash `%2F` (httpd's `AllowEncodedSlashes Off`); a segment starting with
 *   `.` other than `.ht*` (`.git`, `.env`), so its existence is not revealed.
 * - 403: a segment starting with `.ht` (httpd's `<Files ".ht*"> Require all denied`).
 *
 * Decoding happens exactly once: `%252e` becomes the three characters `%2e`, never `.`.
 * Empty segments are merged (httpd's `MergeSlashes On`).
 */
export function mapRequestPath(path: string): PathMapping {
  if (PLAIN_PATH.test(path) && path !== "") {
    const trailingSlash = path.endsWith("/");
    return { ok: true, key: path.slice(1, trailingSlash ? -1 : path.length), trailingSlash };
  }
  if (!path.startsWith("/")) return refuse(400, "path does not start with /");
  const bytes = new Uint8Array(path.length);
  let n = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x25) {
      const b = hexByte(path.charCodeAt(i + 1), path.charCodeAt(i + 2));
      if (b < 0) return refuse(400, "malformed percent-escape");
      if (b === 0) return refuse(400, "encoded NUL");
      if (b === 0x2f) return refuse(404, "encoded slash");
      if (b === 0x5c) return refuse(400, "encoded backslash");
      bytes[n++] = b;
      i += 2;
    } else if (c <= 0x20 || c >= 0x7f) {
      return refuse(400, "control, space or non-ASCII character");
    } else if (c === 0x5c) {
      return refuse(400, "backslash");
    } else {
      bytes[n++] = c;
    }
  }
  let decoded: string;
  try {
    decoded = STRICT_UTF8.decode(bytes.subarray(0, n));
  } catch {
    return refuse(400, "invalid UTF-8");
  }
  return resolveSegments(decoded.split("/"));
}

/** Percent-encodes a key (as in {@link MappedPath}) back into an absolute URL path. */
export function encodeKey(key: string): string {
  return key === "" ? "/" : "/" + key.split("/").map(encodeURIComponent).join("/");
}

function resolveSegments(parts: string[]): PathMapping {
  const out: string[] = [];
  // parts[0] is the empty string before the leading slash.
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i] as string;
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length === 0) return refuse(400, "path climbs above DocumentRoot");
      out.pop();
      continue;
    }
    out.push(seg);
  }
  for (const seg of out) {
    if (seg.startsWith(".ht")) return refuse(403, "name matches .ht*");
    if (seg.startsWith(".")) return refuse(404, "hidden (dot) segment");
  }
  const last = parts[parts.length - 1];
  return {
    ok: true,
    key: out.join("/"),
    trailingSlash: out.length === 0 || last === "" || last === "." || last === "..",
  };
}

function hexByte(hi: number, lo: number): number {
  const h = hexDigit(hi);
  const l = hexDigit(lo);
  return h < 0 || l < 0 ? -1 : (h << 4) | l;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

function refuse(status: 400 | 403 | 404, reason: string): RefusedPath {
  return { ok: false, status, reason };
}
