/**
 * mod_autoindex's directives, the part mpmd draws: IndexOptions (its flags, `NameWidth=` and
 * `Charset=`, absolute or `+`/`-` relative as httpd 2.4 reads them), the older FancyIndexing,
 * IndexOrderDefault, IndexIgnore, HeaderName and ReadmeName.
 *
 * @module
 */

import { didYouMeanHint } from "../../base/mod.ts";
import {
  type CombineScope,
  describeValue,
  type Directive,
  DirectiveValueError,
  mapItems,
  parseFlag,
  parseText,
  wordsOf,
} from "./directive.ts";
import {
  type AutoindexConfig,
  INDEX_OPTION_FLAGS,
  type IndexOptionFlag,
  type ListingOrder,
  type SortKey,
} from "./server_config.ts";

/**
 * IndexOptions as written on one or more lines of one host, before a virtual host inherits
 * from the main server (httpd's `opts`, `incremented_opts` and `decremented_opts`).
 */
export interface IndexOptionsValue {
  /** Whether `None` was written: every flag off, nothing inherited. */
  readonly none: boolean;
  /** Flags written without `+`/`-`; they replace inherited ones. `null`: none written. */
  readonly set: readonly IndexOptionFlag[] | null;
  /** Flags written with `+` since the last flag without a sign. */
  readonly add: readonly IndexOptionFlag[];
  /** Flags written with `-` since the last flag without a sign. */
  readonly remove: readonly IndexOptionFlag[];
  /** `NameWidth=n` or `NameWidth=*`; `null` when not written. */
  readonly nameWidth: number | "*" | null;
  /** `Charset=`; `null` when not written. */
  readonly charset: string | null;
}

/**
 * httpd's IndexOptions keywords that mpmd does not implement. Most style icons and
 * descriptions, which mpmd does not draw; the httpd.conf reader drops them with a warning, so
 * that a stock configuration loads, while YAML refuses them.
 */
export const IGNORED_INDEX_OPTIONS: readonly string[] = [
  "AddAltClass",
  "DescriptionWidth",
  "IconHeight",
  "IconWidth",
  "IconsAreLinks",
  "IgnoreClient",
  "ScanHTMLTitles",
  "ShowForbidden",
  "SuppressDescription",
  "SuppressIcon",
  "SuppressRules",
  "TrackModified",
  "Type",
  "XHTML",
];

/** Whether an IndexOptions word names one of {@link IGNORED_INDEX_OPTIONS}, with any value. */
export function isIgnoredIndexOption(word: string): boolean {
  const name = word.replace(/^[+-]/, "").replace(/=.*$/s, "").toLowerCase();
  return IGNORED_INDEX_OPTIONS.some((o) => o.toLowerCase() === name);
}

/** The settings of a host that writes none of mod_autoindex's directives (httpd's defaults). */
export const DEFAULT_AUTOINDEX: AutoindexConfig = {
  flags: [],
  // httpd's DEFAULT_NAME_WIDTH.
  nameWidth: 23,
  charset: null,
  orderDefault: { key: "N", ascending: true },
  ignore: [],
  headerName: null,
  readmeName: null,
};

const NO_INDEX_OPTIONS: IndexOptionsValue = {
  none: false,
  set: null,
  add: [],
  remove: [],
  nameWidth: null,
  charset: null,
};

// RFC 9110 section 5.6.2 token: what a charset name may hold.
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const KEYWORDS = [...INDEX_OPTION_FLAGS, "None", "NameWidth=", "Charset="];

