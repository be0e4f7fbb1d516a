/**
 * The Range request field for bytes (RFC 9110 §14): parsing, satisfiability, coalescing and
 * httpd's limits. Pure.
 *
 * @module
 */

/** httpd's MaxRanges default: more ranges than this and the whole content is sent. */
export const MAX_RANGES = 200;
/** httpd's MaxRangeOverlaps default: more overlapping ranges than this and the whole content is sent. */
export const MAX_RANGE_OVERLAPS = 20;
/** httpd's MaxRangeReversals default: more out-of-order ranges than this and the whole content is sent. */
export const MAX_RANGE_REVERSALS = 20;

/** An inclusive byte range, already clamped to the content. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What to do with a request's Range field. */
export type RangeDecision =
  | { readonly kind: "full" }
  | { readonly kind: "unsatisfiable" }
  | { readonly kind: "partial"; readonly ranges: readonly ByteRange[] };

const FULL: RangeDecision = { kind: "full" };
const INT_RANGE = /^(\d+)-(\d*)$/;
const SUFFIX_RANGE = /^-(\d+)$/;

/**
 * Decides how to answer a Range field for content of `size` bytes.
 *
 * - `full` (200 with everything): a unit other than `bytes`, a syntax error anywhere (RFC
 *   9110 §14.2 lets a server ignore an invalid field), more than {@link MAX_RANGES} ranges,
 *   or more overlaps or reversals than httpd's limits allow (a cheap amplification defence).
 * - `unsatisfiable` (416): no range starts inside the content (every range, for an empty one).
 * - `partial`: the satisfiable ranges in request order, each one merged into the previous
 *   kept range when they overlap or touch (§14.2 allows coalescing).
 */
export function decideRanges(field: string, size: number): RangeDecision {
  const eq = field.indexOf("=");
  if (eq < 0 || field.slice(0, eq).trim().toLowerCase() !== "bytes") return FULL;
  const specs = field.slice(eq + 1).split(",");
  if (specs.length > MAX_RANGES) return FULL;
  const satisfiable: ByteRange[] = [];
  let seen = 0;
  for (const rawSpec of specs) {
    const spec = rawSpec.trim();
    // Empty list members are allowed and ignored (RFC 9110 §5.6.1.2).
    if (spec === "") continue;
    seen++;
    const int = INT_RANGE.exec(spec);
    if (int !== null) {
      const first = Number(int[1]);
      const last = int[2] === "" ? Number.POSITIVE_INFINITY : Number(int[2]);
      if (last < first) return FULL;
      if (first < size) satisfiable.push({ start: first, end: Math.min(last, size - 1) });
      continue;
    }
    const suffix = SUFFIX_RANGE.exec(spec);
    if (suffix === null) return FULL;
    const length = Number(suffix[1]);
    if (length > 0 && size > 0) {
      satisfiable.push({ start: Math.max(0, size - length), end: size - 1 });
    }
  }
  if (seen === 0) return FULL;
  if (satisfiable.length === 0) return { kind: "unsatisfiable" };
  return coalesce(satisfiable);
}

function coalesce(ranges: readonly ByteRange[]): RangeDecision {
  const kept: ByteRange[] = [];
  let overlaps = 0;
  let reversals = 0;
  let previousStart = -1;
  for (const r of ranges) {
    if (kept.some((k) => r.start <= k.end && k.start <= r.end)) overlaps++;
    if (r.start < previousStart) reversals++;
    previousStart = r.start;
    const last = kept[kept.length - 1];
    if (last !== undefined && r.start <= last.end + 1 && last.start <= r.end + 1) {
      kept[kept.length - 1] = {
        start: Math.min(last.start, r.start),
        end: Math.max(last.end, r.end),
      };
    } else {
      kept.push(r);
    }
  }
  if (overlaps > MAX_RANGE_OVERLAPS || reversals > MAX_RANGE_REVERSALS) return FULL;
  return { kind: "partial", ranges: kept };
}
