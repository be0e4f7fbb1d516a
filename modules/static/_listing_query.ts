/**
 * The query of a listing request: mod_autoindex's `C=` (column) and `O=` (order) arguments.
 *
 * @module
 */

import { type ListingOrder, SORT_KEYS, type SortKey } from "../../server/config/mod.ts";

// One argument: its letter, "=", a value up to the next separator.
const ARGUMENT = /^([A-Z])=([^&;]*)(?:[&;]|$)/;

/**
 * The order a listing query asks for, over `fallback` (IndexOrderDefault): `C=N|M|S|D` picks
 * the column, `O=A|D` the direction, separated by `;` or `&`, the last of each winning. `F=`,
 * `V=` and `P=` are httpd's too and are passed over. As in httpd, an argument that is none of
 * these, or a value that is not one of its letters, ends the reading: what came before it
 * stays, the rest is ignored. Never an error.
 */
export function parseListingQuery(query: string, fallback: ListingOrder): ListingOrder {
  let { key, ascending } = fallback;
  let rest = query;
  while (rest !== "") {
    const m = ARGUMENT.exec(rest);
    if (m === null) break;
    const [argument, name, value] = m as unknown as [string, string, string];
    if (name === "C" && SORT_KEYS.includes(value as SortKey)) key = value as SortKey;
    else if (name === "O" && (value === "A" || value === "D")) ascending = value === "A";
    else if (name !== "F" && name !== "V" && name !== "P") break;
    rest = rest.slice(argument.length);
  }
  return { key, ascending };
}

/** The query of a column heading's link: its column, reversed when it is the current one. */
export function columnQuery(column: SortKey, current: ListingOrder): string {
  const ascending = column !== current.key || !current.ascending;
  return `?C=${column};O=${ascending ? "A" : "D"}`;
}