/** Reads one IndexOptions line, its words in order as httpd's add_opts() does. */
function parseIndexOptions(value: unknown): IndexOptionsValue {
  const result = {
    ...NO_INDEX_OPTIONS,
    set: null as IndexOptionFlag[] | null,
    add: [] as IndexOptionFlag[],
    remove: [] as IndexOptionFlag[],
  };
  for (const word of wordsOf(value, "option")) {
    const sign = word[0] === "+" || word[0] === "-" ? word[0] : "";
    const bare = word.slice(sign.length);
    const [name = "", setting] = bare.split(/=(.*)/s);
    const lower = name.toLowerCase();
    if (lower === "none") {
      if (sign !== "") throw new DirectiveValueError(`"${word}": None takes no + or -`);
      Object.assign(result, { none: true, set: [], add: [], remove: [] });
      continue;
    }
    if (lower === "namewidth" && setting !== undefined && sign === "") {
      result.nameWidth = parseNameWidth(setting);
      continue;
    }
    if (lower === "charset" && setting !== undefined && sign === "") {
      if (!TOKEN.test(setting)) {
        throw new DirectiveValueError(`${JSON.stringify(setting)} is not a charset name`);
      }
      result.charset = setting;
      continue;
    }
    const flag = INDEX_OPTION_FLAGS.find((f) => f.toLowerCase() === lower);
    if (flag === undefined || setting !== undefined) {
      throw new DirectiveValueError(unknownOption(word, bare));
    }
    if (sign === "") {
      result.set = [...new Set([...result.set ?? [], flag])];
      result.add = [];
      result.remove = [];
    } else {
      const [to, from] = sign === "+" ? [result.add, result.remove] : [result.remove, result.add];
      if (!to.includes(flag)) to.push(flag);
      if (from.includes(flag)) from.splice(from.indexOf(flag), 1);
    }
  }
  if (result.none && result.set!.length > 0) {
    throw new DirectiveValueError(`"None" cannot be combined with other options`);
  }
  return result;
}

function unknownOption(word: string, bare: string): string {
  const name = bare.replace(/=.*$/s, "");
  if (/^(namewidth|charset)$/i.test(name)) {
    return `"${word}": ${name} takes a value (${name}=…) and no + or -`;
  }
  if (isIgnoredIndexOption(word)) {
    return `mpmd does not implement IndexOptions ${name} (it has ${KEYWORDS.join(", ")})`;
  }
  const hint = didYouMeanHint(name, KEYWORDS);
  return `${JSON.stringify(word)} is not an IndexOptions keyword${
    hint === "" ? ` (mpmd has ${KEYWORDS.join(", ")})` : hint
  }`;
}

/** `*` (as long as the longest name) or a number of characters, at least 5 as in httpd. */
function parseNameWidth(setting: string): number | "*" {
  if (setting === "*") return "*";
  const width = /^\d+$/.test(setting) ? Number(setting) : NaN;
  if (!(width >= 5 && width <= 1000)) {
    throw new DirectiveValueError(
      `NameWidth=${setting} is not * or a number of characters from 5 to 1000`,
    );
  }
  return width;
}

/**
 * Joins two IndexOptions values as httpd does: lines of one host add up (a flag without a
 * sign drops the `+`/`-` flags written before it); a virtual host with any flag without a sign
 * inherits no flag from the main server, and otherwise adjusts the main server's.
 */
function combineIndexOptions(
  earlier: IndexOptionsValue,
  later: IndexOptionsValue,
  scope: CombineScope,
): IndexOptionsValue {
  const settings = {
    nameWidth: later.nameWidth ?? earlier.nameWidth,
    charset: later.charset ?? earlier.charset,
  };
  if (later.none) return { ...later, ...settings };
  if (later.set !== null) {
    const set = scope === "virtual host"
      ? later.set
      : [...new Set([...earlier.set ?? [], ...later.set])];
    return { ...later, set, ...settings };
  }
  return {
    none: earlier.none,
    set: earlier.set,
    add: [...new Set([...earlier.add, ...later.add])].filter((f) => !later.remove.includes(f)),
    remove: [...new Set([...earlier.remove, ...later.remove])].filter((f) =>
      !later.add.includes(f)
    ),
    ...settings,
  };
}

/** The flags an IndexOptions value turns on. */
export function indexOptionFlags(value: IndexOptionsValue): IndexOptionFlag[] {
  const on = new Set([...value.set ?? [], ...value.add]);
  return INDEX_OPTION_FLAGS.filter((f) => on.has(f) && !value.remove.includes(f));
}

