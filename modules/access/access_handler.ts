/**
 * Access control as httpd 2.4 applies it: the sections that hold a request — `<Directory>`
 * (shortest first, each followed by its directory's access files where AllowOverride allows),
 * `<DirectoryMatch>`, `<Files>`, `<FilesMatch>`, `<Location>`, `<LocationMatch>`, each in the
 * order written — are merged, a later one's Require and Auth*
 * replacing an earlier one's; the Require tree is then decided for the client's address and,
 * when it asks for one, the user that Basic authentication proves. Granted: the next module
 * answers; else 401 with a challenge, or 403.
 *
 * @module
 */

import {
  type AccessSection,
  type AddressRange,
  type HostConfig,
  isAddressAllowed,
  parseAddressRange,
  type PathSectionKind,
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
import type { AccessRules, DirectoryConfig, DirectoryConfigs } from "../per_directory/mod.ts";
import { DEFAULT_REVALIDATE_MS, mapRequestPath } from "../static/mod.ts";
import { UserFile } from "./_user_file.ts";

/** What the sections holding one path add up to: each field the last section's that sets it. */
export type EffectiveAccess = AccessRules;

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

/** Where a request path leads: a directory and file name, and the decoded URL path. */
interface Place {
  readonly dir: string | null;
  readonly name: string | null;
  readonly url: string;
}

/** A Files, FilesMatch, Location or LocationMatch section ready to test a request. */
interface Matcher {
  readonly section: AccessSection;
  matches(at: Place): boolean;
}

/** What one request path comes to, remembered until its directory's configuration changes. */
export interface PathAccess {
  /** The access rules in force. */
  readonly access: EffectiveAccess;
  /** What applies in its directory, or `null` for a path that names none. */
  readonly directory: DirectoryConfig | null;
  /** It names an access file (AccessFileName), which is never served. */
  readonly accessFile: boolean;
}

interface Remembered extends PathAccess {
  readonly dir: string | null;
  checkedAt: number;
}

/** What {@link AccessSections} reads besides the host's sections. */
export interface AccessSectionsOptions {
  /** The host's aliases, so that a Directory section holds what an alias serves. */
  readonly aliases: AliasMap;
  /** The host's per-directory configuration (Directory, DirectoryMatch, access files). */
  readonly directories: DirectoryConfigs;
  /**
   * How long a path's result is trusted before its directory's configuration is asked again.
   *
   * @default 1000
   */
  readonly revalidateMs?: number;
}

/**
 * Works out which sections hold a request and what they add up to, once per path (remembered,
 * bounded, and looked at again when the directory's configuration may have changed): the
 * directory walk's result, then Files, FilesMatch, Location and LocationMatch in that order.
 */
export class AccessSections {
  /** The host's Files, then FilesMatch sections, each in the order written. */
  readonly #files: readonly Matcher[];
  /** The host's Location, then LocationMatch sections, each in the order written. */
  readonly #locations: readonly Matcher[];
  readonly #documentRoot: string;
  readonly #accessFileNames: readonly string[];
  readonly #aliases: AliasMap;
  readonly #directories: DirectoryConfigs;
  readonly #revalidateMs: number;
  readonly #byPath = new Map<string, Remembered>();

  /** The sections of `host`, mapped through its aliases and DocumentRoot. */
  constructor(
    host: Pick<HostConfig, "sections" | "documentRoot" | "accessFileNames">,
    options: AccessSectionsOptions,
  ) {
    this.#documentRoot = host.documentRoot;
    this.#accessFileNames = host.accessFileNames;
    this.#aliases = options.aliases;
    this.#directories = options.directories;
    this.#revalidateMs = options.revalidateMs ?? DEFAULT_REVALIDATE_MS;
    const matchers = (kinds: readonly PathSectionKind[]) =>
      kinds.flatMap((kind) => host.sections.filter((s) => s.kind === kind).map(matcherOf));
    this.#files = matchers(["Files", "FilesMatch"]);
    this.#locations = matchers(["Location", "LocationMatch"]);
  }

  /**
   * What the request path `path` (percent-encoded) comes to as of `now`.
   *
   * @throws {HttpError} 500 when an access file on the way has a mistake.
   */
  effective(path: string, now: number): PathAccess {
    const known = this.#byPath.get(path);
    if (known !== undefined) {
      // A clock that stepped back counts as "window elapsed".
      if (now - known.checkedAt < this.#revalidateMs && now >= known.checkedAt) return known;
      if (known.dir === null || this.#directories.forRequest(known.dir, now) === known.directory) {
        known.checkedAt = now;
        return known;
      }
    }
    if (this.#byPath.size >= MAX_REMEMBERED_PATHS) this.#byPath.clear();
    const at = this.#locate(path);
    const directory = at.dir === null ? null : this.#directories.forRequest(at.dir, now);
    let access: EffectiveAccess = directory?.access ??
      { require: null, authType: null, authName: null, authUserFile: null };
    const merge = (section: AccessSection) => {
      access = {
        require: section.require ?? access.require,
        authType: section.authType ?? access.authType,
        authName: section.authName ?? access.authName,
        authUserFile: section.authUserFile ?? access.authUserFile,
      };
    };
    // httpd's order after the directory walk: the host's Files sections, the access files'
    // (appended to the host's as httpd merges them), then Location sections.
    for (const { section, matches } of this.#files) if (matches(at)) merge(section);
    for (const { section, name } of directory?.files ?? []) {
      if (at.name !== null && name.test(at.name)) merge(section);
    }
    for (const { section, matches } of this.#locations) if (matches(at)) merge(section);
    const accessFile = at.name !== null && this.#accessFileNames.includes(at.name);
    const result = { access, directory, accessFile, dir: at.dir, checkedAt: now };
    this.#byPath.set(path, result);
    return result;
  }

  /** The directory, file name and decoded URL path a request path names. */
  #locate(path: string): Place {
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
  switch (kind) {
    case "Files": {
      const name = new RegExp(`^${wildcardSource(match)}$`);
      return { section, matches: (at) => at.name !== null && name.test(at.name) };
    }
    case "FilesMatch": {
      const regex = new RegExp(match);
      return { section, matches: (at) => at.name !== null && regex.test(at.name) };
    }
    case "Location": {
      // httpd's Location is a plain prefix of the URL path (`/private` holds `/privatex`).
      const prefix = new RegExp(`^${wildcardSource(match)}`);
      return { section, matches: (at) => prefix.test(at.url) };
    }
    default: {
      const regex = new RegExp(match);
      return { section, matches: (at) => regex.test(at.url) };
    }
  }
}

/** Options of {@link createAccessHandler}. */
export interface AccessOptions extends AccessSectionsOptions {
  /** Where failed authentications and unreadable user files are logged. */
  readonly logger: Logger;
}

/**
 * The handler of a host's access sections, or `null` when it has none: it answers 401 or 403
 * when the request may not go on, 403 for an access file's own name, 500 when an access file
 * on the way has a mistake, the redirect of an access file that matches, and `null` (next
 * module) otherwise.
 */
export function createAccessHandler(host: HostConfig, options: AccessOptions): Handler | null {
  // Names starting with .ht are refused by the path rules already.
  const hidden = host.accessFileNames.some((name) => !name.startsWith(".ht"));
  if (host.sections.length === 0 && !hidden) return null;
  const sections = new AccessSections(host, options);
  const compiled = new Map<Requirement, CompiledRequirement>();
  const userFiles = new Map<string, UserFile>();
  const logger = options.logger;
  const userFileAt = (path: string) => {
    let file = userFiles.get(path);
    if (file === undefined) userFiles.set(path, file = new UserFile(path, logger));
    return file;
  };
  return (request) => {
    const { access, directory, accessFile } = sections.effective(request.path, request.receivedAt);
    if (accessFile) {
      throw new HttpError(403, `Cannot serve ${request.path}: it is an access file`);
    }
    // As mod_alias's fixup: an access file's redirects answer once access is granted.
    const require = access.require;
    if (require === null) return directory?.redirect?.(request) ?? null;
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
    if (result === "granted") return directory?.redirect?.(request) ?? null;
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
