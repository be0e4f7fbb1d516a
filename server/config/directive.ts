/**
 * Directives as data: a {@link Directive} names a setting, documents it, parses one value of
 * it and gives httpd's default. The builders here make the common kinds (integer with a
 * range, duration, flag, text, path, word list, one of a set). Every parser accepts both the
 * YAML-native value (`false`, `8080`, `["index.html"]`) and httpd's argument text (`Off`,
 * `"8080"`, `"index.html index.htm"`), so the same tables serve the YAML reader, `-C`/`-c`
 * and a later httpd.conf reader.
 *
 * A parser checks only its own value and throws {@link DirectiveValueError} with the reason;
 * the reader adds "Cannot set <name>:" and the location. Rules that involve several
 * directives live in `checkConfig()`.
 *
 * @module
 */

import { resolve } from "node:path";
import { ArgumentSyntaxError, splitArgs } from "./split_args.ts";

/**
 * How a string value is written: `yaml` takes a scalar literally (a path may hold spaces),
 * `httpd` splits it into arguments with quotes, as a `-C` argument or httpd.conf line.
 */
export type ValueSyntax = "yaml" | "httpd";

/** What a parser may need besides the value. */
export interface DirectiveContext {
  /** Absolute ServerRoot that relative paths resolve against. */
  readonly serverRoot: string;
  /** How string values are written. */
  readonly syntax: ValueSyntax;
  /** Where the value was written (`mpmd.yaml:3`, `-c argument`). */
  readonly origin: string;
  /** Where item `index` of a list value was written; `origin` when not known. */
  itemOrigin(index: number): string;
}

/**
 * Which two values {@link Directive.combine} joins: two occurrences in one source (a config
 * file with its IfDefine sections, or all `-C` arguments, or all `-c` arguments), a value
 * and the one a later source sets, or the main server's value and a virtual host's own (for
 * the directives that the resolver merges that way).
 */
export type CombineScope = "same source" | "later source" | "virtual host";

/** One directive: its name, a line of help, its value parser and httpd's default. */
export interface Directive<T> {
  /** The directive's name, spelled as httpd spells it. */
  readonly name: string;
  /** One line saying what it sets. */
  readonly help: string;
  /** The value used when no source sets it. */
  readonly default: T;
  /**
   * Parses one written value.
   *
   * @throws {DirectiveValueError} with the reason the value is not acceptable.
   */
  parse(value: unknown, ctx: DirectiveContext): T;
  /**
   * Joins an earlier value with a later one. Absent: the later replaces the earlier. Lists
   * that httpd lets you repeat (`Listen`) add up within one source and are replaced by a later
   * source; the default value is the first "earlier" value.
   */
  combine?(earlier: T, later: T, scope: CombineScope): T;
}

/** Options of a {@link DirectiveValueError}. */
export interface DirectiveValueErrorOptions extends ErrorOptions {
  /** Index of the refused item when the value is a list. */
  readonly item?: number;
}

/** Why a value was refused; the message is the reason only (`"five" is not a duration`). */
export class DirectiveValueError extends Error {
  /** Index of the refused item of a list value (whose own line the reader then names), or `null`. */
  readonly item: number | null;

  /** Builds the error with its reason. */
  constructor(reason: string, options: DirectiveValueErrorOptions = {}) {
    super(reason, options);
    this.name = "DirectiveValueError";
    this.item = options.item ?? null;
  }
}

/**
 * Parses each item of a list value, marking a refusal with the item's index (see
 * {@link DirectiveValueError.item}).
 */
export function mapItems<I, T>(
  items: readonly I[],
  parseItem: (item: I, index: number) => T,
): T[] {
  return items.map((item, index) => {
    try {
      return parseItem(item, index);
    } catch (e) {
      if (!(e instanceof DirectiveValueError) || e.item !== null) throw e;
      throw new DirectiveValueError(e.message, { item: index, cause: e });
    }
  });
}

/** Describes a written value for a message: `"five"`, `12`, `a list`, `a map`. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "an empty value";
  return Array.isArray(value) ? "a list" : "a map";
}

/** Splits httpd argument text, turning a syntax error into a value error. */
export function argsOf(text: string): string[] {
  try {
    return splitArgs(text);
  } catch (e) {
    if (e instanceof ArgumentSyntaxError) throw new DirectiveValueError(e.message, { cause: e });
    throw e;
  }
}

