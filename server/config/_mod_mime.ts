/**
 * mod_mime's per-host directives and core's ForceType: AddType and AddCharset map file
 * extensions to a media type or a charset (`{ "text/x-foo": [".foo", ".bar"] }` in YAML, or
 * httpd's `AddType text/x-foo .foo .bar`; extensions matched without case and without the
 * dot); ForceType gives every file of the host one media type.
 *
 * @module
 */

import {
  argsOf,
  describeValue,
  type Directive,
  type DirectiveInfo,
  DirectiveValueError,
  parseText,
  wordsOf,
} from "./directive.ts";

// RFC 6838 section 4.2 restricted names, for type and subtype.
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;
// RFC 9110 section 5.6.2 token: what a charset name may hold.
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * A directive mapping extensions to a value (`AddType value .ext …`), every source adding to
 * the map; `value` says what the value must look like and how messages name it.
 */
function byExtension(
  info: Omit<DirectiveInfo<Readonly<Record<string, string>>>, "default">,
  value: { readonly pattern: RegExp; readonly noun: string; readonly expected: string },
): Directive<Readonly<Record<string, string>>> {
  const addExtensions = (result: Record<string, string>, v: string, extensions: string[]) => {
    if (!value.pattern.test(v)) {
      throw new DirectiveValueError(`${JSON.stringify(v)} is not ${value.expected}`);
    }
    if (extensions.length === 0) throw new DirectiveValueError(`${v} has no extensions`);
    for (const extension of extensions) {
      const ext = extension.replace(/^\./, "").toLowerCase();
      if (!/^[^\s/.][^\s/]*$/.test(ext)) {
        throw new DirectiveValueError(`${JSON.stringify(extension)} is not a file extension`);
      }
      result[ext] = v;
    }
  };
  return {
    ...info,
    default: {},
    parse(written) {
      const result: Record<string, string> = {};
      if (typeof written === "string") {
        const [v = "", ...extensions] = argsOf(written);
        addExtensions(result, v, extensions);
      } else if (written !== null && typeof written === "object" && !Array.isArray(written)) {
        for (const [v, extensions] of Object.entries(written)) {
          addExtensions(result, v, wordsOf(extensions, "extension"));
        }
      } else {
        throw new DirectiveValueError(
          `${describeValue(written)} is not a map of ${value.noun}s to extensions`,
        );
      }
      return result;
    },
    combine: (earlier, later) => ({ ...earlier, ...later }),
  };
}

/** AddType: extension (lower case, no dot) → media type. */
export const ADD_TYPE: Directive<Readonly<Record<string, string>>> = byExtension({
  name: "AddType",
  help: "Media types for file extensions, overriding the built-in table",
}, { pattern: MEDIA_TYPE, noun: "media type", expected: "a media type (type/subtype)" });

/** AddCharset: extension (lower case, no dot) → charset added to the file's Content-Type. */
export const ADD_CHARSET: Directive<Readonly<Record<string, string>>> = byExtension({
  name: "AddCharset",
  help: "Charsets for file extensions, added to the Content-Type of those files",
}, { pattern: TOKEN, noun: "charset", expected: "a charset name" });

/** ForceType: one media type for every file of the host, or `null` (`None`) for none. */
export const FORCE_TYPE: Directive<string | null> = {
  name: "ForceType",
  help: "Media type every file of the host is served with (None: by extension, as usual)",
  default: null,
  parse(value, ctx) {
    const t = parseText(value, ctx);
    if (/^none$/i.test(t)) return null;
    if (!MEDIA_TYPE.test(t)) {
      throw new DirectiveValueError(
        `${JSON.stringify(t)} is not a media type (type/subtype) or None`,
      );
    }
    return t;
  },
};
