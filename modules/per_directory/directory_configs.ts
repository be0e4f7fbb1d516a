/**
 * What applies in one directory of a host, worked out as httpd's directory walk does: from `/`
 * down to the directory, each level's `<Directory>` sections (shorter paths first) and then,
 * where the AllowOverride in force is not None, that level's access files (`.htaccess`); then
 * the `<DirectoryMatch>` sections. Access files are read only from the DocumentRoot (or the
 * Alias target holding the directory) down. Each directory's result is kept (bounded) and
 * looked at again at most once per revalidation interval, as the static module keeps files;
 * so are the access files, whose stat (size, mtime, change time, inode) tells a change.
 *
 * @module
 */

import {
  type AccessSection,
  ALLOW_NO_OVERRIDE,
  type AllowOverride,
  directoryPattern,
  HOST_DIRECTIVES,
  type HostConfig,
  type RedirectRule,
  wildcardSource,
} from "../../server/config/mod.ts";
import {
  type AccessFileContent,
  type ModulesInEffect,
  parseAccessFile,
} from "../../server/config/httpd_syntax/mod.ts";
import { type Handler, HttpError } from "../../server/http/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import { describeError } from "../../base/mod.ts";
import { createRedirectHandler, type RedirectOptions } from "../alias/mod.ts";
import {
  DEFAULT_REVALIDATE_MS,
  NodeCache,
  sameStamp,
  type Stamp,
  statStamp,
} from "../static/mod.ts";

/** The access rules in force: each field the last section's (or access file's) that sets it. */
export type AccessRules = Pick<AccessSection, "require" | "authType" | "authName" | "authUserFile">;

/** A `<Files>` or `<FilesMatch>` section of an access file, its file name pattern compiled. */
export interface FilesSection {
  /** The section. */
  readonly section: AccessSection;
  /** What a file's name must match. */
  readonly name: RegExp;
}

/** What applies in one directory. */
export interface DirectoryConfig {
  /** `Options Indexes`. */
  readonly indexes: boolean;
  /** `Options FollowSymLinks`. */
  readonly followSymLinks: boolean;
  /** DirectoryIndex. */
  readonly directoryIndex: readonly string[];
  /** Require and Auth* of the Directory sections, access files and DirectoryMatch sections. */
  readonly access: AccessRules;
  /**
   * The `<Files>` and `<FilesMatch>` sections of the access files on the way, the shallowest
   * directory's first: they apply after the host's own.
   */
  readonly files: readonly FilesSection[];
  /** The redirects of the access files, the deepest directory's first (mod_alias's merge). */
  readonly redirect: Handler | null;
  /**
   * Why every request here fails: the first access file on the way that cannot be used, and
   * the status httpd answers for it; `null` when there is none.
   */
  readonly problem: AccessFileProblem | null;
}

/** An access file that cannot be used, and what a request under it is answered. */
export interface AccessFileProblem {
  /** 500 for a mistake in the file; 403 for a file that cannot be read (httpd's answers). */
  readonly status: 403 | 500;
  /** The file, the line of a mistake and the reason (`/srv/www/.htaccess:3: …`). */
  readonly reason: string;
}

/** Options of {@link DirectoryConfigs}. */
export interface DirectoryConfigsOptions {
  /** The directories access files are read from and below: DocumentRoot and Alias targets. */
  readonly roots: readonly string[];
  /** ServerRoot, which a relative AuthUserFile in an access file is under. */
  readonly serverRoot: string;
  /** The modules the server has, which an access file's `<IfModule>` tests. */
  readonly modules: ModulesInEffect;
  /** Where a mistake in an access file is logged, each time a request meets it. */
  readonly logger: Logger;
  /**
   * How long a directory's result and an access file are trusted before the access files are
   * stat'ed again.
   *
   * @default 1000
   */
  readonly revalidateMs?: number;
  /**
   * Bound on the directories (and, apart, the access files) remembered.
   *
   * @default 10000
   */
  readonly maxEntries?: number;
  /**
   * How an access file's redirect to a path on this host is written (UseCanonicalName).
   *
   * @default the path itself
   */
  readonly redirects?: RedirectOptions;
}

/** An access file as last read: its stamp and content; `null` content for no file. */
interface AccessFileEntry {
  readonly stamp: Stamp | null;
  readonly allowOverride: AllowOverride;
  readonly content: AccessFileContent | null;
  readonly problem: AccessFileProblem | null;
  checkedAt: number;
  hit: boolean;
  readonly bytes: 0;
}

interface DirectoryEntry {
  readonly config: DirectoryConfig;
  /** The access files it was made from, in order: the same objects mean the same result. */
  readonly sources: readonly AccessFileEntry[];
  checkedAt: number;
  hit: boolean;
  readonly bytes: 0;
}

