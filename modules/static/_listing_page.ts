/**
 * The HTML of a directory listing, in mod_autoindex's three layouts: a plain list, a fancy
 * listing in preformatted columns (IndexOptions FancyIndexing) and a fancy listing as a table
 * (FancyIndexing HTMLTable). One page model, one renderer per layout, one frame around them.
 *
 * @module
 */

import type { ListingOrder, SortKey } from "../../server/config/mod.ts";
import { escapeHtml } from "../_escape_html.ts";
import { columnQuery } from "./_listing_query.ts";
import { formatListingSize } from "./_listing_size.ts";

/** One line of a listing: an entry of the directory, or the link to its parent. */
export interface ListingRow {
  /** What the link shows: the name, a directory's with its trailing `/`, or `Parent Directory`. */
  readonly label: string;
  /** The link, relative and already percent-encoded (`a%20b.txt`, `sub/`, `../`). */
  readonly href: string;
  /** Last modification, or `null` for the parent link (httpd leaves it blank). */
  readonly mtimeMs: number | null;
  /** Bytes, or `null` for a directory and the parent link (shown as `-`). */
  readonly size: number | null;
}

/** A HeaderName or ReadmeName file: HTML inserted as it is, or other text shown escaped. */
export interface ListingNote {
  readonly kind: "html" | "text";
  readonly content: string;
}

/** The three layouts. */
export type ListingLayout = "list" | "fancy" | "table";

/** Everything a listing page shows, already sorted and filtered. */
export interface ListingPage {
  /** The directory's decoded URL path, with its trailing slash (`/docs/`). */
  readonly path: string;
  readonly layout: ListingLayout;
  /** The parent link (when there is one) first, then the entries in order. */
  readonly rows: readonly ListingRow[];
  /** The order shown, which the column headings' links reverse or change. */
  readonly order: ListingOrder;
  /** SuppressColumnSorting: headings without links. */
  readonly sortable: boolean;
  /** Columns shown besides the name (SuppressLastModified, SuppressSize take them away). */
  readonly columns: { readonly lastModified: boolean; readonly size: boolean };
  /** Characters of a label shown (longer ones are cut, ending in `..>`); `*`: the longest's. */
  readonly nameWidth: number | "*";
  /** The charset the page declares. */
  readonly charset: string;
  /** SuppressHTMLPreamble: an HTML header (and readme) bring their own document frame. */
  readonly suppressPreamble: boolean;
  readonly header: ListingNote | null;
  readonly readme: ListingNote | null;
  /** HTML (already escaped) after the readme: the host's ServerSignature, or `""`. */
  readonly footer: string;
}

/** Renders a listing page as HTML. Every name is escaped; every link was encoded before. */
export function renderListingPage(page: ListingPage): string {
  const title = `Index of ${escapeHtml(page.path)}`;
  const htmlHeader = page.header?.kind === "html";
  const parts: string[] = [];
  if (!(htmlHeader && page.suppressPreamble)) {
    parts.push(
      `<!DOCTYPE html>\n<html>\n<head>\n<meta charset="${escapeHtml(page.charset)}">\n` +
        `<title>${title}</title>\n</head>\n<body>\n`,
    );
  }
  // As httpd: a header file takes the place of the heading.
  parts.push(page.header === null ? `<h1>${title}</h1>\n` : noteHtml(page.header));
  parts.push(LAYOUTS[page.layout](page));
  if (page.readme !== null) parts.push(noteHtml(page.readme));
  if (page.footer !== "") parts.push(`<hr>\n${page.footer}`);
  if (!(page.readme?.kind === "html" && page.suppressPreamble)) parts.push("</body>\n</html>\n");
  return parts.join("");
}

function noteHtml(note: ListingNote): string {
  if (note.kind === "html") return note.content.endsWith("\n") ? note.content : `${note.content}\n`;
  return `<pre>\n${escapeHtml(note.content)}</pre>\n`;
}

const LAYOUTS: Readonly<Record<ListingLayout, (page: ListingPage) => string>> = {
  list: renderList,
  fancy: renderColumns,
  table: renderTable,
};

function link(row: ListingRow, label: string): string {
  return `<a href="${row.href}">${escapeHtml(label)}</a>`;
}

function renderList(page: ListingPage): string {
  const items = page.rows.map((row) => `<li>${link(row, row.label)}</li>\n`);
  return `<ul>\n${items.join("")}</ul>\n`;
}

/** The column headings shown, each linked to its sort unless sorting is suppressed. */
function headings(page: ListingPage): { name: string; modified: string; size: string } {
  const heading = (text: string, key: SortKey) =>
    page.sortable ? `<a href="${columnQuery(key, page.order)}">${text}</a>` : text;
  return {
    name: heading("Name", "N"),
    modified: heading("Last modified", "M"),
    size: heading("Size", "S"),
  };
}

/** The width labels are cut and padded to. */
function labelWidth(page: ListingPage): number {
  if (page.nameWidth !== "*") return page.nameWidth;
  return Math.max(0, ...page.rows.map((row) => [...row.label].length));
}

/** A label cut to `width` characters as httpd cuts it: the start, then `..>`. */
function cutLabel(label: string, width: number): string {
  const chars = [...label];
  return chars.length <= width ? label : `${chars.slice(0, width - 3).join("")}..>`;
}

// "2024-05-01 13:45": httpd shows the server's zone; UTC here, as everywhere else in HTTP.
function formatListingTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

const TIME_WIDTH = 16;

/** FancyIndexing: columns aligned in a `<pre>`, as httpd draws them without HTMLTable. */
function renderColumns(page: ListingPage): string {
  const width = labelWidth(page);
  const h = headings(page);
  const pad = (shown: number, to: number) => " ".repeat(Math.max(1, to - shown));
  let head = h.name + pad("Name".length, width + 1);
  if (page.columns.lastModified) head += h.modified + pad("Last modified".length, TIME_WIDTH + 3);
  if (page.columns.size) head += h.size;
  const lines = page.rows.map((row) => {
    const label = cutLabel(row.label, width);
    let line = link(row, label) + pad([...label].length, width + 1);
    if (page.columns.lastModified) {
      line += (row.mtimeMs === null ? " ".repeat(TIME_WIDTH) : formatListingTime(row.mtimeMs)) +
        "  ";
    }
    if (page.columns.size) line += formatListingSize(row.size);
    return `${line.trimEnd()}\n`;
  });
  return `<pre>${head}\n<hr>${lines.join("")}<hr></pre>\n`;
}

/** FancyIndexing HTMLTable: one table row per entry. */
function renderTable(page: ListingPage): string {
  const width = labelWidth(page);
  const h = headings(page);
  const span = 1 + Number(page.columns.lastModified) + Number(page.columns.size);
  const cells = (name: string, modified: string, size: string, tag: "th" | "td") => {
    const right = tag === "td" ? ' align="right"' : "";
    return `<tr><${tag}>${name}</${tag}>` +
      (page.columns.lastModified ? `<${tag}${right}>${modified}</${tag}>` : "") +
      (page.columns.size ? `<${tag}${right}>${size}</${tag}>` : "") + "</tr>\n";
  };
  const rule = `<tr><th colspan="${span}"><hr></th></tr>\n`;
  const rows = page.rows.map((row) =>
    cells(
      link(row, cutLabel(row.label, width)),
      row.mtimeMs === null ? "" : formatListingTime(row.mtimeMs),
      formatListingSize(row.size).trim(),
      "td",
    )
  );
  return `<table>\n${cells(h.name, h.modified, h.size, "th")}${rule}${rows.join("")}${rule}` +
    `</table>\n`;
}
