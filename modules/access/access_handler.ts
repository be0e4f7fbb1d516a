/**
 * Access control as httpd 2.4 applies it: the sections that hold a request — `<Directory>`
 * (shortest first), `<DirectoryMatch>`, `<Files>`, `<FilesMatch>`, `<Location>`,
 * `<LocationMatch>`, each in the order written — are merged, a later one's Require and Auth*
 * replacing an earlier one's; the Require tree is then decided for the client's address and,
 * when it asks for one, the user that Basic authentication proves. Granted: the next module
 * answers; else 401 with a challenge, or 403.
 *
 * @module
 */

import {
  type AccessSection,
  type AddressRange,
  directoryPattern,
  type HostConfig,
  isAddressAllowed,
  parseAddressRange,
  type Requirement,
  wildcardSource,
} from "../../server/config/mod.ts";
import {
  errorResponse,
  type Handler,
  HttpError,
  type ServerRequest,
} from "../../server/http/mod.ts";
import { basicCredentials, type Logger } from "../../server/log/mod.ts";
import type { AliasMap } from "../alias/mod.ts";
import { mapRequestPath } from "../static/mod.ts";
import { UserFile } from "./_user_file.ts";

/** What the sections holding one path add up to: each field the last section's that sets it. */
export type EffectiveAccess = Pick<
  AccessSection,
  "require" | "authType" | "authName" | "authUserFile"
>;

/** The outcome of a Require tree (mod_authz_core's, without its "general error"). */
export type AuthzResult = "granted" | "denied" | "neutral" | "needs-user";

/** What a requirement is decided on. */
export interface AuthzSubject {
  /** The client's address. */
  readonly address: string;
  /** The authenticated user, or `null` for none. */
  readonly user: string | null;
}

/** A requirement with its address ranges parsed once. */
export type CompiledRequirement =
  | Exclude<Requirement, { kind: "ip" } | { kind: "any" | "all-of" | "none" }>
  | { readonly kind: "ip"; readonly ranges: readonly AddressRange[]; readonly not: boolean }
  | { readonly kind: "any" | "all-of" | "none"; readonly rules: readonly CompiledRequirement[] };

/** Parses the address ranges of a requirement once. */
export function compileRequirement(rule: Requirement): CompiledRequirement {
  switch (rule.kind) {
    case "ip":
      return {
        kind: "ip",
        not: rule.not,
        ranges: rule.ranges.map((r) => parseAddressRange(r) as AddressRange),
      };
    case "any":
    case "all-of":
    case "none":
      return { kind: rule.kind, rules: rule.rules.map(compileRequirement) };
    default:
      return rule;
  }
}

/**
 * Decides a requirement as mod_authz_core does: a negated line that does not match is
 * neutral; RequireAny grants if one child grants, RequireAll denies if one denies and grants
 * if one grants, RequireNone denies if one grants; a user requirement without a user asks for
 * one.
 */
export function decide(rule: CompiledRequirement, subject: AuthzSubject): AuthzResult {
  switch (rule.kind) {
    case "all":
      return rule.granted ? "granted" : "denied";
    case "ip": {
      const inside = isAddressAllowed(subject.address, rule.ranges);
      if (rule.not) return inside ? "denied" : "neutral";
      return inside ? "granted" : "denied";
    }
    case "valid-user":
      return subject.user === null ? "needs-user" : "granted";
    case "user": {
      if (subject.user === null) return "needs-user";
      const named = rule.names.includes(subject.user);
      if (rule.not) return named ? "denied" : "neutral";
      return named ? "granted" : "denied";
    }
    case "any": {
      const results = rule.rules.map((r) => decide(r, subject));
      if (results.includes("granted")) return "granted";
      if (results.includes("needs-user")) return "needs-user";
      return results.includes("denied") ? "denied" : "neutral";
    }
    case "all-of": {
      const results = rule.rules.map((r) => decide(r, subject));
      if (results.includes("denied")) return "denied";
      if (results.includes("needs-user")) return "needs-user";
      return results.includes("granted") ? "granted" : "neutral";
    }
    case "none": {
      const results = rule.rules.map((r) => decide(r, subject));
      if (results.includes("granted")) return "denied";
      return results.includes("needs-user") ? "needs-user" : "neutral";
    }
  }
}

/** Paths remembered with their merged access; past this the map starts again. */
const MAX_REMEMBERED_PATHS = 4096;

/** The order httpd applies sections in. */
const ORDER = ["Directory", "DirectoryMatch", "Files", "FilesMatch", "Location", "LocationMatch"];

/** A section ready to test a request. */
interface Matcher {
  readonly section: AccessSection;
  /** `Directory`: how many components its path has (the shorter applies first). */
  readonly depth: number;
  matches(
    at: { readonly dir: string | null; readonly name: string | null; readonly url: string },
  ): boolean;
}

/**
 * Works out which sections hold a request and what they add up to, once per path (remembered,
 * bounded): pure but for the file system path, which the host's aliases and DocumentRoot give.
 */
export class AccessSections {
  readonly #matchers: readonly Matcher[];
  readonly #documentRoot: string;
  readonly #aliases: AliasMap;
  readonly #byPath = new Map<string, EffectiveAccess>();

