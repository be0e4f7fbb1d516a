/**
 * Static files: serves a host's DocumentRoot as httpd's core does, with mod_dir
 * (DirectoryIndex, trailing-slash redirects), mod_autoindex (listings under `Options
 * Indexes`, plain or fancy as IndexOptions says, sortable, with IndexIgnore, HeaderName and
 * ReadmeName), mod_mime (types from mime-db, AddType, AddDefaultCharset), precompressed
 * `.br`/`.gz` siblings, conditional and range requests, and an in-memory cache of small
 * files revalidated by stat.
 *
 * @example
 * ```ts
 * import { createStaticHandler } from "./mod.ts";
 * import type { HostConfig } from "../../server/config/mod.ts";
 * import type { Logger } from "../../server/log/mod.ts";
 *
 * declare const host: HostConfig; // config.hosts[0]
 * declare const logger: Logger;
 *
 * const serveStatic = createStaticHandler(host, { logger });
 * // The engine calls serveStatic(request) for each ServerRequest. A cached small file is
 * // answered synchronously; 4xx outcomes are thrown as HttpError.
 * ```
 *
 * @module
 */

export {
  createFileServer,
  createStaticHandler,
  DEFAULT_MAX_CACHE_BYTES,
  DEFAULT_MAX_CACHE_ENTRIES,
  DEFAULT_MAX_CACHED_FILE_BYTES,
  DEFAULT_REVALIDATE_MS,
  type DirectoryOptions,
  type FileServer,
  type FileSite,
  STATIC_ALLOW,
  type StaticOptions,
} from "./static_handler.ts";
export { type MappedPath, mapRequestPath, type PathMapping, type RefusedPath } from "./_path.ts";
export { type CacheableNode, NodeCache, type NodeCacheLimits } from "./_node_cache.ts";
export { sameStamp, type Stamp, statStamp } from "./_representation.ts";
