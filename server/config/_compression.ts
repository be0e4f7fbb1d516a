/**
 * On-the-fly compression, mod_deflate's and mod_brotli's directives: which responses go
 * through the `DEFLATE` (gzip) and `BROTLI_COMPRESS` (br) output filters
 * (`AddOutputFilterByType`, `SetOutputFilter`), how hard they work
 * (`DeflateCompressionLevel`, `BrotliCompressionQuality`), what they do to an ETag
 * (`DeflateAlterETag`, `BrotliAlterETag`) and the smallest body worth compressing
 * (`DeflateMinLength`, mpmd's own).
 *
 * @module
 */

import {
  argsOf,
  describeValue,
  type Directive,
  DirectiveValueError,
  integer,
  itemList,
  oneOf,
  parseText,
} from "./directive.ts";
import {
  ALTER_ETAG_MODES,
  type AlterETagMode,
  type CompressionConfig,
  OUTPUT_FILTERS,
  type OutputFilter,
  type OutputFilterRule,
} from "./server_config.ts";

// RFC 9110 section 8.3.1: type "/" subtype, both tokens.
const MEDIA_TYPE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+\/[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * The filters of a `DEFLATE;BROTLI_COMPRESS` word, in the order written.
 *
 * @throws {DirectiveValueError} for a filter mpmd does not have.
 */
function parseFilterChain(word: string): OutputFilter[] {
  return word.split(";").filter((name) => name !== "").map((name) => {
    const found = OUTPUT_FILTERS.find((f) => f.toLowerCase() === name.toLowerCase());
    if (found === undefined) {
      throw new DirectiveValueError(
        `mpmd does not have the output filter ${JSON.stringify(name)} (it has ${
          OUTPUT_FILTERS.join(", ")
        })`,
      );
    }
    return found;
  });
}

/** One `AddOutputFilterByType FILTER[;FILTER] type…` line. */
function parseByTypeLine(value: unknown): OutputFilterRule {
  if (typeof value !== "string") {
    throw new DirectiveValueError(`${describeValue(value)} is not an AddOutputFilterByType line`);
  }
  const [chain = "", ...types] = argsOf(value);
  const filters = parseFilterChain(chain);
  if (filters.length === 0 || types.length === 0) {
    throw new DirectiveValueError(
      `${JSON.stringify(value)} is not "FILTER[;FILTER] media-type…"`,
    );
  }
  for (const type of types) {
    if (!MEDIA_TYPE.test(type)) {
      throw new DirectiveValueError(`${JSON.stringify(type)} is not a media type (type/subtype)`);
    }
  }
  return { filters, types: types.map((t) => t.toLowerCase()) };
}

/** AddOutputFilterByType: compress the responses of these media types. */
export const ADD_OUTPUT_FILTER_BY_TYPE: Directive<readonly OutputFilterRule[]> = itemList(
  {
    name: "AddOutputFilterByType",
    help: "Output filters for media types: DEFLATE|BROTLI_COMPRESS[;…] type…",
    default: [],
  },
  (item) => parseByTypeLine(item),
);

/** SetOutputFilter: compress every response of the host, whatever its type. */
export const SET_OUTPUT_FILTER: Directive<readonly OutputFilter[]> = {
  name: "SetOutputFilter",
  help: "Output filters for every response: DEFLATE|BROTLI_COMPRESS[;…], or none",
  default: [],
  parse(value, ctx) {
    const text = parseText(value, ctx).trim();
    if (/^none$/i.test(text)) return [];
    if (/\s/.test(text)) {
      throw new DirectiveValueError(
        `${JSON.stringify(text)} is more than one value (join filters with ";")`,
      );
    }
    return parseFilterChain(text);
  },
};

/** DeflateCompressionLevel: zlib's level, 1 (fastest) to 9 (smallest); httpd's default 6. */
export const DEFLATE_COMPRESSION_LEVEL: Directive<number> = integer({
  name: "DeflateCompressionLevel",
  help: "How hard DEFLATE (gzip) compresses: 1 (fastest) to 9 (smallest)",
  default: 6,
  min: 1,
  max: 9,
});

/** BrotliCompressionQuality: brotli's quality, 0 to 11; httpd's default 5. */
export const BROTLI_COMPRESSION_QUALITY: Directive<number> = integer({
  name: "BrotliCompressionQuality",
  help: "How hard BROTLI_COMPRESS compresses: 0 (fastest) to 11 (smallest)",
  default: 5,
  min: 0,
  max: 11,
});

/**
 * DeflateMinLength (mpmd's own, as nginx's gzip_min_length): a body known to be shorter is sent
 * as it is. The default is httpd's built-in cut: mod_deflate leaves bodies of 68 bytes or less.
 */
export const DEFLATE_MIN_LENGTH: Directive<number> = integer({
  name: "DeflateMinLength",
  help: "Smallest body, in bytes, that DEFLATE and BROTLI_COMPRESS compress",
  default: 69,
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
});

function alterETag(name: string, coding: string): Directive<AlterETagMode> {
  return oneOf<AlterETagMode>({
    name,
    help: `What compression does to an ETag: AddSuffix (-${coding}), NoChange or Remove`,
    default: "AddSuffix",
    values: ALTER_ETAG_MODES,
  });
}

/** DeflateAlterETag: AddSuffix (`"…-gzip"`, the default), NoChange or Remove. */
export const DEFLATE_ALTER_ETAG: Directive<AlterETagMode> = alterETag("DeflateAlterETag", "gzip");

/** BrotliAlterETag: AddSuffix (`"…-br"`, the default), NoChange or Remove. */
export const BROTLI_ALTER_ETAG: Directive<AlterETagMode> = alterETag("BrotliAlterETag", "br");

/** The compression directives, by name. */
export const COMPRESSION_DIRECTIVES = {
  AddOutputFilterByType: ADD_OUTPUT_FILTER_BY_TYPE,
  SetOutputFilter: SET_OUTPUT_FILTER,
  DeflateCompressionLevel: DEFLATE_COMPRESSION_LEVEL,
  BrotliCompressionQuality: BROTLI_COMPRESSION_QUALITY,
  DeflateMinLength: DEFLATE_MIN_LENGTH,
  DeflateAlterETag: DEFLATE_ALTER_ETAG,
  BrotliAlterETag: BROTLI_ALTER_ETAG,
} as const;

/** A host's compression settings when it writes none of these directives: no filter at all. */
export const DEFAULT_COMPRESSION: CompressionConfig = {
  byType: ADD_OUTPUT_FILTER_BY_TYPE.default,
  always: SET_OUTPUT_FILTER.default,
  deflateLevel: DEFLATE_COMPRESSION_LEVEL.default,
  brotliQuality: BROTLI_COMPRESSION_QUALITY.default,
  minLengthBytes: DEFLATE_MIN_LENGTH.default,
  deflateAlterETag: DEFLATE_ALTER_ETAG.default,
  brotliAlterETag: BROTLI_ALTER_ETAG.default,
};
