/**
 * An access file (`.htaccess`) read as httpd reads one: httpd.conf's line syntax, each
 * directive checked against the AllowOverride in force where the file is. What mpmd takes in
 * one: AuthType, AuthName, AuthUserFile, Require and `<RequireAll/Any/None>` (AuthConfig);
 * Options (Options); DirectoryIndex (Indexes); Redirect, RedirectMatch, RedirectPermanent and
 * RedirectTemp (FileInfo); `<IfModule>`; `<Files>` and `<FilesMatch>` holding AuthConfig
 * directives, for the files of the directory and below. The first mistake ends the reading:
 * httpd then answers every request below the directory with 500, and so does mpmd. Pure: the
 * caller reads the file.
 *
 * @module
 */

import { didYouMeanHint } from "../../../base/mod.ts";
import {
  type AccessSection,
  type AllowOverride,
  argsOf,
  checkRegExp,
  type DirectiveContext,
  DirectiveValueError,
  HOST_DIRECTIVES,
  type OptionsValue,
  type OverrideClass,
  parseRequireLine,
  parseSectionBody,
  type RedirectRule,
  SERVER_DIRECTIVES,
} from "../mod.ts";
import { HTTPD_DIRECTIVE_NAMES } from "./httpd_directives.ts";
import { logicalLines, parseLine } from "./lines.ts";
import { hasModule, type ModulesInEffect } from "./modules.ts";

/** Where an access file is and what it may set. */
export interface AccessFileOptions {
  /** Its path, as messages name it. */
  readonly file: string;
  /** The absolute directory it is in, which its settings hold. */
  readonly directory: string;
  /** The AllowOverride in force in that directory. */
  readonly allowOverride: AllowOverride;
  /** ServerRoot, which a relative AuthUserFile is under (as in httpd). */
  readonly serverRoot: string;
  /** The modules the server has, which `<IfModule>` tests. */
  readonly modules: ModulesInEffect;
}

/** What an access file sets. */
export interface AccessFileContent {
  /** Its settings, as a `<Directory>` section of its directory would hold them. */
  readonly section: AccessSection;
  /** Its `<Files>` and `<FilesMatch>` sections, in the order written. */
  readonly files: readonly AccessSection[];
  /** Its redirects, in the order written. */
  readonly redirects: readonly RedirectRule[];
}

/** An access file read: its content, or the first mistake in it (which answers 500). */
export type AccessFileResult =
  | { readonly ok: true; readonly content: AccessFileContent }
  | { readonly ok: false; readonly line: number; readonly reason: string };

/** The directives mpmd takes in an access file, by lower-case name, with their class. */
const TAKEN: Readonly<Record<string, { readonly name: string; readonly class: OverrideClass }>> = {
  authtype: { name: "AuthType", class: "AuthConfig" },
  authname: { name: "AuthName", class: "AuthConfig" },
  authuserfile: { name: "AuthUserFile", class: "AuthConfig" },
  require: { name: "Require", class: "AuthConfig" },
  options: { name: "Options", class: "Options" },
  directoryindex: { name: "DirectoryIndex", class: "Indexes" },
  redirect: { name: "Redirect", class: "FileInfo" },
  redirectmatch: { name: "RedirectMatch", class: "FileInfo" },
  redirectpermanent: { name: "RedirectPermanent", class: "FileInfo" },
  redirecttemp: { name: "RedirectTemp", class: "FileInfo" },
};
const TAKEN_NAMES = Object.values(TAKEN).map((d) => d.name);

/** The Require containers by lower-case tag name. */
const CONTAINERS: Readonly<Record<string, string>> = {
  requireall: "RequireAll",
  requireany: "RequireAny",
  requirenone: "RequireNone",
};

/** mpmd's own directive names (`Health`, `App`, …), lower-case: known, if not taken here. */
const MPMD_NAMES: ReadonlySet<string> = new Set(
  [...Object.keys(SERVER_DIRECTIVES), ...Object.keys(HOST_DIRECTIVES)].map((n) => n.toLowerCase()),
);

/** mod_access_compat's directives, which mpmd answers with a pointer to Require. */
const ACCESS_COMPAT = new Set(["order", "allow", "deny", "satisfy"]);

/** Thrown inside the reader for the first mistake; never leaves this file. */
class Mistake extends Error {
  constructor(readonly line: number, reason: string) {
    super(reason);
  }
}

/** What a section body (the file's own, or a `<Files>` section's) gathers of AuthConfig. */
type Body = {
  Require?: unknown[];
  AuthType?: string;
  AuthName?: string;
  AuthUserFile?: string;
};

/**
 * An open section: a Require container (its list), a `<Files>`/`<FilesMatch>` section (its
 * body, pattern and kind), or an `<IfModule>` being read.
 */
interface Open {
  readonly name: string;
  readonly line: number;
  readonly list: unknown[] | null;
  readonly files: { readonly kind: "Files" | "FilesMatch"; readonly match: string } | null;
  readonly body: Body;
}

