/**
 * The static file handler: httpd's core file serving with mod_dir, mod_autoindex, mod_mime
 * and a precompressed-sibling subset of mod_negotiation, over the engine's light request and
 * response objects.
 *
 * @module
 */

import type { HostConfig } from "../../server/config/mod.ts";
import {
  errorResponse,
  type Handler,
  HttpError,
  methodRefusal,
  type ServerRequest,
  type ServerResponse,
} from "../../server/http/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import {
  chooseContentCoding,
  CONTENT_CODINGS,
  type ContentCoding,
  SIBLING_SUFFIX,
} from "../_content_coding.ts";
import { DocumentRoot, toHttpError } from "./_document_root.ts";
import { respondWithRepresentation } from "./_file_response.ts";
import { indexIgnoreMatcher } from "./_index_ignore.ts";
import { type ListingEntry, readListing, readListingNote } from "./_listing.ts";
import { renderListingPage } from "./_listing_page.ts";
import { listingView } from "./_listing_view.ts";
import { contentTypeFor, type MediaTypeSettings } from "./_media_type.ts";
import { NodeCache } from "./_node_cache.ts";
import { encodeKey, mapRequestPath } from "./_path.ts";
import { selfLocation } from "../_self_reference.ts";
import {
  loadRepresentation,
  type Representation,
  sameStamp,
  statStamp,
} from "./_representation.ts";

/**
 * Default of {@link StaticOptions.revalidateMs}. Measured here: `Deno.statSync` costs ~1.3 µs
 * and a failing one (a sibling that does not exist) ~8.5 µs, so stat'ing a file and its two
 * possible siblings on every request would cost ~20 µs against ~0.6 µs for the whole cached
 * answer. A changed file is therefore seen within this many milliseconds.
 */
export const DEFAULT_REVALIDATE_MS = 1000;
/** Default of {@link StaticOptions.maxCachedFileBytes}: 256 KiB. */
export const DEFAULT_MAX_CACHED_FILE_BYTES = 256 * 1024;
/** Default of {@link StaticOptions.maxCacheBytes}: 64 MiB. */
export const DEFAULT_MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** Default of {@link StaticOptions.maxCacheEntries}. */
export const DEFAULT_MAX_CACHE_ENTRIES = 10_000;

/** The methods a static resource supports, as sent in `Allow`. */
export const STATIC_ALLOW = "GET, HEAD, POST, OPTIONS";

/** Options of {@link createStaticHandler}. */
export interface StaticOptions {
  /** Receives debug entries (skipped listing entries); errors reach the engine as throws. */
  readonly logger: Logger;
  /**
   * How long a cached answer (file content, directory index choice) is trusted before the
   * file is stat'ed again; a changed file is seen within this time. 0 stats on every request.
   *
   * @default 1000
   */
  readonly revalidateMs?: number;
  /**
   * Files up to this size are kept in memory; larger ones are streamed from disk.
   *
   * @default 262144 (256 KiB)
   */
  readonly maxCachedFileBytes?: number;
  /**
   * Bound on the bytes of file content kept in memory.
   *
   * @default 67108864 (64 MiB)
   */
  readonly maxCacheBytes?: number;
  /**
   * Bound on the number of cached paths (files and directories).
   *
   * @default 10000
   */
  readonly maxCacheEntries?: number;
  /**
   * TypesConfig's types (extension → media type), over the built-in table; AddType wins over
   * both.
   *
   * @default {}
   */
  readonly types?: Readonly<Record<string, string>>;
  /**
   * The footer of a listing for a request (the host's ServerSignature, as HTML), or `null`.
   *
   * @default null
   */
  readonly signature?: ((request: ServerRequest) => string) | null;
  /**
   * What applies in a directory (absolute path, no trailing slash) as of a time: its Options
   * and DirectoryIndex, asked when a path under it is resolved and again when a cached answer
   * is revalidated; it may throw an `HttpError` (a broken access file answers 500).
   *
   * @default the site's own values, everywhere
   */
  readonly directoryOptions?: (dir: string, now: number) => DirectoryOptions;
}