/**
 * The one word of a string value: YAML text as written (trimmed), httpd text unquoted.
 *
 * @throws {DirectiveValueError} when httpd text holds more than one argument.
 */
export function singleText(text: string, ctx: DirectiveContext): string {
  if (ctx.syntax === "yaml") return text.trim();
  const args = argsOf(text);
  if (args.length > 1) {
    throw new DirectiveValueError(`${JSON.stringify(text)} is more than one value`);
  }
  return args[0] ?? "";
}

/**
 * The words of a value written as a YAML list, a single scalar or a space-separated string.
 * `noun` names one word in messages (`"file name"`).
 *
 * @throws {DirectiveValueError} for a map or a list item that is not a scalar.
 */
export function wordsOf(value: unknown, noun: string): string[] {
  if (typeof value === "string") return argsOf(value);
  if (typeof value === "number") return [String(value)];
  if (Array.isArray(value)) {
    return mapItems(value, (item) => {
      if (typeof item === "string" || typeof item === "number") return String(item);
      throw new DirectiveValueError(
        `${describeValue(item)} in the list is not ${withArticle(noun)}`,
      );
    });
  }
  throw new DirectiveValueError(`${describeValue(value)} is not a list of ${noun}s`);
}

/**
 * Checks that `source` compiles as a regular expression (JavaScript's syntax, which covers the
 * PCRE patterns httpd configurations commonly use).
 *
 * @throws {DirectiveValueError} with the compiler's reason.
 */
export function checkRegExp(source: string): void {
  try {
    new RegExp(source);
  } catch (e) {
    const reason = e instanceof Error
      ? e.message.replace(/^Invalid regular expression: /, "")
      : String(e);
    throw new DirectiveValueError(
      `${JSON.stringify(source)} is not a valid regular expression: ${reason}`,
    );
  }
}

/** `"a file name"`, `"an option"`. */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;
}

/** Names, help and default shared by every builder. */
export interface DirectiveInfo<T> {
  /** httpd's name of the directive. */
  readonly name: string;
  /** One line on what it sets. */
  readonly help: string;
  /** The value in force when the directive is not written. */
  readonly default: T;
}

/** Range of an {@link integer} directive, both ends included. */
export interface IntegerRange {
  /** Smallest value accepted. */
  readonly min: number;
  /** Largest value accepted. */
  readonly max: number;
}

/**
 * Parses an integer within `range` from a number or its decimal text.
 *
 * @throws {DirectiveValueError} for other text, a fraction or a value out of range.
 */
export function parseInteger(value: unknown, ctx: DirectiveContext, range: IntegerRange): number {
  let n = NaN;
  if (typeof value === "number") n = value;
  else if (typeof value === "string") {
    const text = singleText(value, ctx);
    if (/^[+-]?\d+$/.test(text)) n = Number(text);
  }
  if (!Number.isInteger(n)) {
    throw new DirectiveValueError(`${describeValue(value)} is not an integer`);
  }
  return inRange(n, range, value, String);
}

/** A whole-number directive with an inclusive range (`LimitRequestFields 0..32767`). */
export function integer(info: DirectiveInfo<number> & IntegerRange): Directive<number> {
  return { ...info, parse: (value, ctx) => parseInteger(value, ctx, info) };
}

/**
 * A decimal directive greater than `above` (httpd's AsyncRequestWorkerFactor takes a
 * fraction).
 */
export function decimal(
  info: DirectiveInfo<number> & { readonly above: number; readonly max: number },
): Directive<number> {
  return {
    ...info,
    parse(value, ctx) {
      let n = NaN;
      if (typeof value === "number") n = value;
      else if (typeof value === "string") {
        const text = singleText(value, ctx);
        if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) n = Number(text);
      }
      if (!Number.isFinite(n)) {
        throw new DirectiveValueError(`${describeValue(value)} is not a number`);
      }
      if (n <= info.above) {
        throw new DirectiveValueError(`${describeValue(value)} is not above ${info.above}`);
      }
      return inRange(n, { min: -Infinity, max: info.max }, value, String);
    },
  };
}

