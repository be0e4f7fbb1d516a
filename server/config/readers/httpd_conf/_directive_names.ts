/**
 * httpd's directive names as mpmd knows them: every directive mpmd implements (core and MPM),
 * found without regard to case as httpd does, plus httpd's old names for MPM directives.
 * Directives with their own handling in the reader (LoadModule, Include, …) are not here.
 *
 * @module
 */

// Not "../mod.ts": it re-exports this folder, which would make the two import each other.
import { MPM_DIRECTIVES } from "../../../../mpm/mod.ts";
import { HOST_DIRECTIVES, MPM_NAMES, SERVER_DIRECTIVES } from "../../mod.ts";
import { HTTPD_DIRECTIVE_NAMES, HTTPD_DIRECTIVE_SPELLINGS } from "../../httpd_syntax/mod.ts";

/** Names of the directives that belong to a host (and may appear in a `<VirtualHost>`). */
export const HOST_DIRECTIVE_NAMES: ReadonlySet<string> = new Set(Object.keys(HOST_DIRECTIVES));

/** Host directives that a `<Directory>` holding the DocumentRoot may set. */
export const DIRECTORY_DIRECTIVE_NAMES: ReadonlySet<string> = new Set([
  "Options",
  "DirectoryIndex",
  "AddType",
  "AddCharset",
  "AddDefaultCharset",
]);

/** httpd 2.2 names that httpd 2.4 still accepts for MPM directives. */
const OLD_NAMES: Readonly<Record<string, string>> = {
  maxclients: "MaxRequestWorkers",
  maxrequestsperchild: "MaxConnectionsPerChild",
};

/**
 * The lower-case name → the name spelled as mpmd's tables spell it. `MPM` is mpmd's YAML
 * key; httpd.conf chooses the MPM with LoadModule instead.
 */
const IMPLEMENTED: ReadonlyMap<string, string> = new Map([
  ...[
    ...Object.keys(SERVER_DIRECTIVES).filter((name) => name !== "MPM"),
    ...HOST_DIRECTIVE_NAMES,
    ...MPM_NAMES.flatMap((mpm) => MPM_DIRECTIVES[mpm].map((d) => d.name)),
  ].map((name): [string, string] => [name.toLowerCase(), name]),
  ...Object.entries(OLD_NAMES),
]);

/** The implemented directive that `written` names, in mpmd's spelling, or `null`. */
export function implementedName(written: string): string | null {
  return IMPLEMENTED.get(written.toLowerCase()) ?? null;
}

/** Every implemented name, for "did you mean" hints. */
export const IMPLEMENTED_NAMES: readonly string[] = [...new Set(IMPLEMENTED.values())];

/**
 * Whether httpd would know `written` with its own modules loaded: a directive of one of them,
 * or one mpmd implements (the MPMs of other platforms included).
 */
export function isHttpdDirective(written: string): boolean {
  return implementedName(written) !== null || HTTPD_DIRECTIVE_NAMES.has(written.toLowerCase());
}

/** What a misspelt name may have meant: mpmd's names first, then the rest of httpd's. */
export const KNOWN_NAMES: readonly string[] = [
  ...new Set([...IMPLEMENTED_NAMES, ...HTTPD_DIRECTIVE_SPELLINGS]),
];