/** What the walk carries from level to level. */
interface Walk {
  options: { indexes: boolean | null; followSymLinks: boolean | null };
  directoryIndex: readonly string[];
  access: AccessRules;
  allowOverride: AllowOverride;
  files: FilesSection[];
  redirects: RedirectRule[];
}

/** A host's per-directory configuration, worked out on demand and remembered. */
export class DirectoryConfigs {
  readonly #host: Pick<HostConfig, "indexes" | "followSymLinks" | "directoryIndex">;
  readonly #accessFileNames: readonly string[];
  /** Directory sections, shortest path first: each with its component count and pattern. */
  readonly #directories: readonly {
    readonly section: AccessSection;
    readonly depth: number;
    readonly holds: RegExp;
  }[];
  readonly #directoryMatches: readonly {
    readonly section: AccessSection;
    readonly regex: RegExp;
  }[];
  readonly #roots: readonly string[];
  readonly #serverRoot: string;
  readonly #modules: ModulesInEffect;
  readonly #logger: Logger;
  readonly #redirectOptions: RedirectOptions;
  readonly #revalidateMs: number;
  readonly #configs: NodeCache<DirectoryEntry>;
  readonly #files: NodeCache<AccessFileEntry>;

  /** The per-directory configuration of `host`. */
  constructor(
    host: Pick<
      HostConfig,
      "sections" | "indexes" | "followSymLinks" | "directoryIndex" | "accessFileNames"
    >,
    options: DirectoryConfigsOptions,
  ) {
    this.#host = host;
    this.#accessFileNames = host.accessFileNames;
    this.#directories = host.sections
      .filter((s) => s.kind === "Directory")
      .map((section) => ({
        section,
        depth: componentsOf(section.match).length,
        holds: directoryPattern(section.match),
      }))
      .sort((a, b) => a.depth - b.depth);
    this.#directoryMatches = host.sections
      .filter((s) => s.kind === "DirectoryMatch")
      .map((section) => ({ section, regex: new RegExp(section.match) }));
    this.#roots = options.roots;
    this.#serverRoot = options.serverRoot;
    this.#modules = options.modules;
    this.#logger = options.logger;
    this.#redirectOptions = options.redirects ?? {};
    this.#revalidateMs = options.revalidateMs ?? DEFAULT_REVALIDATE_MS;
    const limits = { maxEntries: options.maxEntries ?? 10_000, maxBytes: Infinity };
    this.#configs = new NodeCache(limits);
    this.#files = new NodeCache(limits);
  }

  /** What applies in `dir` (absolute, no trailing slash), as of `now`. */
  get(dir: string, now: number): DirectoryConfig {
    const entry = this.#configs.get(dir);
    if (entry !== undefined) {
      entry.hit = true;
      if (this.#fresh(entry.checkedAt, now)) return entry.config;
    }
    const sources: AccessFileEntry[] = [];
    const config = this.#build(dir, now, sources);
    if (entry !== undefined && sameSources(entry.sources, sources)) {
      entry.checkedAt = now;
      return entry.config;
    }
    this.#configs.set(dir, { config, sources, checkedAt: now, hit: false, bytes: 0 });
    return config;
  }

  /**
   * {@link get}, for serving a request: a directory under an access file that cannot be used
   * is logged and answered as httpd does: 500 for a mistake in it, 403 when it cannot be read.
   *
   * @throws {HttpError} naming the access file (its line) and the reason.
   */
  forRequest(dir: string, now: number): DirectoryConfig {
    const config = this.get(dir, now);
    if (config.problem === null) return config;
    const { status, reason } = config.problem;
    this.#logger.error(reason);
    throw new HttpError(status, `Cannot serve from ${dir}: ${reason}`);
  }

  #fresh(checkedAt: number, now: number): boolean {
    // A clock that stepped back counts as "window elapsed".
    return now - checkedAt < this.#revalidateMs && now >= checkedAt;
  }

  #build(dir: string, now: number, sources: AccessFileEntry[]): DirectoryConfig {
    const walk: Walk = {
      options: { indexes: this.#host.indexes, followSymLinks: this.#host.followSymLinks },
      directoryIndex: this.#host.directoryIndex,
      access: { require: null, authType: null, authName: null, authUserFile: null },
      allowOverride: ALLOW_NO_OVERRIDE,
      files: [],
      redirects: [],
    };
    const root = this.#rootOf(dir);
    const components = componentsOf(dir);
    let problem: AccessFileProblem | null = null;
    for (let depth = 0; depth <= components.length && problem === null; depth++) {
      for (const d of this.#directories) {
        if (d.depth === depth && d.holds.test(`${dir}/`)) {
          apply(walk, d.section);
        }
      }
      const level = `/${components.slice(0, depth).join("/")}`;
      if (root === null || walk.allowOverride.classes.length === 0 || !contains(root, level)) {
        continue;
      }
      for (const name of this.#accessFileNames) {
        const file = this.#accessFile(`${level === "/" ? "" : level}/${name}`, level, walk, now);
        sources.push(file);
        problem = file.problem;
        if (problem !== null) break;
        if (file.content === null) continue;
        apply(walk, file.content.section);
        walk.files.push(...file.content.files.map(filesSection));
        // A deeper directory's redirects are tried first, as mod_alias merges them.
        walk.redirects = [...file.content.redirects, ...walk.redirects];
      }
    }
    for (const { section, regex } of this.#directoryMatches) {
      if (regex.test(dir)) apply(walk, section);
    }
    return {
      indexes: walk.options.indexes ?? false,
      followSymLinks: walk.options.followSymLinks ?? false,
      directoryIndex: walk.directoryIndex,
      access: walk.access,
      files: walk.files,
      redirect: createRedirectHandler(walk.redirects, this.#redirectOptions),
      problem,
    };
  }

  /** The root holding `dir` that access files are read below: the longest. */
  #rootOf(dir: string): string | null {
    let best: string | null = null;
    for (const root of this.#roots) {
      if (contains(root, dir) && (best === null || root.length > best.length)) best = root;
    }
    return best;
  }

  /** The access file at `path`, read again only when its stat says it changed. */
  #accessFile(path: string, directory: string, walk: Walk, now: number): AccessFileEntry {
    const { allowOverride } = walk;
    const cached = this.#files.get(path);
    if (cached !== undefined && cached.allowOverride === allowOverride) {
      cached.hit = true;
      if (this.#fresh(cached.checkedAt, now)) return cached;
      if (sameStamp(statStamp(path), cached.stamp)) {
        cached.checkedAt = now;
        return cached;
      }
    }
    const entry = this.#readAccessFile(path, directory, allowOverride, now);
    this.#files.set(path, entry);
    return entry;
  }

  #readAccessFile(
    path: string,
    directory: string,
    allowOverride: AllowOverride,
    now: number,
  ): AccessFileEntry {
    const common = { allowOverride, checkedAt: now, hit: false, bytes: 0 } as const;
    const stamp = statStamp(path);
    if (stamp === null) {
      // A missing access file is the common case: remembered as such. One that is there but
      // is no file it can read answers 403, as httpd's "ensure it is readable" does.
      const why = whyNotReadable(path);
      const problem = why === null
        ? null
        : { status: 403 as const, reason: `${path}: Cannot read the access file: ${why}` };
      return { ...common, stamp, content: null, problem };
    }
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (error) {
      // Removed since the stat: as missing.
      if (error instanceof Deno.errors.NotFound) {
        return { ...common, stamp: null, content: null, problem: null };
      }
      // Unreadable, or a directory: httpd's "unable to check htaccess file, ensure it is
      // readable", and 403.
      const reason = `${path}: Cannot read the access file: ${describeError(error)}`;
      return { ...common, stamp, content: null, problem: { status: 403, reason } };
    }
    const result = parseAccessFile(text, {
      file: path,
      directory,
      allowOverride,
      serverRoot: this.#serverRoot,
      modules: this.#modules,
    });
    return result.ok ? { ...common, stamp, content: result.content, problem: null } : {
      ...common,
      stamp,
      content: null,
      problem: { status: 500, reason: `${path}:${result.line}: ${result.reason}` },
    };
  }
}

