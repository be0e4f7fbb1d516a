/**
 * The order of a listing's entries, as mod_autoindex sorts them.
 *
 * @module
 */

import type { ListingOrder } from "../../server/config/mod.ts";
import type { ListingEntry } from "./_listing.ts";

/** How names compare and whether directories lead: IndexOptions flags. */
export interface NameOrder {
  /** FoldersFirst: directories before files, whatever the order. */
  readonly foldersFirst: boolean;
  /** IgnoreCase: `a` and `A` compare equal (ties then fall back to case). */
  readonly ignoreCase: boolean;
  /** VersionSort: runs of digits compare as numbers (`file9` before `file10`). */
  readonly versionSort: boolean;
}

/**
 * Sorts entries as httpd's listing does: directories first under FoldersFirst (in either
 * direction), then by the order's column, names breaking ties, the whole comparison reversed
 * when descending. `D` (Description) compares names only: mpmd shows no descriptions.
 */
export function sortListing<E extends ListingEntry>(
  entries: readonly E[],
  order: ListingOrder,
  names: NameOrder,
): E[] {
  const direction = order.ascending ? 1 : -1;
  return [...entries].sort((a, b) => {
    if (names.foldersFirst && a.isDirectory !== b.isDirectory) return a.isDirectory ? -1 : 1;
    return direction * (compareColumn(a, b, order.key) || compareNames(a.name, b.name, names));
  });
}

function compareColumn(a: ListingEntry, b: ListingEntry, key: ListingOrder["key"]): number {
  if (key === "M") return Math.sign(a.mtimeMs - b.mtimeMs);
  if (key === "S") return Math.sign(sizeOf(a) - sizeOf(b));
  return 0;
}

// httpd gives a directory the size -1.
const sizeOf = (e: ListingEntry) => e.isDirectory ? -1 : e.size;

/**
 * Compares two names: naturally under VersionSort, without case under IgnoreCase, and always
 * ending in plain code-unit order, so that no two distinct names ever tie.
 */
function compareNames(a: string, b: string, names: Omit<NameOrder, "foldersFirst">): number {
  const lower = (s: string) => s.toLowerCase();
  if (names.versionSort) {
    const result = (names.ignoreCase ? compareNatural(lower(a), lower(b)) : 0) ||
      compareNatural(a, b);
    if (result !== 0) return result;
  }
  if (names.ignoreCase) {
    const result = compareCodeUnits(lower(a), lower(b));
    if (result !== 0) return result;
  }
  return compareCodeUnits(a, b);
}

const DIGITS_OR_NOT = /\d+|\D+/g;

/** Natural order: runs of digits compare by value, other runs by code units. */
function compareNatural(a: string, b: string): number {
  const partsA = a.match(DIGITS_OR_NOT) ?? [];
  const partsB = b.match(DIGITS_OR_NOT) ?? [];
  for (let i = 0; i < Math.min(partsA.length, partsB.length); i++) {
    const [x, y] = [partsA[i]!, partsB[i]!];
    const bothNumbers = /^\d/.test(x) && /^\d/.test(y);
    const result = bothNumbers ? compareNumbers(x, y) : compareCodeUnits(x, y);
    if (result !== 0) return result;
  }
  return Math.sign(partsA.length - partsB.length);
}

/** Compares two runs of digits by value, without converting them (they may be long). */
function compareNumbers(x: string, y: string): number {
  const [a, b] = [x.replace(/^0+/, ""), y.replace(/^0+/, "")];
  return Math.sign(a.length - b.length) || compareCodeUnits(a, b);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
