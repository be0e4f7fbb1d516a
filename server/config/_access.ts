/**
 * Per-path access sections (httpd's `<Directory>`, `<DirectoryMatch>`, `<Files>`,
 * `<FilesMatch>`, `<Location>`, `<LocationMatch>`) with what mpmd applies inside them:
 * mod_authz_core's `Require` (and its `RequireAll`, `RequireAny`, `RequireNone` containers),
 * mod_authz_host's `ip`, mod_authz_user's `valid-user` and `user`, and mod_auth_basic /
 * mod_authn_file's `AuthType Basic`, `AuthName`, `AuthUserFile`; and what a directory sets for
 * what it holds: Options, DirectoryIndex, AllowOverride. In YAML each is a map of
 * pattern → body; the httpd.conf reader builds the same maps from its sections.
 *
 * @module
 */

import { resolve } from "node:path";
import { didYouMeanHint } from "../../base/mod.ts";
import { parseAllowWord } from "./address_range.ts";
import {
  argsOf,
  checkRegExp,
  describeValue,
  type Directive,
  type DirectiveContext,
  DirectiveValueError,
} from "./directive.ts";
import { OPTIONS } from "./_options.ts";
import { DIRECTORY_INDEX } from "./_directory_index.ts";
import { parseAllowOverride } from "./allow_override.ts";
import type { AccessSection, PathSectionKind, Requirement } from "./server_config.ts";

/** The keys a section body may hold. */
const BODY_KEYS = [
  "Require",
  "AuthType",
  "AuthName",
  "AuthUserFile",
  "Options",
  "DirectoryIndex",
  "AllowOverride",
] as const;
/** The containers a Require list may hold. */
const CONTAINERS = { RequireAll: "all-of", RequireAny: "any", RequireNone: "none" } as const;
/** httpd's Require providers that mpmd does not implement, for a clear refusal. */
const OTHER_PROVIDERS = ["host", "env", "method", "expr", "group", "file-owner", "file-group"];
const PROVIDERS = ["all", "ip", "local", "valid-user", "user", "not"];

/**
 * Parses one `Require` line's words: `all granted|denied`, `[not] ip A …`, `[not] local`,
 * `valid-user`, `[not] user NAME …`.
 *
 * @throws {DirectiveValueError} naming what is wrong, with a hint for a misspelt provider.
 */
export function parseRequireLine(text: string): Requirement {
  const words = argsOf(text);
  const not = words[0]?.toLowerCase() === "not";
  const [provider = "", ...args] = not ? words.slice(1) : words;
  const kind = provider.toLowerCase();
  const refuse = (why: string) => new DirectiveValueError(`"Require ${text}": ${why}`);
  if (not && (kind === "all" || kind === "valid-user")) {
    throw refuse(`"not" applies to ip, local and user only`);
  }
  switch (kind) {
    case "all": {
      const [value = ""] = args;
      if (args.length !== 1 || !/^(granted|denied)$/i.test(value)) {
        throw refuse("all takes granted or denied");
      }
      return { kind: "all", granted: /^granted$/i.test(value) };
    }
    case "local":
    case "ip": {
      const words = kind === "local" ? ["local"] : args;
      if (words.length === 0) throw refuse("ip needs at least one address or range");
      const ranges = words.flatMap((word) => {
        const parsed = parseAllowWord(word);
        if (typeof parsed === "string") throw refuse(parsed);
        return [...parsed];
      });
      return { kind: "ip", ranges, not };
    }
    case "valid-user":
      if (args.length > 0) throw refuse("valid-user takes no arguments");
      return { kind: "valid-user" };
    case "user":
      if (args.length === 0) throw refuse("user needs at least one user name");
      return { kind: "user", names: args, not };
    default:
      if (OTHER_PROVIDERS.includes(kind)) {
        throw refuse(`mpmd does not implement Require ${kind} (it has ${PROVIDERS.join(", ")})`);
      }
      throw refuse(
        `${JSON.stringify(provider)} is not a Require provider${
          didYouMeanHint(provider, PROVIDERS)
        }`,
      );
  }
}

/** A Require value: a line, a list of lines and containers (any of them grants), a container. */
function parseRequire(value: unknown): Requirement {
  if (typeof value === "string") return parseRequireLine(value);
  if (Array.isArray(value)) {
    const rules = value.map(parseRequire);
    return rules.length === 1 ? rules[0]! : { kind: "any", rules };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    const [key, body] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined && key in CONTAINERS) {
      if (!Array.isArray(body) || body.length === 0) {
        throw new DirectiveValueError(`${key} holds a list of Require lines`);
      }
      return { kind: CONTAINERS[key as keyof typeof CONTAINERS], rules: body.map(parseRequire) };
    }
  }
  throw new DirectiveValueError(
    `${
      describeValue(value)
    } is not a Require line, a list of them, or one of RequireAll, RequireAny, RequireNone`,
  );
}

/**
 * A wildcard pattern (`*` and `?` within one path component, as httpd's `<Directory>`,
 * `<Files>` and `<Location>` take them) as regular expression source.
 */
export function wildcardSource(pattern: string): string {
  return pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(
    /\?/g,
    "[^/]",
  );
}

/**
 * What a `<Directory>` `match` (absolute, wildcards allowed) holds, as a regular expression to
 * test against a directory path followed by `/`: that directory and every one below it.
 */
export function directoryPattern(match: string): RegExp {
  return new RegExp(`^${wildcardSource(match.replace(/\/+$/, ""))}/`);
}

