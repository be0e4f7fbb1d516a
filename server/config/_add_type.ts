/**
 * The AddType directive: `{ "text/x-foo": [".foo", ".bar"] }` in YAML, or httpd's
 * `AddType text/x-foo .foo .bar`. Extensions are matched without case and without the dot.
 *
 * @module
 */

import {
  argsOf,
  describeValue,
  type Directive,
  DirectiveValueError,
  wordsOf,
} from "./directive.ts";

// RFC 6838 section 4.2 restricted names, for type and subtype.
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;

/** AddType: extension (lower case, no dot) → media type; every source adds to the map. */
export const ADD_TYPE: Directive<Readonly<Record<string, string>>> = {
  name: "AddType",
  help: "Media types for file extensions, overriding the built-in table",
  default: {},
  parse(value) {
    const result: Record<string, string> = {};
    if (typeof value === "string") {
      const [type = "", ...extensions] = argsOf(value);
      addExtensions(result, type, extensions);
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [type, extensions] of Object.entries(value)) {
        addExtensions(result, type, wordsOf(extensions, "extension"));
      }
    } else {
      throw new DirectiveValueError(
        `${describeValue(value)} is not a map of media types to extensions`,
      );
    }
    return result;
  },
  combine: (earlier, later) => ({ ...earlier, ...later }),
};

function addExtensions(result: Record<string, string>, type: string, extensions: string[]): void {
  if (!MEDIA_TYPE.test(type)) {
    throw new DirectiveValueError(`${JSON.stringify(type)} is not a media type (type/subtype)`);
  }
  if (extensions.length === 0) {
    throw new DirectiveValueError(`${type} has no extensions`);
  }
  for (const extension of extensions) {
    const ext = extension.replace(/^\./, "").toLowerCase();
    if (!/^[^\s/.][^\s/]*$/.test(ext)) {
      throw new DirectiveValueError(`${JSON.stringify(extension)} is not a file extension`);
    }
    result[ext] = type;
  }
}
