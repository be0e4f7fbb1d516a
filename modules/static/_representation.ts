/**
 * One servable file (the file itself or a precompressed sibling) with everything the hot path
 * needs precomputed: its identity stamp, validators, response header fields and, when small
 * enough, its bytes.
 *
 * @module
 */

import { formatHttpDate, type ResponseHeaders } from "../../server/http/mod.ts";
import type { Validators } from "./_conditional.ts";
import type { ContentCoding } from "../_content_coding.ts";

/**
 * What identifies one version of a file: any change of these means "reload". The change time
 * catches a rewrite in place that keeps size and mtime (`cp -p`, `rsync --inplace`): unlike
 * mtime, no tool can set it back.
 */
export interface Stamp {
  /** Size in bytes. */
  readonly size: number;
  /** Modification time. */
  readonly mtimeMs: number;
  /** Change time (of the inode). */
  readonly ctimeMs: number;
  /** Inode number, where the platform has one. */
  readonly ino: number | null;
}

/** A loaded file, ready to be sent. */
export interface Representation {
  /** Path as mapped from the URL (symbolic links not resolved): what revalidation stats. */
  readonly path: string;
  /** Canonical path, checked against the link policy: what streaming opens. */
  readonly realPath: string;
  readonly stamp: Stamp;
  readonly coding: ContentCoding | null;
  readonly contentType: string;
  readonly validators: Validators;
  /** The whole content when cached in memory; `null` when it is streamed from disk. */
  readonly body: Uint8Array | null;
  /** Fields of a 200 (no framing fields): Content-Type, ETag, Last-Modified, … Never mutated. */
  readonly headers: ResponseHeaders;
  /** Fields of a 304: ETag, Last-Modified and Vary when present. Never mutated. */
  readonly notModifiedHeaders: ResponseHeaders;
  /** `Vary: Accept-Encoding` when the file has precompressed siblings, else nothing. */
  readonly varyHeaders: ResponseHeaders;
}

/** How to load one representation. */
export interface LoadOptions {
  readonly coding: ContentCoding | null;
  /** Content-Type of the original file (a sibling keeps its original's type). */
  readonly contentType: string;
  /** Whether the file has precompressed siblings (then every response varies). */
  readonly vary: boolean;
  /** Files up to this size are read into memory. */
  readonly maxCachedFileBytes: number;
}

/** Stats `path` (following links); `null` when it is not a readable regular file. */
export function statStamp(path: string): Stamp | null {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    // Whatever the failure, the caller only needs "not the same file any more"; reloading
    // then reports the real error.
    return null;
  }
  return info.isFile ? stampOf(info) : null;
}

/** Whether two stamps describe the same version of a file. */
export function sameStamp(a: Stamp | null, b: Stamp | null): boolean {
  if (a === null || b === null) return a === b;
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs &&
    a.ino === b.ino;
}

/**
 * Opens `realPath` and builds its representation; the stamp comes from the open file, so it
 * describes exactly the bytes read. Errors from the file system propagate.
 *
 * @param path The URL-mapped path (kept for revalidation).
 * @param realPath The checked canonical path to open.
 */
export function loadRepresentation(
  path: string,
  realPath: string,
  options: LoadOptions,
): Representation {
  using file = Deno.openSync(realPath, { read: true });
  const stamp = stampOf(file.statSync());
  const body = stamp.size <= options.maxCachedFileBytes ? readAll(file, stamp.size) : null;
  // A file truncated while we read it is served as read; its stamp is poisoned so that the
  // next revalidation reloads it.
  const finalStamp = body !== null && body.length !== stamp.size
    ? { ...stamp, size: body.length, mtimeMs: Number.NaN }
    : stamp;
  const etag = entityTag(finalStamp, options.coding);
  const lastModified = formatHttpDate(stamp.mtimeMs);
  const varyHeaders: ResponseHeaders = options.vary ? [["Vary", "Accept-Encoding"]] : [];
  const headers: ResponseHeaders = [["Content-Type", options.contentType]];
  if (options.coding !== null) headers.push(["Content-Encoding", options.coding]);
  headers.push(
    ["ETag", etag],
    ["Last-Modified", lastModified],
    ["Accept-Ranges", "bytes"],
    ...varyHeaders,
  );
  return {
    path,
    realPath,
    stamp: finalStamp,
    coding: options.coding,
    contentType: options.contentType,
    validators: { etag, lastModifiedMs: Math.floor(stamp.mtimeMs / 1000) * 1000 },
    body,
    headers: freeze(headers),
    notModifiedHeaders: freeze([["ETag", etag], ["Last-Modified", lastModified], ...varyHeaders]),
    varyHeaders: freeze(varyHeaders),
  };
}

// httpd's default `FileETag MTime Size`: "<size hex>-<mtime in µs hex>", strong. Deno gives
// mtime in ms, so the µs value is a multiple of 1000. A coding gets its own suffix, as
// mod_deflate does, so a cache never confuses the encoded bytes with the identity ones.
function entityTag(stamp: Stamp, coding: ContentCoding | null): string {
  const base = `${stamp.size.toString(16)}-${(stamp.mtimeMs * 1000).toString(16)}`;
  return coding === null ? `"${base}"` : `"${base}-${coding}"`;
}

function stampOf(info: Deno.FileInfo): Stamp {
  return {
    size: info.size,
    mtimeMs: info.mtime?.getTime() ?? 0,
    ctimeMs: info.ctime?.getTime() ?? 0,
    ino: info.ino,
  };
}

function readAll(file: Deno.FsFile, size: number): Uint8Array {
  const buffer = new Uint8Array(size);
  let filled = 0;
  while (filled < size) {
    const n = file.readSync(buffer.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return filled === size ? buffer : buffer.subarray(0, filled);
}

function freeze(headers: ResponseHeaders): ResponseHeaders {
  for (const pair of headers) Object.freeze(pair);
  return Object.freeze(headers) as ResponseHeaders;
}
