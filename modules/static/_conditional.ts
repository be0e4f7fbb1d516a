/**
 * Conditional requests (RFC 9110 §13): the precondition decision and If-Range. Pure.
 *
 * @module
 */

import { parseHttpDate } from "../../server/http/mod.ts";

/** What the selected representation offers as validators. */
export interface Validators {
  /** Strong entity-tag, quotes included (`"1a-5f3e"`). */
  readonly etag: string;
  /** Last-Modified, truncated to the whole second as sent. */
  readonly lastModifiedMs: number;
}

/** The request fields and context the precondition decision reads. */
export interface PreconditionInput {
  readonly method: string;
  /** Request header fields by lower-case name. */
  readonly headers: ReadonlyMap<string, string>;
  readonly validators: Validators;
  /** Request time: an If-Modified-Since later than this is not a valid date. */
  readonly nowMs: number;
}

/** The three outcomes of evaluating preconditions. */
export type PreconditionOutcome = "proceed" | "not-modified" | "precondition-failed";

/**
 * Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in the order
 * of RFC 9110 §13.2.2, so that a failing If-Match gives 412 even when If-None-Match would
 * give 304, and If-Modified-Since is not looked at when If-None-Match is present.
 */
export function evaluatePreconditions(input: PreconditionInput): PreconditionOutcome {
  const { headers, validators, method } = input;
  const ifMatch = headers.get("if-match");
  if (ifMatch !== undefined) {
    if (!matchesEntityTagList(ifMatch, validators.etag, "strong")) return "precondition-failed";
  } else {
    const ius = headers.get("if-unmodified-since");
    const date = ius === undefined ? null : parseHttpDate(ius.trim(), input.nowMs);
    if (date !== null && validators.lastModifiedMs > date) return "precondition-failed";
  }
  const safe = method === "GET" || method === "HEAD";
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== undefined) {
    if (!matchesEntityTagList(ifNoneMatch, validators.etag, "weak")) return "proceed";
    return safe ? "not-modified" : "precondition-failed";
  }
  const ims = safe ? headers.get("if-modified-since") : undefined;
  const date = ims === undefined ? null : parseHttpDate(ims.trim(), input.nowMs);
  // §13.1.3: a date in the future says nothing about this representation.
  if (date !== null && date <= input.nowMs && validators.lastModifiedMs <= date) {
    return "not-modified";
  }
  return "proceed";
}

/**
 * Whether an If-Range value still designates the selected representation (RFC 9110
 * §13.1.5): a strong match with its ETag, or exactly its Last-Modified date. A weak tag never
 * matches. When this returns false the Range field is ignored and the whole content sent.
 *
 * @param nowMs Request time (places a two-digit RFC 850 year).
 */
export function ifRangeMatches(value: string, validators: Validators, nowMs: number): boolean {
  const v = value.trim();
  if (v.startsWith('"') || v.startsWith("W/")) {
    return !v.startsWith("W/") && v === validators.etag;
  }
  return parseHttpDate(v, nowMs) === validators.lastModifiedMs;
}

/**
 * Whether a list of entity-tags (or `*`) contains `etag`, with the strong or weak comparison
 * of RFC 9110 §8.8.3.2. A malformed list matches nothing from the first bad member on.
 */
export function matchesEntityTagList(
  list: string,
  etag: string,
  comparison: "strong" | "weak",
): boolean {
  if (list.trim() === "*") return true;
  let i = 0;
  while (i < list.length) {
    const c = list.charCodeAt(i);
    // Separators and optional whitespace between list members.
    if (c === 0x2c || c === 0x20 || c === 0x09) {
      i++;
      continue;
    }
    const weak = list.startsWith("W/", i);
    const open = weak ? i + 2 : i;
    if (list.charCodeAt(open) !== 0x22) return false;
    const close = list.indexOf('"', open + 1);
    if (close < 0) return false;
    if ((comparison === "weak" || !weak) && list.slice(open, close + 1) === etag) return true;
    i = close + 1;
  }
  return false;
}
