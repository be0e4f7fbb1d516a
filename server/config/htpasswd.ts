/**
 * The htpasswd format of mod_authn_file (`user:hash` per line, `#` comments), with the hash
 * schemes mpmd checks: bcrypt (`$2y$`, `$2a$`, `$2b$`), Apache's MD5 (`$apr1$`) and SHA-1
 * (`{SHA}`). Pure: the caller reads the file; the checks run in the access module.
 *
 * @module
 */

/** The hash schemes mpmd checks. */
export type PasswordScheme = "bcrypt" | "apr1" | "sha1";

/** A user file read: its users, and the lines it could not take. */
export interface Htpasswd {
  /** User → hash, as written. */
  readonly users: ReadonlyMap<string, { readonly scheme: PasswordScheme; readonly hash: string }>;
  /** 1-based line numbers with the reason each was left out. */
  readonly problems: readonly { readonly line: number; readonly detail: string }[];
}

/** The scheme a stored hash uses, or `null` for one mpmd does not check. */
export function passwordScheme(hash: string): PasswordScheme | null {
  if (/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) return "bcrypt";
  if (/^\$apr1\$[^$]{1,8}\$[./A-Za-z0-9]{22}$/.test(hash)) return "apr1";
  if (/^\{SHA\}[A-Za-z0-9+/]{27}=$/.test(hash)) return "sha1";
  return null;
}

/** Reads an htpasswd file's text; a line it cannot take is a problem, never a user. */
export function parseHtpasswd(text: string): Htpasswd {
  const users = new Map<string, { scheme: PasswordScheme; hash: string }>();
  const problems: { line: number; detail: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const colon = line.indexOf(":");
    if (colon <= 0) {
      problems.push({ line: index + 1, detail: "is not user:hash (make entries with htpasswd)" });
      return;
    }
    const user = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    const scheme = passwordScheme(hash);
    if (scheme === null) {
      problems.push({
        line: index + 1,
        detail: `has a password for ${
          JSON.stringify(user)
        } that mpmd cannot check (bcrypt, $apr1$ MD5 and {SHA} are checked: htpasswd -B makes bcrypt)`,
      });
      return;
    }
    if (users.has(user)) {
      problems.push({ line: index + 1, detail: `repeats user ${JSON.stringify(user)}` });
      return;
    }
    users.set(user, { scheme, hash });
  });
  return { users, problems };
}