/** The settings of one directory that the file server reads. */
export type DirectoryOptions = Pick<HostConfig, "indexes" | "followSymLinks" | "directoryIndex">;

interface FileNode {
  readonly kind: "file";
  /** What applied in its directory when it was resolved. */
  readonly options: DirectoryOptions;
  readonly identity: Representation;
  readonly encoded: Readonly<Record<ContentCoding, Representation | null>>;
  readonly hasSiblings: boolean;
  readonly bytes: number;
  checkedAt: number;
  hit: boolean;
}

interface DirNode {
  readonly kind: "dir";
  readonly path: string;
  /** Key of the DirectoryIndex file chosen, or `null` when there is none. */
  readonly indexKey: string | null;
  /** `Options Indexes` in force in it. */
  readonly indexes: boolean;
  readonly bytes: 0;
  checkedAt: number;
  hit: boolean;
}

type Node = FileNode | DirNode;

/** What a file server reads of a host: its directory and how it serves it. */
export type FileSite = Pick<
  HostConfig,
  | "documentRoot"
  | "followSymLinks"
  | "addType"
  | "addCharset"
  | "forceType"
  | "addDefaultCharset"
  | "directoryIndex"
  | "indexes"
  | "autoindex"
  | "serverName"
  | "useCanonicalName"
>;

/**
 * Serves the file that `path` (a percent-encoded URL path under the site's directory) names,
 * for `request`. `mount` is the URL path the directory is served at (`""` for a DocumentRoot,
 * `/icons` for an Alias), which a redirect's `Location` and a listing's title start with; `null`
 * when no fixed prefix maps onto the directory (AliasMatch): they then use the request's path.
 */
export type FileServer = (
  request: ServerRequest,
  path: string,
  mount: string | null,
) => ReturnType<Handler>;

/**
 * Creates the handler serving `site.documentRoot`: {@link createFileServer} for the request's
 * own path.
 *
 * @throws {RangeError} When an option is negative or not a number.
 */
export function createStaticHandler(host: FileSite, options: StaticOptions): Handler {
  const serve = createFileServer(host, options);
  return (request) => serve(request, request.path, "");
}

/**
 * Creates the server of the files under `site.documentRoot`.
 *
 * Refusals: 400/403/404 from the path rules of the mapping (see `mapRequestPath` in
 * `_path.ts`: malformed or climbing paths 400, `.ht*` 403, other dot segments and `%2F` 404);
 * 403 for a link leading outside the root without `followSymLinks`, for a directory without
 * an index when `indexes` is off, and for anything that is not a regular file or directory;
 * 404 for a missing file or a file named with a trailing slash; 405 for methods other than
 * GET, HEAD and OPTIONS.
 *
 * Caching: each mapped path keeps its resolution (file or directory, link decision, chosen
 * DirectoryIndex) and, for files up to `maxCachedFileBytes`, the bytes and precomputed header
 * fields of the file and its `.br`/`.gz` siblings. After `revalidateMs` the file and sibling
 * paths are stat'ed again (size, mtime, change time and inode must all match) and the entry
 * reloaded if anything differs. Missing paths are never cached, so a new file is found at
 * once and a 404 flood cannot evict files. Metadata and small-file reads are synchronous
 * (microseconds from the page cache, as in httpd); larger files stream asynchronously in
 * 64 KiB chunks.
 *
 * @throws {RangeError} When an option is negative or not a number.
 */