/**
 * Longest duration accepted: timers take a signed 32-bit millisecond count and fire at once
 * when given more, so a larger value would turn a long timeout into none at all.
 */
export const MAX_DURATION_MS = 2_147_483_000;

/**
 * Parses a duration to milliseconds: a number of seconds, or text with an optional `s` or
 * `ms` unit (`"500ms"`, `"5"`, `"1.5s"`), as httpd 2.4 accepts for Timeout and
 * KeepAliveTimeout.
 *
 * @throws {DirectiveValueError} for anything else or a value out of range.
 */
export function parseDuration(value: unknown, ctx: DirectiveContext, minMs: number): number {
  let ms = NaN;
  if (typeof value === "number" && value >= 0) ms = Math.round(value * 1000);
  else if (typeof value === "string") {
    const m = /^(\d+(?:\.\d+)?)(ms|s)?$/i.exec(singleText(value, ctx));
    if (m) ms = Math.round(Number(m[1]) * (m[2]?.toLowerCase() === "ms" ? 1 : 1000));
  }
  if (!Number.isFinite(ms)) {
    throw new DirectiveValueError(
      `${describeValue(value)} is not a duration (seconds, or a number with ms/s)`,
    );
  }
  return inRange(ms, { min: minMs, max: MAX_DURATION_MS }, value, formatDuration);
}

/** A duration directive, kept in milliseconds. */
export function duration(
  info: DirectiveInfo<number> & { readonly minMs: number },
): Directive<number> {
  return { ...info, parse: (value, ctx) => parseDuration(value, ctx, info.minMs) };
}

/** Formats milliseconds for a message: `5s`, `500ms`. */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The units of a size: binary multiples, as nginx's `k`, `m`, `g` (case ignored). */
const SIZE_UNITS: Readonly<Record<string, number>> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 };

/**
 * Parses a size to bytes: a whole number of bytes, or text with a `K`, `M` or `G` unit
 * (`"512M"`, `"2g"`), each a power of 1024.
 *
 * @throws {DirectiveValueError} for anything else.
 */
export function parseSize(value: unknown, ctx: DirectiveContext): number {
  let bytes = NaN;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) bytes = value;
  else if (typeof value === "string") {
    const m = /^(\d+)([kmg]?)$/i.exec(singleText(value, ctx));
    if (m) bytes = Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!;
  }
  if (!Number.isSafeInteger(bytes)) {
    throw new DirectiveValueError(
      `${describeValue(value)} is not a size (bytes, or a number with K, M or G)`,
    );
  }
  return bytes;
}

/** A size directive, kept in bytes. */
export function size(info: DirectiveInfo<number>): Directive<number> {
  return { ...info, parse: parseSize };
}

/** Formats bytes for a message, in the largest unit that keeps one decimal: `512 MiB`. */
export function formatSize(bytes: number): string {
  const [unit, factor] = bytes >= 2 ** 30
    ? ["GiB", 2 ** 30]
    : bytes >= 2 ** 20
    ? ["MiB", 2 ** 20]
    : bytes >= 2 ** 10
    ? ["KiB", 2 ** 10]
    : ["bytes", 1];
  return `${Math.round((bytes / factor) * 10) / 10} ${unit}`;
}

/**
 * Parses httpd's On/Off (any case) or a YAML boolean.
 *
 * @throws {DirectiveValueError} for anything else.
 */
export function parseFlag(value: unknown, ctx: DirectiveContext): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const text = singleText(value, ctx).toLowerCase();
    if (text === "on") return true;
    if (text === "off") return false;
  }
  throw new DirectiveValueError(`${describeValue(value)} is not On or Off`);
}

/** An On/Off directive. */
export function flag(info: DirectiveInfo<boolean>): Directive<boolean> {
  return { ...info, parse: parseFlag };
}

// deno-lint-ignore no-control-regex -- finding control characters is the point
const CONTROL_CHAR = /[\x00-\x1f\x7f]/;

/**
 * Parses one non-empty string without control characters (a NUL would make every file
 * system call on a path fail, long after the configuration was accepted).
 *
 * @throws {DirectiveValueError} for a non-string or empty value, or one with a control
 *   character.
 */
