/**
 * The password-hash packages htpasswd entries are checked with, named in full (mpmd's modules
 * load under whatever import map the process has): bcryptjs for `$2y$`/`$2a$`/`$2b$` entries,
 * apache-md5 for Apache's `$apr1$` MD5. `deno.json` maps both to the same versions, for the
 * build's lockfile.
 *
 * @module
 */

export { default as bcrypt } from "npm:bcryptjs@3.0.3";
/**
 * The package is CommonJS: its default import is the function itself, which its type
 * declaration calls `default` (see `aprMd5()` in `_user_file.ts`).
 */
export { default as apacheMd5Module } from "npm:apache-md5@1.1.8";