export function createFileServer(site: FileSite, options: StaticOptions): FileServer {
  const revalidateMs = checkedOption("revalidateMs", options.revalidateMs, DEFAULT_REVALIDATE_MS);
  const maxCachedFileBytes = checkedOption(
    "maxCachedFileBytes",
    options.maxCachedFileBytes,
    DEFAULT_MAX_CACHED_FILE_BYTES,
  );
  const cache = new NodeCache<Node>({
    maxBytes: checkedOption("maxCacheBytes", options.maxCacheBytes, DEFAULT_MAX_CACHE_BYTES),
    maxEntries: checkedOption(
      "maxCacheEntries",
      options.maxCacheEntries,
      DEFAULT_MAX_CACHE_ENTRIES,
    ),
  });
  const logger = options.logger;
  const signature = options.signature ?? null;
  const locationOf = selfLocation(site);
  const root = new DocumentRoot(site.documentRoot, site.followSymLinks);
  const directoryOptions = options.directoryOptions ?? (() => site);
  const media: MediaTypeSettings = {
    addType: site.addType,
    types: options.types ?? {},
    addCharset: site.addCharset,
    forceType: site.forceType,
    addDefaultCharset: site.addDefaultCharset,
  };
  const autoindex = site.autoindex;
  const isIgnored = indexIgnoreMatcher(autoindex.ignore);
  const typeOf = (name: string) => contentTypeFor(name, media);

  function lookup(key: string, now: number): Node {
    const cached = cache.get(key);
    if (cached !== undefined) {
      // A clock that stepped back counts as "window elapsed".
      if (now - cached.checkedAt < revalidateMs && now >= cached.checkedAt) {
        cached.hit = true;
        return cached;
      }
      if (cached.kind === "file" && isUnchanged(cached, now)) {
        cached.checkedAt = now;
        cached.hit = true;
        return cached;
      }
    }
    let node: Node;
    try {
      node = load(key, now);
    } catch (error) {
      cache.delete(key);
      throw error;
    }
    cache.set(key, node);
    return node;
  }

  function load(key: string, now: number): Node {
    const path = root.pathOf(key);
    const here = directoryOptions(dirOf(path), now);
    const realPath = root.resolve(path, here.followSymLinks);
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(realPath);
    } catch (error) {
      throw toHttpError(error, path);
    }
    if (info.isDirectory) {
      // A directory's own settings say which index file it has and whether it is listed.
      const own = directoryOptions(path, now);
      return {
        kind: "dir",
        path,
        indexKey: findIndex(key, own.directoryIndex, now),
        indexes: own.indexes,
        bytes: 0,
        checkedAt: now,
        hit: false,
      };
    }
    if (!info.isFile) throw new HttpError(403, `Cannot serve ${path}: not a regular file`);
    return loadFile(path, realPath, here, now);
  }

  function loadFile(
    path: string,
    realPath: string,
    here: DirectoryOptions,
    now: number,
  ): FileNode {
    const siblings = {
      br: siblingPath(path, "br", here),
      gzip: siblingPath(path, "gzip", here),
    };
    const vary = siblings.br !== null || siblings.gzip !== null;
    const contentType = contentTypeFor(path.slice(path.lastIndexOf("/") + 1), media);
    const loadAs = (coding: ContentCoding | null, at: string, real: string) => {
      try {
        return loadRepresentation(at, real, { coding, contentType, vary, maxCachedFileBytes });
      } catch (error) {
        throw toHttpError(error, at);
      }
    };
    const identity = loadAs(null, path, realPath);
    const encoded = {
      br: siblings.br === null ? null : loadAs("br", path + SIBLING_SUFFIX.br, siblings.br),
      gzip: siblings.gzip === null
        ? null
        : loadAs("gzip", path + SIBLING_SUFFIX.gzip, siblings.gzip),
    };
    const bytes = [identity, encoded.br, encoded.gzip]
      .reduce((sum, rep) => sum + (rep?.body?.length ?? 0), 0);
    return {
      kind: "file",
      options: here,
      identity,
      encoded,
      hasSiblings: vary,
      bytes,
      checkedAt: now,
      hit: false,
    };
  }

  // The real path of a usable precompressed sibling, or null.
  function siblingPath(path: string, coding: ContentCoding, here: DirectoryOptions): string | null {
    const at = path + SIBLING_SUFFIX[coding];
    return statStamp(at) === null ? null : root.tryResolve(at, here.followSymLinks);
  }

  function isUnchanged(node: FileNode, now: number): boolean {
    const path = node.identity.path;
    if (directoryOptions(dirOf(path), now) !== node.options) return false;
    if (!sameStamp(statStamp(path), node.identity.stamp)) return false;
    return CONTENT_CODINGS.every((coding) => {
      const stamp = statStamp(path + SIBLING_SUFFIX[coding]);
      return sameStamp(stamp, node.encoded[coding]?.stamp ?? null);
    });
  }

  function findIndex(dirKey: string, names: readonly string[], now: number): string | null {
    for (const name of names) {
      // Entries naming another directory or a hidden file are not ours to serve.
      if (name === "" || name.startsWith(".") || name.includes("/") || name.includes("\\")) {
        continue;
      }
      const key = dirKey === "" ? name : `${dirKey}/${name}`;
      try {
        if (lookup(key, now).kind === "file") return key;
      } catch (error) {
        // A missing or forbidden candidate just lets the next one try (as mod_dir does).
        if (!(error instanceof HttpError)) throw error;
      }
    }
    return null;
  }

  function respondWithFile(request: ServerRequest, node: FileNode): ServerResponse {
    const coding = node.hasSiblings
      ? chooseContentCoding(request.headers.get("accept-encoding"), {
        br: node.encoded.br !== null,
        gzip: node.encoded.gzip !== null,
      })
      : null;
    const rep = coding === null ? node.identity : node.encoded[coding] ?? node.identity;
    return respondWithRepresentation(request, rep);
  }

  async function respondWithListing(
    request: ServerRequest,
    urlPath: string,
    node: DirNode,
  ): Promise<ServerResponse> {
    let entries: ListingEntry[];
    try {
      entries = await readListing(node.path, root, { logger, isIgnored });
    } catch (error) {
      throw toHttpError(error, node.path);
    }
    const note = (name: string | null) =>
      name === null ? null : readListingNote(node.path, name, { root, typeOf });
    const page = listingView({
      path: urlPath,
      query: request.query,
      autoindex,
      entries,
      header: await note(autoindex.headerName),
      readme: await note(autoindex.readmeName),
      footer: signature?.(request) ?? "",
    });
    return {
      status: 200,
      headers: [["Content-Type", `text/html; charset=${page.charset}`]],
      body: new TextEncoder().encode(renderListingPage(page)),
    };
  }

  return function serveFile(request, path, mount) {
    const method = request.method;
    // As httpd's default handler, a POST to a file gets the file (its body is read away).
    if (method !== "GET" && method !== "HEAD" && method !== "POST") {
      if (method === "OPTIONS") {
        return { status: 200, headers: [["Allow", STATIC_ALLOW]], body: null };
      }
      throw methodRefusal(method, STATIC_ALLOW, "a static file");
    }
    const mapped = mapRequestPath(path);
    if (!mapped.ok) {
      throw new HttpError(mapped.status, `Cannot map ${request.path}: ${mapped.reason}`);
    }
    const node = lookup(mapped.key, request.receivedAt);
    if (node.kind === "file") {
      if (mapped.trailingSlash) {
        throw new HttpError(404, `Cannot serve ${request.path}: a file is not a directory`);
      }
      return respondWithFile(request, node);
    }
    if (!mapped.trailingSlash) {
      // mod_dir: a directory is only ever served at its slash-terminated URL. The short page
      // names its type, as every body must (httpd sends one too).
      const query = request.query === "" ? "" : `?${request.query}`;
      const to = mount === null ? request.path : mount + encodeKey(mapped.key);
      return errorResponse(301, [["Location", locationOf(request, `${to}/${query}`)]]);
    }
    if (node.indexKey !== null) {
      const index = lookup(node.indexKey, request.receivedAt);
      if (index.kind === "file") return respondWithFile(request, index);
    }
    if (!node.indexes) {
      throw new HttpError(403, `Cannot list ${node.path}: no DirectoryIndex and Indexes is off`);
    }
    const title = mount === null
      ? displayPath(request.path)
      : displayPath(mount) + (mapped.key === "" ? "/" : `/${mapped.key}/`);
    return respondWithListing(request, title, node);
  };
}

/** The directory a file system path is in. */
function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}

/** A URL path as a listing's title shows it: decoded where it decodes. */
function displayPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function checkedOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value >= 0)) {
    throw new RangeError(`Cannot create the static handler: ${name} ${value} is not a number >= 0`);
  }
  return value;
}
