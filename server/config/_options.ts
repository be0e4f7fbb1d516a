/**
 * The Options directive, limited to what mpmd implements: `Indexes`, `FollowSymLinks`, `All`
 * (both) and `None`, absolute (`Indexes FollowSymLinks`) or relative (`+Indexes -FollowSymLinks`)
 * as in httpd 2.4, which refuses a mix of the two forms.
 *
 * @module
 */

import { type Directive, DirectiveValueError, wordsOf } from "./directive.ts";
import type { OptionName } from "./server_config.ts";

/** The options of a host; `null` leaves that option as an earlier Options set it. */
export type OptionsValue = { readonly [K in OptionName]: boolean | null };

const KNOWN: Readonly<Record<string, readonly OptionName[]>> = {
  indexes: ["indexes"],
  followsymlinks: ["followSymLinks"],
  all: ["indexes", "followSymLinks"],
  none: [],
};

/**
 * Options: per-host features. mpmd's default is none: unlike httpd (FollowSymLinks), it does
 * not follow symbolic links out of the DocumentRoot unless told to.
 */
export const OPTIONS: Directive<OptionsValue> = {
  name: "Options",
  help: "Features of the host: Indexes, FollowSymLinks, All or None, or +X/-X to adjust",
  default: { indexes: false, followSymLinks: false },
  parse(value) {
    const words = wordsOf(value, "option");
    const relative = words.filter((w) => w.startsWith("+") || w.startsWith("-"));
    if (relative.length > 0 && relative.length < words.length) {
      throw new DirectiveValueError(
        `${
          JSON.stringify(words.join(" "))
        } mixes +/- options with plain ones (httpd refuses this too)`,
      );
    }
    const result: { -readonly [K in OptionName]: boolean | null } = relative.length > 0
      ? { indexes: null, followSymLinks: null }
      : { indexes: false, followSymLinks: false };
    for (const word of words) {
      const sign = word[0] === "+" || word[0] === "-" ? word[0] : "";
      const names = KNOWN[word.slice(sign.length).toLowerCase()];
      if (names === undefined || (sign !== "" && names.length === 0)) {
        throw new DirectiveValueError(
          `${
            JSON.stringify(word)
          } is not an option mpmd supports (Indexes, FollowSymLinks, All, None)`,
        );
      }
      if (names.length === 0 && words.length > 1) {
        throw new DirectiveValueError(`"None" cannot be combined with other options`);
      }
      for (const name of names) result[name] = sign !== "-";
    }
    return result;
  },
  combine: (earlier, later) => ({
    indexes: later.indexes ?? earlier.indexes,
    followSymLinks: later.followSymLinks ?? earlier.followSymLinks,
  }),
};
