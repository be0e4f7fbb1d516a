/**
 * What a listing shows, decided apart from I/O: the host's autoindex settings, the request's
 * query and the directory's entries in, the page model that `_listing_page.ts` renders out.
 *
 * @module
 */

import type { AutoindexConfig, IndexOptionFlag } from "../../server/config/mod.ts";
import type { ListingEntry } from "./_listing.ts";
import { sortListing } from "./_listing_order.ts";
import type { ListingNote, ListingPage, ListingRow } from "./_listing_page.ts";
import { parseListingQuery } from "./_listing_query.ts";

/** What {@link listingView} decides from. */
export interface ListingViewInput {
  /** The directory's decoded URL path, with its trailing slash: `/` has no parent link. */
  readonly path: string;
  /** The request's query, without `?` (`C=M;O=D`). */
  readonly query: string;
  readonly autoindex: AutoindexConfig;
  /** The directory's entries, IndexIgnore already applied, in any order. */
  readonly entries: readonly ListingEntry[];
  readonly header: ListingNote | null;
  readonly readme: ListingNote | null;
  /** HTML (already escaped) after the readme: the host's ServerSignature, or `""`. */
  readonly footer: string;
}

/**
 * The page a listing request gets: the layout IndexOptions asks for (a plain list, fancy
 * columns, or with HTMLTable a table), the entries in the order the query or
 * IndexOrderDefault asks for, behind a parent link unless at the root; links percent-encoded.
 */
export function listingView(input: ListingViewInput): ListingPage {
  const { autoindex } = input;
  const has = (flag: IndexOptionFlag) => autoindex.flags.includes(flag);
  const order = parseListingQuery(input.query, autoindex.orderDefault);
  const sorted = sortListing(input.entries, order, {
    foldersFirst: has("FoldersFirst"),
    ignoreCase: has("IgnoreCase"),
    versionSort: has("VersionSort"),
  });
  const rows: ListingRow[] = sorted.map((e) => ({
    label: e.isDirectory ? `${e.name}/` : e.name,
    href: encodeURIComponent(e.name) + (e.isDirectory ? "/" : ""),
    mtimeMs: e.mtimeMs,
    size: e.isDirectory ? null : e.size,
  }));
  if (input.path !== "/") {
    rows.unshift({ label: "Parent Directory", href: "../", mtimeMs: null, size: null });
  }
  return {
    path: input.path,
    layout: !has("FancyIndexing") ? "list" : has("HTMLTable") ? "table" : "fancy",
    rows,
    order,
    sortable: !has("SuppressColumnSorting"),
    columns: { lastModified: !has("SuppressLastModified"), size: !has("SuppressSize") },
    nameWidth: autoindex.nameWidth,
    charset: autoindex.charset ?? "utf-8",
    suppressPreamble: has("SuppressHTMLPreamble"),
    header: input.header,
    readme: input.readme,
    footer: input.footer,
  };
}
