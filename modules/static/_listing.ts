/**
 * Directory listings (mod_autoindex's job, a small subset): reading a directory and
 * rendering it as HTML.
 *
 * @module
 */

import type { Logger } from "../../server/log/mod.ts";
import type { DocumentRoot } from "./_document_root.ts";
import { escapeHtml } from "../_escape_html.ts";
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
 * rule forbids them anyway), links leading outside DocumentRoot when they may not be followed,
 * broken links, and entries that cannot be stat'ed (logged at debug).
 */
export async function readListing(
  dirPath: string,
  root: DocumentRoot,
  logger: Logger,
): Promise<ListingEntry[]> {
  const entries: ListingEntry[] = [];
  for await (const entry of Deno.readDir(dirPath)) {
    if (entry.name.startsWith(".")) continue;
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
 * Renders a listing page: a parent link except at the root, then directories and files,
 * each group sorted by name in code-point order (httpd's `IndexOptions FoldersFirst`). Names
 * are HTML-escaped; links are relative and percent-encoded, so any name round-trips.
 *
 * @param urlPath The decoded path of the directory, with its trailing slash (`/docs/`).
 * @param options `footer`: HTML (already escaped) after the table, the host's ServerSignature,
 *   or `""`.
 */
export function renderListing(
  urlPath: string,
  entries: readonly ListingEntry[],
  options: { readonly footer: string },
): string {
  const sorted = [...entries].sort((a, b) =>
    a.isDirectory !== b.isDirectory
      ? (a.isDirectory ? -1 : 1)
      : a.name < b.name
      ? -1
      : a.name > b.name
      ? 1
      : 0
  );
  const title = `Index of ${escapeHtml(urlPath)}`;
  const rows = sorted.map((e) => {
    const href = encodeURIComponent(e.name) + (e.isDirectory ? "/" : "");
    const label = escapeHtml(e.name) + (e.isDirectory ? "/" : "");
    const size = e.isDirectory ? "-" : String(e.size);
    return `<tr><td><a href="${href}">${label}</a></td><td>${formatListingTime(e.mtimeMs)}</td>` +
      `<td align="right">${size}</td></tr>`;
  });
  if (urlPath !== "/") {
    rows.unshift(
      `<tr><td><a href="../">Parent Directory</a></td><td></td><td align="right">-</td></tr>`,
    );
  }
  return `<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n` +
    `</head>\n<body>\n<h1>${title}</h1>\n<table>\n` +
    `<tr><th>Name</th><th>Last modified</th><th>Size</th></tr>\n${rows.join("\n")}\n` +
    `</table>\n${options.footer === "" ? "" : `<hr>\n${options.footer}`}</body>\n</html>\n`;
}

// httpd's listing shows "2024-05-01 13:45" in the server's zone; UTC here, as everywhere
// else in HTTP.
function formatListingTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}