/** The sections' written forms, by kind: what a pattern is matched against. */
const PATTERN_OF: Readonly<Record<PathSectionKind, "path" | "name" | "url">> = {
  Directory: "path",
  DirectoryMatch: "path",
  Files: "name",
  FilesMatch: "name",
  Location: "url",
  LocationMatch: "url",
};

function parseSections(
  kind: PathSectionKind,
  value: unknown,
  ctx: DirectiveContext,
): AccessSection[] {
  // A list of maps writes two sections with the same pattern, as httpd.conf may.
  if (Array.isArray(value)) return value.flatMap((item) => parseSections(kind, item, ctx));
  if (value === null || typeof value !== "object") {
    throw new DirectiveValueError(
      `${describeValue(value)} is not a map of ${PATTERN_OF[kind]} patterns to sections`,
    );
  }
  return Object.entries(value).map(([written, body]) => {
    const regex = kind.endsWith("Match");
    if (regex) checkRegExp(written);
    else if (PATTERN_OF[kind] === "url" && !written.startsWith("/")) {
      throw new DirectiveValueError(`${JSON.stringify(written)} is not a URL path starting with /`);
    }
    const match = kind === "Directory" ? resolve(ctx.serverRoot, written) : written;
    return { kind, match, ...parseBody(kind, written, body, ctx) };
  });
}

function parseBody(
  kind: PathSectionKind,
  written: string,
  body: unknown,
  ctx: DirectiveContext,
): Omit<AccessSection, "kind" | "match"> {
  const where = `<${kind} ${written}>`;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new DirectiveValueError(`${where} holds ${describeValue(body)}, not a map of directives`);
  }
  return parseSectionBody(kind, body as Record<string, unknown>, ctx, `${where}: `);
}

/**
 * Parses what a section of `kind` holds, by directive name (YAML's keys; Require a line, a
 * list or a container, the others httpd argument text or YAML values).
 *
 * @param where Starts the messages of some refusals (`"<Directory /srv>: "`).
 * @throws {DirectiveValueError} for a directive a section cannot hold or a wrong value.
 */
export function parseSectionBody(
  kind: PathSectionKind,
  fields: Readonly<Record<string, unknown>>,
  ctx: DirectiveContext,
  where = "",
): Omit<AccessSection, "kind" | "match"> {
  for (const key of Object.keys(fields)) {
    if (/^ProxyPass(Match|Reverse)?$/.test(key)) {
      // httpd.conf's <Location> form has its YAML spelling at the host's level.
      throw new DirectiveValueError(
        `${where}write ${key} at the host's level with the path first (${key}: ["PATH URL"]), not in a section`,
      );
    }
    if (!(BODY_KEYS as readonly string[]).includes(key)) {
      throw new DirectiveValueError(
        `${where}mpmd implements ${BODY_KEYS.join(", ")} in a section, not ${key}${
          didYouMeanHint(key, BODY_KEYS)
        }`,
      );
    }
  }
  const text = (key: string): string | null => {
    const v = fields[key];
    if (v === undefined) return null;
    if (typeof v !== "string" || v.trim() === "") {
      throw new DirectiveValueError(`${where}${key} ${describeValue(v)} is not a word`);
    }
    return ctx.syntax === "httpd" ? argsOf(v).join(" ") : v;
  };
  const authType = text("AuthType");
  if (authType !== null && !/^(basic|none)$/i.test(authType)) {
    throw new DirectiveValueError(
      `${where}AuthType ${authType} is not Basic or None (mpmd implements Basic only)`,
    );
  }
  const userFile = text("AuthUserFile");
  for (const key of ["Options", "DirectoryIndex"] as const) {
    if (fields[key] !== undefined && kind !== "Directory" && kind !== "DirectoryMatch") {
      throw new DirectiveValueError(
        `${where}mpmd applies ${key} in a <Directory> or <DirectoryMatch> only`,
      );
    }
  }
  if (fields.AllowOverride !== undefined && kind !== "Directory") {
    throw new DirectiveValueError(
      `${where}AllowOverride is allowed only in a <Directory> without a regular expression, as in httpd`,
    );
  }
  const field = <T>(key: string, parse: (value: unknown) => T): T | null =>
    fields[key] === undefined ? null : parse(fields[key]);
  return {
    options: field("Options", (v) => OPTIONS.parse(v, ctx)),
    directoryIndex: field("DirectoryIndex", (v) => DIRECTORY_INDEX.parse(v, ctx)),
    allowOverride: field("AllowOverride", parseAllowOverride),
    require: field("Require", parseRequire),
    authType: authType === null ? null : /^basic$/i.test(authType) ? "Basic" : "None",
    authName: text("AuthName"),
    authUserFile: userFile === null ? null : resolve(ctx.serverRoot, userFile),
  };
}

function sectionDirective(
  kind: PathSectionKind,
  help: string,
): Directive<readonly AccessSection[]> {
  return {
    name: kind,
    help,
    default: [],
    parse: (value, ctx) => parseSections(kind, value, ctx),
    combine: (earlier, later) => [...earlier, ...later],
  };
}

/** The six section directives, by name. */
export const ACCESS_SECTIONS = {
  Directory: sectionDirective("Directory", "Access rules for a directory and what is below it"),
  DirectoryMatch: sectionDirective(
    "DirectoryMatch",
    "Access rules for the directories a regular expression matches",
  ),
  Files: sectionDirective("Files", "Access rules for files by name (wildcards * and ?)"),
  FilesMatch: sectionDirective(
    "FilesMatch",
    "Access rules for the files whose name a regular expression matches",
  ),
  Location: sectionDirective("Location", "Access rules for a URL path and what is below it"),
  LocationMatch: sectionDirective(
    "LocationMatch",
    "Access rules for the URL paths a regular expression matches",
  ),
} as const;