/** Reads an access file's text for the directory it is in. */
export function parseAccessFile(text: string, options: AccessFileOptions): AccessFileResult {
  try {
    return { ok: true, content: new Reader(options).read(text) };
  } catch (e) {
    if (!(e instanceof Mistake)) throw e;
    return { ok: false, line: e.line, reason: e.message };
  }
}

/** One reading of an access file: what it has gathered so far. */
class Reader {
  readonly #options: AccessFileOptions;
  readonly #body: Body = {};
  #settings: Pick<AccessSection, "options" | "directoryIndex"> = {
    options: null,
    directoryIndex: null,
  };
  readonly #redirects: RedirectRule[] = [];
  readonly #files: AccessSection[] = [];
  readonly #open: Open[] = [];

  constructor(options: AccessFileOptions) {
    this.#options = options;
  }

  read(text: string): AccessFileContent {
    const lines = logicalLines(text);
    for (let i = 0; i < lines.length; i++) {
      const { line, text } = lines[i]!;
      const parsed = parseLine(text);
      if (parsed.kind === "error") throw new Mistake(line, parsed.detail);
      if (parsed.kind === "close") this.#close(parsed.name, line);
      else if (parsed.kind === "directive") this.#directive(parsed.name, parsed.args, line);
      else if (!this.#enter(parsed.name, parsed.args, line)) {
        i = skipSection(lines, i, parsed.name);
      }
    }
    const unclosed = this.#open.at(-1);
    if (unclosed !== undefined) {
      throw new Mistake(unclosed.line, `<${unclosed.name}> is not closed`);
    }
    const access = parseSectionBody("Directory", this.#body, this.#ctxAt(1));
    return {
      section: {
        ...access,
        ...this.#settings,
        kind: "Directory",
        match: this.#options.directory,
        allowOverride: null,
      },
      files: this.#files,
      redirects: this.#redirects,
    };
  }

  #ctxAt(line: number): DirectiveContext {
    const origin = `${this.#options.file}:${line}`;
    return {
      serverRoot: this.#options.serverRoot,
      syntax: "httpd",
      origin,
      itemOrigin: () => origin,
    };
  }

  /** The body the lines now read go to: the innermost `<Files>`'s, or the file's own. */
  get #target(): Body {
    return this.#open.at(-1)?.body ?? this.#body;
  }

  /** Opens a section; `false` for an `<IfModule>` that does not hold (its lines are skipped). */
  #enter(name: string, args: string, line: number): boolean {
    const lower = name.toLowerCase();
    const inner = this.#open.at(-1);
    const body = this.#target;
    const container = CONTAINERS[lower];
    if (lower === "ifmodule") {
      if (!moduleLoaded(this.#options.modules, args, line)) return false;
      this.#open.push({ name, line, list: null, files: null, body });
    } else if (container !== undefined) {
      allowed(this.#options.allowOverride, "AuthConfig", `<${name}>`, line);
      const list: unknown[] = [];
      (inner?.list ?? (body.Require ??= [])).push({ [container]: list });
      this.#open.push({ name, line, list, files: null, body });
    } else if (lower === "files" || lower === "filesmatch") {
      if (this.#open.some((o) => o.files !== null || o.list !== null)) {
        throw new Mistake(line, `<${name}> cannot be inside <${inner!.name}>`);
      }
      const words = argsOf(args);
      const regex = lower === "filesmatch" || (words.length === 2 && words[0] === "~");
      if (words.length !== (lower === "files" && regex ? 2 : 1)) {
        throw new Mistake(line, `<${name}> takes one file name or pattern`);
      }
      const files = { kind: regex ? "FilesMatch" : "Files", match: words.at(-1)! } as const;
      if (regex) this.#checked(`<${name}>`, args, line, () => checkRegExp(files.match));
      this.#open.push({ name, line, list: null, files, body: {} });
    } else {
      throw new Mistake(
        line,
        `<${name}> is not supported in an access file by mpmd (it takes <IfModule>, <Files>, <FilesMatch>, <RequireAll>, <RequireAny>, <RequireNone>)`,
      );
    }
    return true;
  }

  #close(name: string, line: number): void {
    const inner = this.#open.pop();
    if (inner === undefined || inner.name.toLowerCase() !== name.toLowerCase()) {
      throw new Mistake(line, `</${name}> closes no open <${name}>`);
    }
    if (inner.list !== null && inner.list.length === 0) {
      throw new Mistake(inner.line, `<${inner.name}> holds no Require line`);
    }
    if (inner.files !== null) {
      const { kind, match } = inner.files;
      const access = this.#checked(
        `<${inner.name}>`,
        match,
        inner.line,
        () => parseSectionBody(kind, inner.body, this.#ctxAt(inner.line)),
      );
      this.#files.push({ ...access, kind, match });
    }
  }

  #directive(name: string, args: string, line: number): void {
    const taken = TAKEN[name.toLowerCase()];
    if (taken === undefined) throw new Mistake(line, notTaken(name));
    const { allowOverride } = this.#options;
    allowed(allowOverride, taken.class, taken.name, line);
    const inner = this.#open.at(-1);
    if (inner?.list && taken.name !== "Require") {
      throw new Mistake(
        line,
        `${taken.name} cannot be inside <${inner.name}>: it holds Require lines`,
      );
    }
    if (taken.class !== "AuthConfig" && this.#open.some((o) => o.files !== null)) {
      throw new Mistake(
        line,
        `${taken.name} cannot be inside <${inner!.name}>: mpmd applies only AuthConfig there`,
      );
    }
    const ctx = this.#ctxAt(line);
    const body = this.#target;
    this.#checked(taken.name, args, line, () => {
      if (taken.class === "FileInfo") {
        this.#redirects.push(...HOST_DIRECTIVES[taken.name as "Redirect"].parse(args, ctx));
      } else if (taken.name === "Require") {
        parseRequireLine(args);
        (inner?.list ?? (body.Require ??= [])).push(args);
      } else if (taken.class === "AuthConfig") {
        // Checked on its own, so that a mistake names its line.
        parseSectionBody("Directory", { [taken.name]: args }, ctx);
        body[taken.name as "AuthType"] = args;
      } else {
        const own = parseSectionBody("Directory", { [taken.name]: args }, ctx);
        if (own.options !== null) checkOptions(own.options, allowOverride, line);
        this.#settings = mergeSettings(this.#settings, own);
      }
    });
  }

  /** Runs `check`, turning a value's refusal into the mistake of `what args` at `line`. */
  #checked<T>(what: string, args: string, line: number, check: () => T): T {
    try {
      return check();
    } catch (e) {
      if (!(e instanceof DirectiveValueError)) throw e;
      throw new Mistake(line, `${what} ${args}: ${e.message}`);
    }
  }
}

