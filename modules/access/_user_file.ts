/**
 * An AuthUserFile (htpasswd) as mod_authn_file reads it: loaded on first use and again when
 * the file changes (checked at most once a second), each password checked in constant time
 * against its bcrypt, `$apr1$` MD5 or `{SHA}` hash. A credential that passed is remembered
 * until the file changes, so that a keep-alive client does not pay bcrypt on every request.
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";
import { type Htpasswd, parseHtpasswd } from "../../server/config/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import { apacheMd5Module, bcrypt } from "./_hash_packages.ts";

/** `$apr1$` MD5 of `password` with the salt of `hash`: apache-md5's one function. */
const aprMd5 = apacheMd5Module as unknown as (password: string, hash: string) => string;

/** How long a loaded file is trusted before its modification time is looked at again. */
const RECHECK_MS = 1000;
/** Credentials remembered as good, per file. */
const MAX_REMEMBERED = 1024;

/** One htpasswd file. */
export class UserFile {
  readonly #path: string;
  readonly #logger: Logger;
  #users: Htpasswd["users"] = new Map();
  #mtimeMs: number | null = null;
  #checkedAt = -Infinity;
  readonly #passed = new Set<string>();

  /** A user file at `path` (absolute); nothing is read until a password is checked. */
  constructor(path: string, logger: Logger) {
    this.#path = path;
    this.#logger = logger;
  }

  /** Whether `password` is `user`'s, as the file says now. */
  verify(user: string, password: string, now = Date.now()): boolean {
    this.#refresh(now);
    const key = `${user}\n${password}`;
    if (this.#passed.has(key)) return true;
    const entry = this.#users.get(user);
    if (entry === undefined) return false;
    const good = checkPassword(entry.scheme, entry.hash, password);
    if (good && this.#passed.size < MAX_REMEMBERED) this.#passed.add(key);
    return good;
  }

  #refresh(now: number): void {
    if (now - this.#checkedAt < RECHECK_MS && now >= this.#checkedAt) return;
    this.#checkedAt = now;
    let mtimeMs: number | null;
    try {
      mtimeMs = Deno.statSync(this.#path).mtime?.getTime() ?? null;
    } catch (error) {
      this.#logger.error(`Cannot read AuthUserFile ${this.#path}`, error);
      this.#users = new Map();
      this.#passed.clear();
      this.#mtimeMs = null;
      return;
    }
    if (mtimeMs !== null && mtimeMs === this.#mtimeMs) return;
    try {
      const { users, problems } = parseHtpasswd(Deno.readTextFileSync(this.#path));
      for (const p of problems) this.#logger.warn(`${this.#path}:${p.line}: ${p.detail}`);
      this.#users = users;
    } catch (error) {
      this.#logger.error(`Cannot read AuthUserFile ${this.#path}`, error);
      this.#users = new Map();
    }
    this.#passed.clear();
    this.#mtimeMs = mtimeMs;
  }
}

function checkPassword(scheme: string, hash: string, password: string): boolean {
  switch (scheme) {
    case "bcrypt":
      return bcrypt.compareSync(password, hash);
    case "apr1":
      return sameText(aprMd5(password, hash), hash);
    default:
      return sameText(`{SHA}${createHash("sha1").update(password).digest("base64")}`, hash);
  }
}

/** Constant-time comparison of two ASCII texts. */
function sameText(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
