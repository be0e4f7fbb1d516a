/**
 * Whether and how one answer is compressed on the fly: mod_deflate's and mod_brotli's
 * decisions, as a pure function of the request, the answer's status and fields, and the host's
 * settings.
 *
 * @module
 */

import type { CompressionConfig, OutputFilter } from "../../server/config/mod.ts";
import { chooseContentCoding, type ContentCoding } from "../_content_coding.ts";

/** The coding each output filter makes. */
const CODING_OF: Readonly<Record<OutputFilter, ContentCoding>> = {
  DEFLATE: "gzip",
  BROTLI_COMPRESS: "br",
};

/** What {@link planCompression} reads. */
export interface CompressionInput {
  /** The request's method. */
  readonly method: string;
  /** The request's fields by lower-case name (Accept-Encoding, Range). */
  readonly requestHeaders: ReadonlyMap<string, string>;
  /** The answer's status. */
  readonly status: number;
  /** The answer's fields. */
  readonly headers: readonly (readonly [string, string])[];
  /** The body's length when known (bytes in memory, or Content-Length); `null` otherwise. */
  readonly bodyBytes: number | null;
  /**
   * Whether the request's If-None-Match named a tag these filters suffixed: a 304, which names
   * no Content-Type, then answers for a type they compress.
   */
  readonly revalidatesEncoded: boolean;
  /** The host's settings. */
  readonly config: CompressionConfig;
}

/**
 * The decision: leave the answer as it is (no filter applies, or one of httpd's reasons not to
 * compress), or send it with `headers` (Vary added, and for a coding its Content-Encoding and
 * changed ETag), its body encoded in `coding` (`null`: as it is).
 */
export type CompressionPlan =
  | { readonly kind: "untouched" }
  | {
    readonly kind: "rewrite";
    readonly headers: [string, string][];
    readonly coding: ContentCoding | null;
  };

const UNTOUCHED: CompressionPlan = { kind: "untouched" };

/**
 * Decides, in mod_deflate's order: only an answer of a type a filter applies to; never a 204,
 * a partial answer (206, Content-Range) or an answer to a Range request, an answer already
 * encoded, one marked `Cache-Control: no-transform`, or a body known to be shorter than
 * DeflateMinLength — all of those are left untouched, without Vary. Every other answer varies
 * by Accept-Encoding; it is encoded when the client accepts a coding of the filters (q-values
 * weighed, br before gzip on a tie), and a 304 gets the ETag and Vary its 200 would have.
 */
export function planCompression(input: CompressionInput): CompressionPlan {
  const { headers, status, config } = input;
  const contentType = field(headers, "content-type");
  const filters = status === 304 && contentType === undefined && input.revalidatesEncoded
    ? [...new Set([...config.byType.flatMap((rule) => rule.filters), ...config.always])]
    : filtersFor(contentType, config);
  if (filters.length === 0) return UNTOUCHED;
  if (status === 204 || status === 206 || field(headers, "content-range") !== undefined) {
    return UNTOUCHED;
  }
  if (input.requestHeaders.has("range")) return UNTOUCHED;
  const encoding = field(headers, "content-encoding");
  if (encoding !== undefined && !/^\s*identity\s*$/i.test(encoding)) return UNTOUCHED;
  if (hasToken(field(headers, "cache-control"), "no-transform")) return UNTOUCHED;
  if (input.bodyBytes !== null && input.bodyBytes < config.minLengthBytes) return UNTOUCHED;

  const out = withVary(headers);
  const available = { br: false, gzip: false };
  for (const filter of filters) available[CODING_OF[filter]] = true;
  const coding = chooseContentCoding(input.requestHeaders.get("accept-encoding"), available);
  if (coding === null) return { kind: "rewrite", headers: out, coding: null };
  const alter = coding === "gzip" ? config.deflateAlterETag : config.brotliAlterETag;
  const changed = alterETag(out, coding, alter);
  if (status === 304) return { kind: "rewrite", headers: changed, coding: null };
  // The length, digest and ranges were those of the identity bytes.
  const encoded = changed.filter(([name]) =>
    !/^(content-length|content-md5|accept-ranges|content-encoding)$/i.test(name)
  );
  encoded.push(["Content-Encoding", coding]);
  return { kind: "rewrite", headers: encoded, coding };
}

