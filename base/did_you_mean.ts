/**
 * Suggests the known name closest to a misspelt one, for "did you mean" hints.
 *
 * @module
 */

/**
 * The candidate that `name` most likely meant: one that differs only in case, else the
 * nearest by edit distance (adjacent swaps count as one edit) within a length-scaled limit.
 */
export function didYouMean(name: string, candidates: readonly string[]): string | null {
  const lower = name.toLowerCase();
  const sameLetters = candidates.find((c) => c.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  const limit = lower.length <= 4 ? 1 : lower.length <= 8 ? 2 : 3;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Formats a hint to append to a message: ` (did you mean KeepAlive?)`, or nothing. */
export function didYouMeanHint(name: string, candidates: readonly string[]): string {
  const suggestion = didYouMean(name, candidates);
  return suggestion === null ? "" : ` (did you mean ${suggestion}?)`;
}

// Optimal string alignment distance: Levenshtein plus transposition of adjacent letters.
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
