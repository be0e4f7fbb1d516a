/**
 * Where mod_alias's rules map a request path in the file system: the first Alias, ScriptAlias
 * or AliasMatch that matches, the directory it serves, and the path under that directory. Used
 * by the alias handler to serve, and by the access module to find the file a request names.
 *
 * @module
 */

import { basename, dirname } from "node:path";
import type { AliasRule } from "../../server/config/mod.ts";
import { matchUrlPrefix } from "./redirect_handler.ts";

/** A request path as an alias maps it. */
export interface AliasMapping {
  /** The rule's index in the host's aliases. */
  readonly index: number;
  /** The rule that matched. */
  readonly rule: AliasRule;
  /** The directory served: an Alias's directory, a file target's directory, AliasMatch's base. */
  readonly root: string;
  /**
   * The percent-encoded path under {@link root} (`/a/b.png`); `""` for a directory alias asked
   * without its slash (to be redirected); `null` for nothing to serve (a path below a file).
   */
  readonly path: string | null;
  /** The URL path {@link root} is served at, or `null` (AliasMatch: no fixed prefix). */
  readonly mount: string | null;
}

interface Compiled {
  readonly rule: AliasRule;
  readonly regex: RegExp | null;
  readonly root: string;
  /** A file target's own name, percent-encoded (`/favicon.ico`), or `null`. */
  readonly file: string | null;
}

/**
 * A host's aliases, compiled once: regular expressions, and whether a prefix alias names a file
 * (looked up once; a target created later is taken for a directory).
 */
export class AliasMap {
  readonly #compiled: readonly Compiled[];

  /** Compiles `rules` (a host's aliases, in the order tried). */
  constructor(rules: readonly AliasRule[]) {
    this.#compiled = rules.map((rule) => {
      if (rule.kind === "regex") {
        // Substituted paths are mapped under the directory of the target's literal start, so
        // that a group cannot climb out of it.
        const groupAt = rule.target.search(/\$\d/);
        const root = dirname(groupAt < 0 ? rule.target : `${rule.target.slice(0, groupAt)}x`);
        return { rule, regex: new RegExp(rule.match), root, file: null };
      }
      const isFile = isRegularFile(rule.target);
      return {
        rule,
        regex: null,
        root: isFile ? dirname(rule.target) : rule.target,
        file: isFile ? `/${encodeURIComponent(basename(rule.target))}` : null,
      };
    });
  }

  /** The directory rule `index` serves. */
  rootOf(index: number): string {
    return this.#compiled[index]!.root;
  }

  /** Whether there are no aliases. */
  get empty(): boolean {
    return this.#compiled.length === 0;
  }

  /**
   * Where the first matching rule maps `path` (percent-encoded), or `null` for none. Rules are
   * matched against the path with its `.` and `..` segments resolved, as httpd resolves the URL
   * before mod_alias sees it (`/icons/../index.html` is no alias's); a path that climbs above
   * `/` is matched as sent, and the file server refuses it.
   */
  map(sent: string): AliasMapping | null {
    const path = removeDotSegments(sent);
    for (let index = 0; index < this.#compiled.length; index++) {
      const { rule, regex, root, file } = this.#compiled[index]!;
      if (regex !== null) {
        const match = regex.exec(path);
        if (match === null) continue;
        // Groups hold the request's own percent-encoded text: the file server decodes it and
        // refuses any climb above the root.
        const target = rule.target.replace(/\$(\d)/g, (_, d: string) => match[Number(d)] ?? "");
        const under = target.startsWith(`${root}/`) ? target.slice(root.length) : null;
        return { index, rule, root, path: under, mount: null };
      }
      const end = matchUrlPrefix(path, rule.match);
      if (end < 0) continue;
      const rest = path.slice(end);
      const mount = path.slice(0, end).replace(/\/+$/, "");
      if (file !== null) {
        return { index, rule, root, path: rest === "" || rest === "/" ? file : null, mount };
      }
      // `/icons` for `Alias /icons /dir` is the directory without its slash; for
      // `Alias /icons/ /dir/`, `/icons/` is the directory itself.
      const under = rest === ""
        ? (rule.match.endsWith("/") ? "/" : "")
        : rest.startsWith("/")
        ? rest
        : `/${rest}`;
      return { index, rule, root, path: under, mount };
    }
    return null;
  }
}

function isRegularFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * `path` with its literal `.` and `..` segments resolved (RFC 3986 section 5.2.4), or as
 * sent when a `..` would climb above the root.
 */
function removeDotSegments(path: string): string {
  if (!/(^|\/)\.\.?(\/|$)/.test(path)) return path;
  const out: string[] = [];
  const segments = path.split("/");
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === ".") {
      if (last) out.push("");
    } else if (segment === "..") {
      if (out.length === 0) return path;
      out.pop();
      if (last) out.push("");
    } else out.push(segment);
  }
  return `/${out.join("/")}`;
}