  /** The sections of `host`, mapped through its aliases and DocumentRoot. */
  constructor(host: Pick<HostConfig, "sections" | "documentRoot">, aliases: AliasMap) {
    this.#documentRoot = host.documentRoot;
    this.#aliases = aliases;
    const matchers = host.sections.map(matcherOf);
    // Directory sections apply shortest path first; everything else in the order written.
    this.#matchers = matchers.map((m, i) => ({ m, i })).sort((a, b) =>
      ORDER.indexOf(a.m.section.kind) - ORDER.indexOf(b.m.section.kind) ||
      (a.m.section.kind === "Directory" ? a.m.depth - b.m.depth : 0) || a.i - b.i
    ).map(({ m }) => m);
  }

  /** What the sections holding the request path `path` (percent-encoded) add up to. */
  effective(path: string): EffectiveAccess {
    const known = this.#byPath.get(path);
    if (known !== undefined) return known;
    if (this.#byPath.size >= MAX_REMEMBERED_PATHS) this.#byPath.clear();
    const at = this.#locate(path);
    let result: EffectiveAccess = {
      require: null,
      authType: null,
      authName: null,
      authUserFile: null,
    };
    for (const { section, matches } of this.#matchers) {
      if (!matches(at)) continue;
      result = {
        require: section.require ?? result.require,
        authType: section.authType ?? result.authType,
        authName: section.authName ?? result.authName,
        authUserFile: section.authUserFile ?? result.authUserFile,
      };
    }
    this.#byPath.set(path, result);
    return result;
  }

  /** The directory, file name and decoded URL path a request path names. */
  #locate(path: string): { dir: string | null; name: string | null; url: string } {
    const url = mapRequestPath(path);
    const decoded = url.ok ? `/${url.key}${url.trailingSlash && url.key !== "" ? "/" : ""}` : path;
    const alias = this.#aliases.map(path);
    const root = alias === null ? this.#documentRoot : alias.root;
    const under = alias === null ? path : alias.path;
    if (under === null || under === "") return { dir: null, name: null, url: decoded };
    const file = mapRequestPath(under);
    if (!file.ok) return { dir: null, name: null, url: decoded };
    const full = file.key === "" ? root : `${root}/${file.key}`;
    // A path naming a directory is that directory; a file lies in its parent.
    if (file.trailingSlash) return { dir: full, name: null, url: decoded };
    const slash = full.lastIndexOf("/");
    return { dir: full.slice(0, slash) || "/", name: full.slice(slash + 1), url: decoded };
  }
}

function matcherOf(section: AccessSection): Matcher {
  const { kind, match } = section;
  const depth = match.split("/").filter(Boolean).length;
  switch (kind) {
    case "Directory": {
      const holds = directoryPattern(match);
      return { section, depth, matches: (at) => at.dir !== null && holds.test(`${at.dir}/`) };
    }
    case "DirectoryMatch": {
      const regex = new RegExp(match);
      return { section, depth, matches: (at) => at.dir !== null && regex.test(at.dir) };
    }
    case "Files": {
      const name = new RegExp(`^${wildcardSource(match)}$`);
      return { section, depth, matches: (at) => at.name !== null && name.test(at.name) };
    }
    case "FilesMatch": {
      const regex = new RegExp(match);
      return { section, depth, matches: (at) => at.name !== null && regex.test(at.name) };
    }
    case "Location": {
      // httpd's Location is a plain prefix of the URL path (`/private` holds `/privatex`).
      const prefix = new RegExp(`^${wildcardSource(match)}`);
      return { section, depth, matches: (at) => prefix.test(at.url) };
    }
    case "LocationMatch": {
      const regex = new RegExp(match);
      return { section, depth, matches: (at) => regex.test(at.url) };
    }
  }
}

/** Options of {@link createAccessHandler}. */
export interface AccessOptions {
  /** Where failed authentications and unreadable user files are logged. */
  readonly logger: Logger;
  /** The host's aliases, so that a Directory section holds what an alias serves. */
  readonly aliases: AliasMap;
}

/**
 * The handler of a host's access sections, or `null` when it has none: it answers 401 or 403
 * when the request may not go on, and `null` (next module) when it may.
 */
export function createAccessHandler(host: HostConfig, options: AccessOptions): Handler | null {
  if (host.sections.length === 0) return null;
  const sections = new AccessSections(host, options.aliases);
  const compiled = new Map<Requirement, CompiledRequirement>();
  const userFiles = new Map<string, UserFile>();
  const logger = options.logger;
  const userFileAt = (path: string) => {
    let file = userFiles.get(path);
    if (file === undefined) userFiles.set(path, file = new UserFile(path, logger));
    return file;
  };
  return (request) => {
    const access = sections.effective(request.path);
    const require = access.require;
    if (require === null) return null;
    let rule = compiled.get(require);
    if (rule === undefined) compiled.set(require, rule = compileRequirement(require));
    const address = request.remote.hostname;
    let result = decide(rule, { address, user: null });
    if (result === "needs-user") {
      const basic = access.authType === "Basic" && access.authUserFile !== null;
      const user = basic
        ? authenticatedUser(request, userFileAt(access.authUserFile!), logger)
        : null;
      if (user !== null) result = decide(rule, { address, user });
      if (result === "needs-user") {
        if (!basic) {
          throw new HttpError(
            500,
            `Cannot check ${request.path}: its Require needs a user, and no AuthType Basic with an AuthUserFile applies`,
          );
        }
        const realm = (access.authName ?? "").replace(/["\\]/g, "\\$&");
        return errorResponse(401, [["WWW-Authenticate", `Basic realm="${realm}"`]]);
      }
    }
    if (result === "granted") return null;
    throw new HttpError(
      403,
      `Cannot serve ${request.path} to ${address}: access denied by Require`,
    );
  };
}

/** The user a Basic `Authorization` field proves, or `null` (none sent, or a wrong password). */
function authenticatedUser(request: ServerRequest, file: UserFile, logger: Logger): string | null {
  const credentials = basicCredentials(request.headers.get("authorization"));
  if (credentials === null) return null;
  const { user, password } = credentials;
  if (file.verify(user, password)) return user;
  logger.info(
    `user ${
      JSON.stringify(user)
    } from ${request.remote.hostname}: authentication failure for ${request.path}`,
  );
  return null;
}
