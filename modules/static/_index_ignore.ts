/**
 * IndexIgnore matching: which names a listing leaves out.
 *
 * @module
 */

import { wildcardSource } from "../../server/config/mod.ts";

/**
 * A test for the names that `patterns` (IndexIgnore's wildcards: `*` any run of characters,
 * `?` one character, everything else literal and case-sensitive) leave out of a listing; each
 * pattern must match the whole name, as httpd's fnmatch does.
 */
export function indexIgnoreMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => false;
  const all = new RegExp(`^(?:${patterns.map(wildcardSource).join("|")})$`, "s");
  return (name) => all.test(name);
}