/** IndexOptions: how a listing looks (FancyIndexing, HTMLTable, …). */
export const INDEX_OPTIONS: Directive<IndexOptionsValue> = {
  name: "IndexOptions",
  help: "How directory listings look: FancyIndexing, HTMLTable, FoldersFirst, …, or +X/-X",
  default: NO_INDEX_OPTIONS,
  parse: parseIndexOptions,
  combine: combineIndexOptions,
};

/** FancyIndexing: httpd's older switch for IndexOptions FancyIndexing; `null` when unset. */
export const FANCY_INDEXING: Directive<boolean | null> = {
  name: "FancyIndexing",
  help: "On or Off: the older spelling of IndexOptions FancyIndexing, which it overrides",
  default: null,
  parse: parseFlag,
};

const DIRECTIONS = { ascending: true, descending: false } as const;
const KEYS_BY_NAME: Readonly<Record<string, SortKey>> = {
  name: "N",
  date: "M",
  size: "S",
  description: "D",
};

/** IndexOrderDefault: the order of a listing whose query names none. */
export const INDEX_ORDER_DEFAULT: Directive<ListingOrder> = {
  name: "IndexOrderDefault",
  help: "Order of a listing without ?C=…;O=…: Ascending|Descending Name|Date|Size|Description",
  default: DEFAULT_AUTOINDEX.orderDefault,
  parse(value) {
    const [direction = "", key = "", ...extra] = wordsOf(value, "word");
    const ascending = DIRECTIONS[direction.toLowerCase() as keyof typeof DIRECTIONS];
    const sortKey = KEYS_BY_NAME[key.toLowerCase()];
    if (ascending === undefined || sortKey === undefined || extra.length > 0) {
      throw new DirectiveValueError(
        `${
          describeValue(value)
        } is not Ascending or Descending then Name, Date, Size or Description`,
      );
    }
    return { key: sortKey, ascending };
  },
};

// A name in the listed directory: no separator, not hidden (parseText refuses control
// characters).
const FILE_NAME = /^[^./\\][^/\\]*$/;

/** IndexIgnore: wildcard patterns (`*`, `?`) of names left out of listings; every line adds. */
export const INDEX_IGNORE: Directive<readonly string[]> = {
  name: "IndexIgnore",
  help: "Names left out of directory listings, as wildcard patterns (* and ?)",
  default: [],
  parse(value) {
    return mapItems(wordsOf(value, "pattern"), (pattern) => {
      // deno-lint-ignore no-control-regex -- control characters are what it refuses
      if (pattern.includes("/") || /[\x00-\x1f\x7f]/.test(pattern)) {
        throw new DirectiveValueError(
          `${
            JSON.stringify(pattern)
          } is not a name pattern: mpmd matches IndexIgnore against the names in the listed directory`,
        );
      }
      return pattern;
    });
  },
  combine: (earlier, later) => [...earlier, ...later],
};

/** HeaderName and ReadmeName: a file of the listed directory, or `null` for none. */
function noteFile(name: "HeaderName" | "ReadmeName", where: string): Directive<string | null> {
  return {
    name,
    help: `File of the listed directory shown ${where} its listing (name, then name.html)`,
    default: null,
    parse(value, ctx) {
      const file = parseText(value, ctx);
      if (!FILE_NAME.test(file)) {
        throw new DirectiveValueError(
          `${
            JSON.stringify(file)
          } is not a file name: mpmd reads ${name} from the listed directory only (no /, not hidden)`,
        );
      }
      return file;
    },
  };
}

/** HeaderName: the file shown above a listing. */
export const HEADER_NAME: Directive<string | null> = noteFile("HeaderName", "above");
/** ReadmeName: the file shown below a listing. */
export const README_NAME: Directive<string | null> = noteFile("ReadmeName", "below");

/** The order a listing has by default, as IndexOrderDefault spells it. */
export function formatListingOrder(order: ListingOrder): string {
  const key = Object.entries(KEYS_BY_NAME).find(([, k]) => k === order.key)![0];
  return `${order.ascending ? "Ascending" : "Descending"} ${key[0]!.toUpperCase()}${key.slice(1)}`;
}