/** Why a directive mpmd does not take is refused, in httpd's words where httpd has them. */
function notTaken(name: string): string {
  const lower = name.toLowerCase();
  if (ACCESS_COMPAT.has(lower)) {
    return `${name} is mod_access_compat's, which mpmd does not support: write Require lines (AllowOverride AuthConfig)`;
  }
  if (!HTTPD_DIRECTIVE_NAMES.has(lower) && !MPMD_NAMES.has(lower)) {
    return `Invalid command '${name}', perhaps misspelled or defined by a module not included in the server configuration${
      didYouMeanHint(name, TAKEN_NAMES)
    }`;
  }
  return `mpmd does not support ${name} in an access file (it takes ${TAKEN_NAMES.join(", ")})`;
}

/** Refuses a directive whose class the AllowOverride in force leaves out, as httpd words it. */
function allowed(
  allowOverride: AllowOverride,
  overrideClass: OverrideClass,
  name: string,
  line: number,
): void {
  if (!allowOverride.classes.includes(overrideClass)) {
    throw new Mistake(
      line,
      `${name} not allowed here (AllowOverride lets access files here hold ${
        allowOverride.classes.join(", ")
      }, not ${overrideClass})`,
    );
  }
}

/** Refuses an Options line that sets an option AllowOverride's `Options=` leaves out. */
function checkOptions(options: OptionsValue, allowOverride: AllowOverride, line: number): void {
  for (const name of ["indexes", "followSymLinks"] as const) {
    if (options[name] !== null && !allowOverride.options.includes(name)) {
      const written = name === "indexes" ? "Indexes" : "FollowSymLinks";
      throw new Mistake(line, `Option ${written} not allowed here`);
    }
  }
}

/** Options lines adjust one another; DirectoryIndex lines add up (`disabled` clears). */
function mergeSettings(
  earlier: Pick<AccessSection, "options" | "directoryIndex">,
  later: Pick<AccessSection, "options" | "directoryIndex">,
): Pick<AccessSection, "options" | "directoryIndex"> {
  const Options = HOST_DIRECTIVES.Options;
  return {
    options: later.options === null ? earlier.options : Options.combine!(
      earlier.options ?? { indexes: null, followSymLinks: null },
      later.options,
      "same source",
    ),
    directoryIndex: later.directoryIndex === null
      ? earlier.directoryIndex
      : later.directoryIndex.length === 0
      ? []
      : [...(earlier.directoryIndex ?? []), ...later.directoryIndex],
  };
}

/** Whether an `<IfModule>` holds: a module the server has (`!` negates). */
function moduleLoaded(modules: ModulesInEffect, args: string, line: number): boolean {
  let words: string[];
  try {
    words = argsOf(args);
  } catch (e) {
    if (!(e instanceof DirectiveValueError)) throw e;
    words = [];
  }
  const [word, ...extra] = words;
  const m = word === undefined || extra.length > 0 ? null : /^(!?)(\S+)$/.exec(word);
  if (m === null) throw new Mistake(line, '<IfModule> takes a module name, optionally after "!"');
  return hasModule(modules, m[2]!) !== (m[1] === "!");
}

/** The index of the line closing the section opened at `start`. */
function skipSection(
  lines: readonly { readonly line: number; readonly text: string }[],
  start: number,
  name: string,
): number {
  let depth = 0;
  for (let i = start + 1; i < lines.length; i++) {
    const parsed = parseLine(lines[i]!.text);
    if (parsed.kind === "open") depth++;
    else if (parsed.kind === "close" && depth-- === 0) return i;
  }
  throw new Mistake(lines[start]!.line, `<${name}> is not closed`);
}
