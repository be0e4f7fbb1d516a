/**
 * Media types by file extension (mod_mime's job): the mime-db table, AddType overrides,
 * AddCharset, ForceType and AddDefaultCharset.
 *
 * @module
 */

import { mimeDb } from "./_mime_db_package.ts";

/** The fields of a mime-db entry this module reads. */
interface MimeDbEntry {
  readonly source?: string;
  readonly extensions?: readonly string[];
}

/**
 * Sent for a file whose extension maps to nothing. httpd 2.4 sends no Content-Type then and
 * lets the browser sniff; we send this instead (as nginx does) so that an unknown file can
 * never be sniffed into HTML and run as a page of this site.
 */
export const FALLBACK_MEDIA_TYPE = "application/octet-stream";

// Where two types claim one extension the better-sourced one wins: IANA registrations, then
// httpd's own mime.types ("apache"), then nginx's, then entries with no source. Between
// equals, a type outside "application/" wins (mp4 → video/mp4, js → text/javascript), then
// the one mime-db lists first (it is sorted by type name).
const SOURCE_RANK: Readonly<Record<string, number>> = { iana: 3, apache: 2, nginx: 1 };

function rank(type: string, entry: MimeDbEntry): number {
  return (SOURCE_RANK[entry.source ?? ""] ?? 0) * 2 + (type.startsWith("application/") ? 0 : 1);
}

function buildExtensionTable(db: Readonly<Record<string, MimeDbEntry>>): Map<string, string> {
  const table = new Map<string, string>();
  const ranks = new Map<string, number>();
  for (const [type, entry] of Object.entries(db)) {
    const r = rank(type, entry);
    for (const ext of entry.extensions ?? []) {
      if ((ranks.get(ext) ?? -1) >= r) continue;
      table.set(ext, type);
      ranks.set(ext, r);
    }
  }
  return table;
}

const EXTENSION_TABLE: ReadonlyMap<string, string> = buildExtensionTable(mimeDb);

/** Settings of one host that shape its Content-Type values. */
export interface MediaTypeSettings {
  /** AddType: lower-case extension without the dot → media type; wins over the rest. */
  readonly addType: Readonly<Record<string, string>>;
  /** TypesConfig's types, over mime-db's. */
  readonly types: Readonly<Record<string, string>>;
  /** AddCharset: lower-case extension without the dot → charset. */
  readonly addCharset: Readonly<Record<string, string>>;
  /** ForceType: the type of every file, in place of all the above, or `null`. */
  readonly forceType: string | null;
  /** AddDefaultCharset, or `null` when Off. */
  readonly addDefaultCharset: string | null;
}

/**
 * Returns the Content-Type value for a file name: the media type of its last extension
 * (case-insensitive), or {@link FALLBACK_MEDIA_TYPE}, with `; charset=X` when one of its
 * extensions (any of them, the last that has one winning, as mod_mime reads a name) has an
 * AddCharset; ForceType replaces that whole value, as httpd's core does after mod_mime. Then,
 * as httpd's AddDefaultCharset, `; charset=X` appended to `text/plain` and `text/html` values
 * that carry no charset.
 */
export function contentTypeFor(fileName: string, settings: MediaTypeSettings): string {
  const type = settings.forceType ?? typeByExtensions(fileName, settings);
  const charset = settings.addDefaultCharset;
  if (charset === null) return type;
  const essence = type.split(";", 1)[0]?.trim().toLowerCase();
  if (essence !== "text/plain" && essence !== "text/html") return type;
  return withCharset(type, charset);
}

/** mod_mime's answer for a name: its last extension's type, and an AddCharset charset. */
function typeByExtensions(fileName: string, settings: MediaTypeSettings): string {
  // A leading dot starts a hidden name, not an extension.
  const extensions = fileName.slice(1).toLowerCase().split(".").slice(1);
  const ext = extensions.at(-1) ?? "";
  const type =
    (ext === ""
      ? undefined
      : Object.hasOwn(settings.addType, ext)
      ? settings.addType[ext]
      : Object.hasOwn(settings.types, ext)
      ? settings.types[ext]
      : EXTENSION_TABLE.get(ext)) ?? FALLBACK_MEDIA_TYPE;
  const charset = extensions.findLast((e) => Object.hasOwn(settings.addCharset, e));
  return charset === undefined ? type : withCharset(type, settings.addCharset[charset]!);
}

/** `type` with `; charset=X` appended, unless it names a charset already. */
function withCharset(type: string, charset: string): string {
  return /;\s*charset=/i.test(type) ? type : `${type}; charset=${charset}`;
}
