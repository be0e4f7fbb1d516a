/**
 * mod_alias's mappings: the first Alias whose URL path prefixes the request's, or AliasMatch
 * whose expression finds itself in it, serves the request from its file system path with the
 * host's static-file rules (types, index files, listings, precompressed siblings, the path
 * refusals); ScriptAlias answers 403 (no CGI); no match falls through to the host's other
 * modules.
 *
 * @module
 */

import type { HostConfig } from "../../server/config/mod.ts";
import { errorResponse, type Handler, HttpError } from "../../server/http/mod.ts";
import { createFileServer, type StaticOptions } from "../static/mod.ts";
import { AliasMap } from "./alias_map.ts";
import { selfLocation } from "../_self_reference.ts";

/** The handler of a host's aliases, or `null` when it has none. */
export function createAliasHandler(host: HostConfig, options: StaticOptions): Handler | null {
  const aliases = new AliasMap(host.aliases);
  if (aliases.empty) return null;
  // One file server per rule, over the directory the rule serves; what applies in each
  // directory under it comes from options.directoryOptions, as for the DocumentRoot.
  const servers = host.aliases.map((_, index) =>
    createFileServer({ ...host, documentRoot: aliases.rootOf(index) }, options)
  );
  const locationOf = selfLocation(host);
  return (request) => {
    const mapped = aliases.map(request.path);
    if (mapped === null) return null;
    const { rule, path, mount } = mapped;
    if (rule.kind === "script") {
      throw new HttpError(
        403,
        `Cannot run ${request.path}: mpmd runs no CGI programs (ScriptAlias ${rule.match})`,
      );
    }
    if (path === null) {
      throw new HttpError(404, `Cannot serve ${request.path}: no file under ${rule.target}`);
    }
    // mod_dir: a directory only at its slash-terminated URL.
    if (path === "") {
      const query = request.query === "" ? "" : `?${request.query}`;
      return errorResponse(301, [["Location", locationOf(request, `${request.path}/${query}`)]]);
    }
    return servers[mapped.index]!(request, path, mount);
  };
}