/** The filters that apply to an answer of `contentType`: its type's, then SetOutputFilter's. */
function filtersFor(contentType: string | undefined, config: CompressionConfig): OutputFilter[] {
  const found = new Set<OutputFilter>();
  if (contentType !== undefined) {
    const semicolon = contentType.indexOf(";");
    const type = (semicolon < 0 ? contentType : contentType.slice(0, semicolon))
      .trim().toLowerCase();
    for (const rule of config.byType) {
      if (rule.types.includes(type)) { for (const filter of rule.filters) found.add(filter); }
    }
  }
  for (const filter of config.always) found.add(filter);
  return [...found];
}

/** The first value of the field `lower` (a lower-case name). */
function field(
  headers: readonly (readonly [string, string])[],
  lower: string,
): string | undefined {
  for (const [name, value] of headers) if (name.toLowerCase() === lower) return value;
  return undefined;
}

/** Whether a comma-separated field value holds `token` (any case). */
function hasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  return value.split(",").some((member) => member.trim().toLowerCase() === token);
}

/** A copy of `headers` whose Vary names Accept-Encoding (merged into one already there). */
function withVary(headers: readonly (readonly [string, string])[]): [string, string][] {
  const out = headers.map(([name, value]): [string, string] => [name, value]);
  const at = out.findIndex(([name]) => name.toLowerCase() === "vary");
  if (at < 0) {
    out.push(["Vary", "Accept-Encoding"]);
    return out;
  }
  const [name, value] = out[at]!;
  if (value.trim() !== "*" && !hasToken(value, "accept-encoding")) {
    out[at] = [name, value.trim() === "" ? "Accept-Encoding" : `${value}, Accept-Encoding`];
  }
  return out;
}

/**
 * The ETag as the filter leaves it: with `-coding` before its closing quote (AddSuffix, as
 * httpd does it, weak tags included; not twice), gone (Remove), or as it was (NoChange).
 */
function alterETag(
  headers: [string, string][],
  coding: ContentCoding,
  mode: CompressionConfig["deflateAlterETag"],
): [string, string][] {
  if (mode === "NoChange") return headers;
  if (mode === "Remove") return headers.filter(([name]) => name.toLowerCase() !== "etag");
  const suffix = `-${coding}"`;
  return headers.map(([name, value]): [string, string] =>
    name.toLowerCase() === "etag" && value.length > 2 && value.endsWith('"') &&
      !value.endsWith(suffix)
      ? [name, `${value.slice(0, -1)}${suffix}`]
      : [name, value]
  );
}

/**
 * An If-None-Match list with, beside each entity-tag that carries a suffix this host's filters
 * add (`"…-gzip"`, `"…-br"`), the tag without it: the handler knows only the identity tag, and
 * a client revalidating what the filter sent must still get its 304. `null` when no tag
 * carries one (the field stays as it is).
 */
export function withUnsuffixedTags(
  list: string,
  config: CompressionConfig,
): string | null {
  const suffixes = [
    ...(config.deflateAlterETag === "AddSuffix" ? ["-gzip"] : []),
    ...(config.brotliAlterETag === "AddSuffix" ? ["-br"] : []),
  ];
  const added: string[] = [];
  for (const match of list.matchAll(/(W\/)?"([^"]*)"/g)) {
    const [, weak = "", tag = ""] = match;
    const suffix = suffixes.find((s) => tag.endsWith(s) && tag.length > s.length);
    if (suffix !== undefined) added.push(`${weak}"${tag.slice(0, -suffix.length)}"`);
  }
  return added.length === 0 ? null : `${list}, ${added.join(", ")}`;
}
