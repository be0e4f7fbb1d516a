/**
 * AllowOverride, as httpd 2.4's core reads it: `None`, `All`, or a list of the override
 * classes (`AuthConfig FileInfo Indexes Limit Options`), where `Options=Indexes,…` names the
 * options an access file may set. Only a `<Directory>` section holds it.
 *
 * @module
 */

import { didYouMeanHint } from "../../base/mod.ts";
import { DirectiveValueError, wordsOf } from "./directive.ts";
import {
  type AllowOverride,
  type OptionName,
  OVERRIDE_CLASSES,
  type OverrideClass,
} from "./server_config.ts";

/** httpd 2.4's default: no access file is read. */
export const ALLOW_NO_OVERRIDE: AllowOverride = { classes: [], options: [] };

const EVERY_OPTION: readonly OptionName[] = ["indexes", "followSymLinks"];

/**
 * The options httpd's `Options=` list takes, lower-case, with what each lets mpmd set: the
 * ones mpmd does not implement let nothing, as an access file cannot use them anyway.
 */
const OVERRIDABLE_OPTIONS: Readonly<Record<string, readonly OptionName[]>> = {
  all: EVERY_OPTION,
  none: [],
  indexes: ["indexes"],
  followsymlinks: ["followSymLinks"],
  symlinksifownermatch: [],
  execcgi: [],
  includes: [],
  includesnoexec: [],
  multiviews: [],
};

/**
 * Parses an AllowOverride value: a string of words or a YAML list of them.
 *
 * @throws {DirectiveValueError} naming the word that is wrong, with a hint for a misspelling.
 */
export function parseAllowOverride(value: unknown): AllowOverride {
  const words = wordsOf(value, "override");
  const lower = words.map((w) => w.toLowerCase());
  if (words.length === 0) {
    throw new DirectiveValueError("AllowOverride needs None, All or override classes");
  }
  if (lower.length === 1 && lower[0] === "none") return ALLOW_NO_OVERRIDE;
  const classes = new Set<OverrideClass>();
  let options: readonly OptionName[] = [];
  for (const word of words) {
    const [name = "", list] = word.split("=", 2) as [string, string | undefined];
    const key = name.toLowerCase();
    if (key === "none" || key === "all") {
      if (words.length > 1) {
        throw new DirectiveValueError(`${name} stands alone in AllowOverride (${words.join(" ")})`);
      }
      return { classes: OVERRIDE_CLASSES, options: EVERY_OPTION };
    }
    if (key === "nonfatal") {
      throw new DirectiveValueError(
        `mpmd does not implement AllowOverride ${word}: an access file's mistake always answers 500`,
      );
    }
    const found = OVERRIDE_CLASSES.find((c) => c.toLowerCase() === key);
    if (found === undefined) {
      throw new DirectiveValueError(
        `${JSON.stringify(word)} is not an override class (${
          OVERRIDE_CLASSES.join(", ")
        }, All, None)${didYouMeanHint(name, OVERRIDE_CLASSES)}`,
      );
    }
    if (list !== undefined && found !== "Options") {
      throw new DirectiveValueError(`${word}: only Options takes a list after "="`);
    }
    classes.add(found);
    if (found === "Options") options = list === undefined ? EVERY_OPTION : optionList(list);
  }
  return { classes: OVERRIDE_CLASSES.filter((c) => classes.has(c)), options };
}

/** The mpmd options an `Options=A,B` list lets an access file set. */
function optionList(list: string): readonly OptionName[] {
  const allowed = new Set<OptionName>();
  for (const word of list.split(",")) {
    const names = OVERRIDABLE_OPTIONS[word.toLowerCase()];
    if (names === undefined) {
      throw new DirectiveValueError(
        `${JSON.stringify(word)} in Options=${list} is not an option httpd knows${
          didYouMeanHint(word, ["Indexes", "FollowSymLinks", "All"])
        }`,
      );
    }
    for (const name of names) allowed.add(name);
  }
  return EVERY_OPTION.filter((o) => allowed.has(o));
}
