/**
 * Which files an `Include` / `IncludeOptional` names: a file, a directory (every file in it
 * and its subdirectories, sorted), or a wildcard pattern (`*`, `?`, `[…]`, in any path
 * component; a leading `.` is matched only by a `.`, as httpd's `APR_FNM_PERIOD`). The file
 * system comes in as {@link HttpdConfFiles}, so that the reader stays testable without disk.
 *
 * @module
 */

import { join } from "node:path";

/** The file access the httpd.conf reader needs; every path is absolute. */
export interface HttpdConfFiles {
  /** What is at `path`, following symbolic links: a file, a directory, or nothing. */
  kind(path: string): "file" | "directory" | null;
  /**
   * The text of the file at `path`.
   *
   * @throws {Error} when it cannot be read; the message says why.
   */
  readText(path: string): string;
  /** The names of the entries of the directory at `path`. */
  readDir(path: string): string[];
}

/** The files an Include names, in reading order, or why it names none. */
export type IncludeResult =
  | { readonly paths: readonly string[] }
  | { readonly problem: string };

const WILDCARD = /[*?[]/;

/**
 * Lists the files that `path` (absolute) names. An empty list without a problem means an
 * IncludeOptional that names nothing.
 */
export function includedFiles(
  path: string,
  files: HttpdConfFiles,
  kind: "Include" | "IncludeOptional",
): IncludeResult {
  const segments = path.split(/[\\/]/);
  const first = segments.findIndex((s) => WILDCARD.test(s));
  if (first === -1) {
    const found = files.kind(path);
    if (found === null) {
      return kind === "Include" ? { problem: `${path}: no such file or directory` } : { paths: [] };
    }
    return { paths: found === "directory" ? filesUnder(path, files) : [path] };
  }
  let bases = [segments.slice(0, first).join("/") || "/"];
  for (let i = first; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (files.kind(base) !== "directory") continue;
      const names = WILDCARD.test(segment)
        ? files.readDir(base).filter((name) => fnmatch(segment, name)).sort(compareNames)
        : [segment];
      for (const name of names) {
        const candidate = join(base, name);
        const found = files.kind(candidate);
        if (found === "directory" || (last && found === "file")) next.push(candidate);
      }
    }
    bases = next;
  }
  if (bases.length === 0 && kind === "Include") {
    return { problem: `no file matches the wildcard ${path} (IncludeOptional allows that)` };
  }
  return {
    paths: bases.flatMap((p) => (files.kind(p) === "directory" ? filesUnder(p, files) : [p])),
  };
}

/** Every file under a directory, sorted by name at each level, as httpd reads them. */
function filesUnder(dir: string, files: HttpdConfFiles): string[] {
  return files.readDir(dir).sort(compareNames).flatMap((name) => {
    const p = join(dir, name);
    const found = files.kind(p);
    return found === "directory" ? filesUnder(p, files) : found === "file" ? [p] : [];
  });
}

/** httpd sorts with strcmp: by code unit, not by locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Shell-style matching of one path component. */
function fnmatch(pattern: string, name: string): boolean {
  if (name.startsWith(".") && !pattern.startsWith(".")) return false;
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[" && pattern.indexOf("]", i + 2) !== -1) {
      const end = pattern.indexOf("]", i + 2);
      const body = pattern.slice(i + 1, end).replace(/^!/, "^").replace(/[\\\]]/g, "\\$&");
      source += `[${body}]`;
      i = end;
    } else source += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s").test(name);
}