/** Why a path that is not a readable regular file is so, or `null` when there is none there. */
function whyNotReadable(path: string): string | null {
  try {
    return Deno.statSync(path).isFile ? null : "not a regular file";
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return null;
    }
    return describeError(error);
  }
}

/** Merges a section (or an access file's settings) into the walk, as httpd's merge does. */
function apply(walk: Walk, section: AccessSection): void {
  if (section.options !== null) {
    walk.options = HOST_DIRECTIVES.Options.combine!(walk.options, section.options, "later source");
  }
  walk.directoryIndex = section.directoryIndex ?? walk.directoryIndex;
  walk.allowOverride = section.allowOverride ?? walk.allowOverride;
  walk.access = {
    require: section.require ?? walk.access.require,
    authType: section.authType ?? walk.access.authType,
    authName: section.authName ?? walk.access.authName,
    authUserFile: section.authUserFile ?? walk.access.authUserFile,
  };
}

function filesSection(section: AccessSection): FilesSection {
  const name = section.kind === "Files"
    ? new RegExp(`^${wildcardSource(section.match)}$`)
    : new RegExp(section.match);
  return { section, name };
}

function sameSources(a: readonly AccessFileEntry[], b: readonly AccessFileEntry[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry === b[i]);
}

function componentsOf(path: string): string[] {
  return path.split("/").filter(Boolean);
}

function contains(dir: string, path: string): boolean {
  return dir === "/" || path === dir || path.startsWith(`${dir}/`);
}