export function parseText(value: unknown, ctx: DirectiveContext): string {
  if (typeof value !== "string") {
    throw new DirectiveValueError(`${describeValue(value)} is not a string`);
  }
  const text = singleText(value, ctx);
  if (text === "") throw new DirectiveValueError("the value is empty");
  if (CONTROL_CHAR.test(text)) {
    throw new DirectiveValueError(`${JSON.stringify(text)} holds a control character`);
  }
  return text;
}

/** A directive holding one string, optionally restricted by a pattern. */
export function text(
  info: DirectiveInfo<string> & { readonly pattern?: RegExp; readonly expected?: string },
): Directive<string> {
  return {
    ...info,
    parse(value, ctx) {
      const t = parseText(value, ctx);
      if (info.pattern && !info.pattern.test(t)) {
        throw new DirectiveValueError(`${JSON.stringify(t)} is not ${info.expected ?? "valid"}`);
      }
      return t;
    },
  };
}

/** A path directive, resolved against ServerRoot; its default may be relative. */
export function path(info: DirectiveInfo<string>): Directive<string> {
  return { ...info, parse: (value, ctx) => resolve(ctx.serverRoot, parseText(value, ctx)) };
}

/**
 * A list of words (a YAML list or a space-separated string); repeats within one source add
 * up, as httpd's repeated lines do.
 */
export function list(
  info: DirectiveInfo<readonly string[]> & {
    /** One word of the list in messages, without article (`"file name"`). */
    readonly item: string;
    readonly pattern?: RegExp;
  },
): Directive<readonly string[]> {
  return {
    ...info,
    parse(value) {
      return mapItems(wordsOf(value, info.item), (word) => {
        if (info.pattern && !info.pattern.test(word)) {
          throw new DirectiveValueError(`${JSON.stringify(word)} is not ${withArticle(info.item)}`);
        }
        return word;
      });
    },
    combine: appendInSameSource,
  };
}

/**
 * A directive whose value is one item or a YAML list of them, each read by `parseItem` with
 * where it was written (a refusal names the item's line); repeats within one source add up,
 * as httpd's repeated lines do.
 */
export function itemList<T>(
  info: DirectiveInfo<readonly T[]>,
  parseItem: (item: unknown, ctx: DirectiveContext, origin: string) => T,
): Directive<readonly T[]> {
  return {
    ...info,
    parse(value, ctx) {
      if (!Array.isArray(value)) return [parseItem(value, ctx, ctx.origin)];
      return mapItems(value, (item, i) => parseItem(item, ctx, ctx.itemOrigin(i)));
    },
    combine: appendInSameSource,
  };
}

/** {@link Directive.combine} for lists: add up within a source, replace from a later one. */
export function appendInSameSource<T>(
  earlier: readonly T[],
  later: readonly T[],
  scope: CombineScope,
): readonly T[] {
  return scope === "same source" ? [...earlier, ...later] : later;
}

/**
 * A directive whose value is one of `values`, matched in any case and returned in the
 * spelling of `values`; `aliases` maps other accepted spellings (lower-case) to a value.
 */
export function oneOf<V extends string>(
  info: DirectiveInfo<V> & {
    readonly values: readonly V[];
    readonly aliases?: Readonly<Record<string, V>>;
  },
): Directive<V> {
  return {
    ...info,
    parse(value, ctx) {
      if (typeof value === "string") {
        const t = singleText(value, ctx).toLowerCase();
        const found = info.values.find((v) => v.toLowerCase() === t) ?? info.aliases?.[t];
        if (found !== undefined) return found;
      }
      throw new DirectiveValueError(
        `${describeValue(value)} is not one of ${info.values.join(", ")}`,
      );
    },
  };
}

function inRange(
  n: number,
  range: IntegerRange,
  written: unknown,
  show: (n: number) => string,
): number {
  if (n < range.min) {
    throw new DirectiveValueError(
      `${describeValue(written)} is below the minimum (${show(range.min)})`,
    );
  }
  if (n > range.max) {
    throw new DirectiveValueError(
      `${describeValue(written)} is above the maximum (${show(range.max)})`,
    );
  }
  return n;
}
