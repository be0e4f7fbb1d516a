/**
 * Sizes as a fancy listing shows them: httpd's four-character form (APR's `apr_strfsize`).
 *
 * @module
 */

const UNITS = "KMGTPE";

/**
 * Formats a size in at most four characters, as httpd's listings do: bytes below 973
 * (`" 12 "`), then one decimal below 10 of a unit (`"1.2K"`, `"3.4M"`), then whole units
 * (`" 12K"`, `"973K"`), each unit 1024 of the one before; `"  - "` for a directory (`null`).
 */
export function formatListingSize(bytes: number | null): string {
  if (bytes === null || bytes < 0) return "  - ";
  if (bytes < 973) return `${String(bytes).padStart(3)} `;
  let whole = bytes;
  for (const unit of UNITS) {
    const remainder = whole % 1024;
    whole = Math.floor(whole / 1024);
    // 973 and up no longer fits in three digits once rounded: go to the next unit.
    if (whole >= 973) continue;
    if (whole < 9 || (whole === 9 && remainder < 973)) {
      // Tenths, rounded half up; 9.96 becomes 10.0 of the unit, shown as such.
      let tenths = Math.floor((remainder * 5 + 256) / 512);
      if (tenths >= 10) {
        whole += 1;
        tenths = 0;
      }
      return `${whole}.${tenths}${unit}`;
    }
    return `${String(whole + (remainder >= 512 ? 1 : 0)).padStart(3)}${unit}`;
  }
  return "****";
}
