/**
 * Accept-Encoding negotiation (RFC 9110 §12.5.3) between the codings a response can have: a
 * file's precompressed siblings, or what the compression filters make of an answer. Pure.
 *
 * @module
 */

/** The codings mpmd sends, most preferred first (wins ties). */
export const CONTENT_CODINGS = ["br", "gzip"] as const;
/** One of {@link CONTENT_CODINGS}. */
export type ContentCoding = typeof CONTENT_CODINGS[number];

/** File-name suffix of the sibling holding each coding (`style.css.br`, `style.css.gz`). */
export const SIBLING_SUFFIX: Readonly<Record<ContentCoding, string>> = { br: ".br", gzip: ".gz" };

const QVALUE = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;
// Below the smallest qvalue a client can send (0.001): identity is acceptable by default
// (RFC 9110 §12.5.3) but any coding the client names outranks it.
const IMPLICIT_IDENTITY_Q = 0.0005;

/**
 * Chooses the coding to send, or `null` for the identity (unencoded) file.
 *
 * No Accept-Encoding field means identity. A coding is eligible when it is available and its
 * weight (its own, else that of `*`) is above 0; the heaviest eligible coding wins, `br`
 * before `gzip` on a tie, as long as it weighs at least as much as identity (`identity`'s
 * own weight, else that of `*`, else just above 0). `x-gzip` counts as `gzip`.
 */
export function chooseContentCoding(
  acceptEncoding: string | undefined,
  available: Readonly<Record<ContentCoding, boolean>>,
): ContentCoding | null {
  if (acceptEncoding === undefined) return null;
  const weights = parseWeights(acceptEncoding);
  const star = weights.get("*");
  let best: ContentCoding | null = null;
  let bestQ = weights.get("identity") ?? star ?? IMPLICIT_IDENTITY_Q;
  for (const coding of CONTENT_CODINGS) {
    if (!available[coding]) continue;
    const q = weights.get(coding) ?? star ?? 0;
    if (q > 0 && (best === null ? q >= bestQ : q > bestQ)) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

function parseWeights(field: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const member of field.split(",")) {
    const [rawName = "", ...params] = member.split(";");
    let name = rawName.trim().toLowerCase();
    if (name === "") continue;
    if (name === "x-gzip") name = "gzip";
    let q = 1;
    for (const param of params) {
      const m = QVALUE.exec(param.trim());
      // A malformed weight makes the member meaningless rather than fully acceptable.
      q = m === null ? Number.NaN : Number(m[1]);
    }
    if (!Number.isNaN(q) && !weights.has(name)) weights.set(name, q);
  }
  return weights;
}
