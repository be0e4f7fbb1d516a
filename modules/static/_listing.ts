/**
 * Directory listings, the reading part (mod_autoindex's): a directory's entries and its
 * HeaderName and ReadmeName files. `_listing_page.ts` renders them.
 *
 * @module
 */

import type { Logger } from "../../server/log/mod.ts";
import type { DocumentRoot } from "./_document_root.ts";
import type { ListingNote } from "./_listing_page.ts";
import { describeError } from "../../base/mod.ts";

/** One listed entry. */
export interface ListingEntry {
  readonly name: string;
  readonly isDirectory: boolean;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * Reads the entries of a directory to list. Hidden: names starting with `.` (as the dotfile
 * rule forbids them anyway), names `isIgnored` matches (IndexIgnore), links leading outside
 * DocumentRoot when they may not be followed, broken links, and entries that cannot be
 * stat'ed (logged at debug).
 */
export async function readListing(
  dirPath: string,
  root: DocumentRoot,
  options: { readonly logger: Logger; readonly isIgnored: (name: string) => boolean },
): Promise<ListingEntry[]> {
  const { logger, isIgnored } = options;
  const entries: ListingEntry[] = [];
  for await (const entry of Deno.readDir(dirPath)) {
    if (entry.name.startsWith(".") || isIgnored(entry.name)) continue;
    const path = `${dirPath}/${entry.name}`;
    if (entry.isSymlink && root.tryResolve(path) === null) continue;
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (error) {
      logger.debug(`Cannot list ${path}: ${describeError(error)}`);
      continue;
    }
    entries.push({
      name: entry.name,
      isDirectory: info.isDirectory,
      size: info.size,
      mtimeMs: info.mtime?.getTime() ?? 0,
    });
  }
  return entries;
}

/**
 * Reads a HeaderName or ReadmeName file of the directory: `name`, or when there is no such
 * file `name.html` (where httpd would need MultiViews to find `HEADER.html` for `HEADER`). It
 * is used when it is a regular file the DocumentRoot's link rule lets us reach and its media
 * type (`typeOf`) is `text/*`: `text/html` is inserted as it is, other text escaped.
 *
 * @returns The note, or `null` when there is none to show.
 */
export async function readListingNote(
  dirPath: string,
  name: string,
  options: { readonly root: DocumentRoot; readonly typeOf: (name: string) => string },
): Promise<ListingNote | null> {
  for (const candidate of [name, `${name}.html`]) {
    const path = `${dirPath}/${candidate}`;
    try {
      const info = await Deno.stat(path);
      const real = options.root.tryResolve(path);
      const type = options.typeOf(candidate).split(";", 1)[0]!.trim().toLowerCase();
      if (!info.isFile || real === null || !type.startsWith("text/")) return null;
      const content = new TextDecoder().decode(await Deno.readFile(real));
      return { kind: type === "text/html" ? "html" : "text", content };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      // Unreadable: the listing goes on without it, as httpd's does.
      if (error instanceof Deno.errors.PermissionDenied) return null;
      throw error;
    }
  }
  return null;
}
