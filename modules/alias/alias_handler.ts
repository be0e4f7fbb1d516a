/**
 * mod_alias's mappings: the first Alias whose URL path prefixes the request's, or AliasMatch
 * whose expression finds itself in it, serves the request from its file system path with the
 * host's static-file rules (types, index files, listings, precompressed siblings, the path
 * refusals); no match falls through to the host's other modules.
 *
 * @module
 */

import { basename, dirname } from "node:path";
import type { AliasRule, HostConfig } from "../../server/config/mod.ts";
import { errorResponse, type Handler, HttpError } from "../../server/http/mod.ts";
import { createFileServer, type FileServer, type StaticOptions } from "../static/mod.ts";
import { matchUrlPrefix } from "./redirect_handler.ts";

/** One rule, ready: its expression compiled, its target's directory served. */
interface ReadyAlias {
  readonly rule: AliasRule;
  readonly regex: RegExp | null;
  /** Serves the target directory (a file target: the directory holding it). */
  readonly serve: FileServer;
  /** The file a file target names, percent-encoded, or `null` for a directory. */
  readonly file: string | null;
  /** AliasMatch: the literal directory its substituted paths must stay under. */
  readonly base: string;
}

/**
 * The handler of a host's aliases, or `null` when it has none. Whether a prefix alias names a
 * file or a directory is looked up once, here (a target created later is served as a
 * directory).
 */
export function createAliasHandler(
  host: HostConfig,
  options: StaticOptions,
): Handler | null {
  if (host.aliases.length === 0) return null;
  const ready = host.aliases.map((rule): ReadyAlias => {
    if (rule.kind === "regex") {
      // Substituted paths are mapped under the directory of the target's literal start.
      const groupAt = rule.target.search(/\$\d/);
      const base = dirname(groupAt < 0 ? rule.target : `${rule.target.slice(0, groupAt)}x`);
      return {
        rule,
        regex: new RegExp(rule.match),
        serve: createFileServer({ ...host, documentRoot: base }, options),
        file: null,
        base,
      };
    }
    const isFile = isRegularFile(rule.target);
    const root = isFile ? dirname(rule.target) : rule.target;
    return {
      rule,
      regex: null,
      serve: createFileServer({ ...host, documentRoot: root }, options),
      file: isFile ? `/${encodeURIComponent(basename(rule.target))}` : null,
      base: root,
    };
  });
  return (request) => {
    const path = request.path;
    for (const alias of ready) {
      if (alias.regex !== null) {
        const match = alias.regex.exec(path);
        if (match === null) continue;
        const target = alias.rule.target.replace(
          /\$(\d)/g,
          (_, d: string) => match[Number(d)] ?? "",
        );
        // Groups hold the request's own (percent-encoded) text: the file server decodes it
        // and refuses any climb above the base.
        if (!target.startsWith(alias.base + "/") && target !== alias.base) {
          throw new HttpError(
            404,
            `Cannot map ${path}: AliasMatch target ${target} leaves ${alias.base}`,
          );
        }
        return alias.serve(request, target.slice(alias.base.length) || "/", null);
      }
      const end = matchUrlPrefix(path, alias.rule.match);
      if (end < 0) continue;
      if (alias.rule.kind === "script") {
        throw new HttpError(
          403,
          `Cannot run ${path}: mpmd runs no CGI programs (ScriptAlias ${alias.rule.match})`,
        );
      }
      const rest = path.slice(end);
      const mount = path.slice(0, end).replace(/\/+$/, "");
      if (alias.file !== null) {
        if (rest !== "" && rest !== "/") {
          throw new HttpError(404, `Cannot serve ${path}: ${alias.rule.target} is a file`);
        }
        return alias.serve(request, alias.file, mount);
      }
      // mod_dir: the directory itself only at its slash-terminated URL.
      if (rest === "") {
        const query = request.query === "" ? "" : `?${request.query}`;
        return errorResponse(301, [["Location", `${path}/${query}`]]);
      }
      return alias.serve(request, rest.startsWith("/") ? rest : `/${rest}`, mount);
    }
    return null;
  };
}

function isRegularFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
