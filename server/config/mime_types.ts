/**
 * The mime.types format TypesConfig names (`type ext ext …` per line, `#` comments), as httpd's
 * mod_mime reads it. Pure: the caller reads the file.
 *
 * @module
 */

// RFC 6838 section 4.2 restricted names, for type and subtype.
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;

/**
 * Extension (lower case, no dot) → media type; a later line for an extension wins, as in
 * httpd. Lines that name no valid type are skipped, as httpd skips them.
 */
export function parseMimeTypes(text: string): Record<string, string> {
  const types: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") continue;
    const [type = "", ...extensions] = line.split(/\s+/);
    if (!MEDIA_TYPE.test(type)) continue;
    for (const ext of extensions) types[ext.replace(/^\./, "").toLowerCase()] = type.toLowerCase();
  }
  return types;
}
