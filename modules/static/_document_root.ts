/**
 * The file system side of DocumentRoot: turning keys into paths, the symbolic-link policy,
 * and the mapping of file system errors to HTTP statuses.
 *
 * @module
 */

import { HttpError } from "../../server/http/mod.ts";
import { describeError } from "../../base/mod.ts";

const SEP = Deno.build.os === "windows" ? "\\" : "/";

/** One host's DocumentRoot with its `Options FollowSymLinks` setting. */
export class DocumentRoot {
  /** The configured root, as given (absolute, no trailing slash). */
  readonly path: string;
  readonly #followSymLinks: boolean;
  // The real root with a trailing separator; resolved when first needed and again whenever
  // a path seems to lie outside it.
  #realPrefix: string | null = null;

  /**
   * @param path Absolute DocumentRoot without a trailing slash.
   * @param followSymLinks Whether links may lead outside the root.
   */
  constructor(path: string, followSymLinks: boolean) {
    this.path = path;
    this.#followSymLinks = followSymLinks;
  }

  /** The file system path of a key (decoded, normalised, relative to the root). */
  pathOf(key: string): string {
    return key === "" ? this.path : `${this.path}/${key}`;
  }

  /**
   * Canonicalises `path` and applies the link policy: the root's, or `followSymLinks` as the
   * directory of `path` says.
   *
   * @returns The real path, for opening.
   * @throws {HttpError} 404 when it does not exist, 403 when it may not be reached (outside
   *   the root without FollowSymLinks, permission denied, a link loop). Other errors pass.
   */
  resolve(path: string, followSymLinks: boolean = this.#followSymLinks): string {
    let real: string;
    try {
      real = Deno.realPathSync(path);
    } catch (error) {
      throw toHttpError(error, path);
    }
    if (!followSymLinks && !this.contains(real)) {
      throw new HttpError(403, `Cannot serve ${path}: symbolic link leads outside DocumentRoot`);
    }
    return real;
  }

  /** Like {@link resolve}, but `null` where resolve would throw an `HttpError`. */
  tryResolve(path: string, followSymLinks: boolean = this.#followSymLinks): string | null {
    try {
      return this.resolve(path, followSymLinks);
    } catch (error) {
      if (error instanceof HttpError) return null;
      throw error;
    }
  }

  /** Whether a real path lies inside the (real) root. */
  contains(realPath: string): boolean {
    if (this.#realPrefix !== null && isUnder(realPath, this.#realPrefix)) return true;
    // The root itself may be a link that a deployment has just switched (`current` →
    // `releases/42`): before refusing, look at where it leads now.
    let real: string;
    try {
      real = Deno.realPathSync(this.path);
    } catch (error) {
      throw toHttpError(error, this.path);
    }
    this.#realPrefix = real.endsWith(SEP) ? real : real + SEP;
    return isUnder(realPath, this.#realPrefix);
  }
}

function isUnder(realPath: string, prefix: string): boolean {
  return realPath.startsWith(prefix) || realPath + SEP === prefix;
}

/**
 * Maps an expected file system error to an `HttpError` (404 for a missing file or a name too
 * long to exist, 403 for one we may not read or a link loop); returns any other error as is.
 *
 * @param error What a `Deno.*` file system call threw.
 * @param path For the error log.
 */
export function toHttpError(error: unknown, path: string): unknown {
  const reason = describeError(error);
  if (
    error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory ||
    (error instanceof Error && (error as { code?: unknown }).code === "ENAMETOOLONG")
  ) {
    return new HttpError(404, `Cannot find ${path}: ${reason}`, { cause: error });
  }
  if (
    error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.FilesystemLoop
  ) {
    return new HttpError(403, `Cannot read ${path}: ${reason}`, { cause: error });
  }
  return error;
}
