/**
 * mod_dir's DirectoryIndex: the file names tried for a request that maps to a directory, or
 * `disabled` for none. A host sets it, and so may a `<Directory>` for what it holds.
 *
 * @module
 */

import { type Directive, list } from "./directive.ts";

/** A file name: no slash, backslash or control character. */
// deno-lint-ignore no-control-regex -- control characters are what it refuses
export const FILE_NAME = /^[^/\\\x00-\x1f\x7f]+$/;

const NAMES = list({
  name: "DirectoryIndex",
  help: "File names tried, in order, for a request that maps to a directory",
  default: ["index.html"],
  item: "file name",
  pattern: FILE_NAME,
});

/** DirectoryIndex; httpd's `DirectoryIndex disabled` turns index files off. */
export const DIRECTORY_INDEX: Directive<readonly string[]> = {
  ...NAMES,
  parse: (value, ctx) => {
    const names = NAMES.parse(value, ctx);
    return names.length === 1 && names[0] === "disabled" ? [] : names;
  },
};
