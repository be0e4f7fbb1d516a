/**
 * Reads a YAML config into {@link Occurrence}s with their lines: top-level directives, the
 * MPM sections (`prefork:`, …), the `VirtualHost` list (maps of an `Address` and host
 * directives) and the IfDefine sections, whose directives apply after the top-level ones of
 * the same map, as overrides. `${NAME}` and `${NAME:-default}` in string
 * values (not keys) are replaced from the environment.
 *
 * @module
 */

import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
} from "./_yaml_package.ts";
import type {
  Occurrence,
  ReadResult,
  UndefinedVariable,
  VirtualHostDeclaration,
} from "./_occurrence.ts";
import { expandVariables } from "./_variables.ts";
import {
  ConfigError,
  type ConfigLocation,
  describeValue,
  formatLocation,
  MPM_NAMES,
  type MpmName,
  SSL_LEFT_TO_LIBRARY,
} from "../mod.ts";

/** What {@link readYaml} needs besides the text. */
export interface ReadYamlOptions {
  /** How messages name the file. */
  readonly file: string;
  /**
   * Whether messages give lines: not for a text the user never saw.
   * @default {true}
   */
  readonly lines?: boolean;
  /** `-D` names, deciding which IfDefine sections apply. */
  readonly defines: readonly string[];
  /** Environment variables: the values of `${NAME}` (a `-D` name has no value). */
  readonly env: (name: string) => string | undefined;
}

interface State {
  readonly doc: Document;
  readonly defines: readonly string[];
  readonly env: (name: string) => string | undefined;
  readonly at: (node: unknown) => ConfigLocation;
  readonly occurrences: Occurrence[];
  readonly virtualHosts: VirtualHostDeclaration[];
  readonly errors: ConfigError[];
  readonly warnings: string[];
}

/** Where a map's directives go: the top level, an MPM section, or a virtual host (1, 2, …). */
type Scope = { readonly section: "top level" | MpmName; readonly host: number };

/** Reads the directives of a YAML config; a syntax error stops the reading there. */
export function readYaml(text: string, options: ReadYamlOptions): ReadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const atOffset = (offset: number | undefined): ConfigLocation => {
    if (offset === undefined || options.lines === false) {
      return { file: options.file, line: null, column: null };
    }
    const { line, col } = lineCounter.linePos(offset);
    return { file: options.file, line, column: col };
  };
  const unresolved = unresolvedAliases(doc).map((alias) =>
    new ConfigError({
      at: atOffset(alias.range?.[0]),
      directive: null,
      detail:
        `Cannot parse YAML: *${alias.source} refers to no anchor (quote a value that starts with "*", e.g. "*:8080")`,
    })
  );
  if (unresolved.length > 0) {
    return { complete: false, occurrences: [], virtualHosts: [], errors: unresolved, warnings: [] };
  }
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) =>
      new ConfigError({
        at: atOffset(e.pos[0]),
        directive: null,
        detail: `Cannot parse YAML: ${e.message}`,
        cause: e,
      })
    );
    return { complete: false, occurrences: [], virtualHosts: [], errors, warnings: [] };
  }
  const warnings = doc.warnings.map((w) => `${formatLocation(atOffset(w.pos[0]))}: ${w.message}`);
  const state: State = {
    doc,
    defines: options.defines,
    env: options.env,
    at: (node) => atOffset(isNode(node) ? node.range?.[0] : undefined),
    occurrences: [],
    virtualHosts: [],
    errors: [],
    warnings,
  };
  const top = doc.contents;
  if (isMap(top)) readMap(state, top, TOP_LEVEL, true);
  else if (!isEmpty(top)) {
    const error = new ConfigError({
      at: state.at(top),
      directive: null,
      detail: `Cannot read the config: its top level is ${
        describeValue(toJS(state, top))
      }, not a map of directives`,
    });
    return { complete: false, occurrences: [], virtualHosts: [], errors: [error], warnings };
  }
  const { occurrences, virtualHosts, errors } = state;
  return { complete: true, occurrences, virtualHosts, errors, warnings };
}

const TOP_LEVEL: Scope = { section: "top level", host: 0 };

function readMap(
  state: State,
  map: { readonly items: readonly { key: unknown; value: unknown }[] },
  scope: Scope,
  active: boolean,
): void {
  const { section, host } = scope;
  const ifDefines: unknown[] = [];
  const topLevel = section === "top level" && host === 0;
  for (const { key, value } of map.items) {
    const name = isScalar(key) ? String(key.value) : describeValue(toJS(state, key));
    if (topLevel && name === "IfDefine") {
      ifDefines.push(value);
    } else if (topLevel && isMpmName(name)) {
      readSection(state, value, name, active, key);
    } else if (topLevel && name === "VirtualHost") {
      readVirtualHosts(state, value, active, key);
    } else if (host > 0 && name === "Address") {
      continue;
    } else if (Object.hasOwn(SSL_LEFT_TO_LIBRARY, name)) {
      if (active) leaveToLibrary(state, name, value, key);
    } else {
      const node = isAlias(value) ? value.resolve(state.doc) : value;
      const at = state.at(key);
      const itemLines = isSeq(node) ? node.items.map((item) => state.at(item).line) : [];
      const expanded = expandValue(toJS(state, value), state.env);
      state.occurrences.push({
        name,
        value: expanded.value,
        syntax: "yaml",
        source: "file",
        section,
        host,
        active,
        at,
        itemLines,
        undefinedVariables: expanded.undefined.map(({ name, item }): UndefinedVariable => {
          const line = item === null ? null : itemLines[item] ?? null;
          return { name, at: line === null ? at : { ...at, line, column: null } };
        }),
      });
    }
  }
  for (const value of ifDefines) readIfDefine(state, value, active);
}

/**
 * A mod_ssl directive whose work the TLS library does its own way, read as httpd.conf reads
 * it: a warning when its value asks for what is not done, nothing when the value agrees.
 */
function leaveToLibrary(state: State, name: string, value: unknown, key: unknown): void {
  const read = toJS(state, value);
  // YAML may read `off` as false: httpd's words either way.
  const args = typeof read === "boolean" ? (read ? "on" : "off") : String(read);
  const reason = SSL_LEFT_TO_LIBRARY[name]!(args);
  if (reason !== null) {
    state.warnings.push(`${formatLocation(state.at(key))}: ${name} ${args}: ${reason}`);
  }
}

function readSection(
  state: State,
  value: unknown,
  mpm: MpmName,
  active: boolean,
  key: unknown,
): void {
  const node = isAlias(value) ? value.resolve(state.doc) : value;
  if (isMap(node)) readMap(state, node, { section: mpm, host: 0 }, active);
  else if (!isEmpty(node)) {
    state.errors.push(
      new ConfigError({
        at: state.at(key),
        directive: mpm,
        detail: `Cannot use ${mpm}: ${
          describeValue(toJS(state, node))
        } is not a map of ${mpm} directives`,
      }),
    );
  }
}

/**
 * IfDefine maps define names to directive maps, applied when the `-D` name is given (or, for
 * `!NAME`, not given). Sections that do not apply are still checked, so that their typos
 * surface before the day they are switched on.
 */
function readIfDefine(state: State, value: unknown, active: boolean): void {
  const node = isAlias(value) ? value.resolve(state.doc) : value;
  if (isEmpty(node)) return;
  if (!isMap(node)) {
    state.errors.push(
      new ConfigError({
        at: state.at(node),
        directive: "IfDefine",
        detail: `Cannot use IfDefine: ${
          describeValue(toJS(state, node))
        } is not a map of define names to directive maps`,
      }),
    );
    return;
  }
  for (const { key, value: body } of node.items) {
    const written = isScalar(key) ? String(key.value) : "";
    const m = /^(!?)([^\s!]+)$/.exec(written);
    const bodyNode = isAlias(body) ? body.resolve(state.doc) : body;
    if (!m || !(isMap(bodyNode) || isEmpty(bodyNode))) {
      state.errors.push(
        new ConfigError({
          at: state.at(key),
          directive: "IfDefine",
          detail: m
            ? `Cannot use IfDefine ${written}: ${
              describeValue(toJS(state, bodyNode))
            } is not a map of directives`
            : `Cannot use IfDefine ${
              JSON.stringify(written)
            }: a define name is a word, optionally after "!"`,
        }),
      );
      continue;
    }
    const applies = state.defines.includes(m[2]!) !== (m[1] === "!");
    if (isMap(bodyNode)) readMap(state, bodyNode, TOP_LEVEL, active && applies);
  }
}

/**
 * `VirtualHost` is a list of maps, each a host: its `Address` (httpd's `<VirtualHost>`
 * arguments) and its host directives, read like the top level's.
 */
function readVirtualHosts(state: State, value: unknown, active: boolean, key: unknown): void {
  const node = isAlias(value) ? value.resolve(state.doc) : value;
  const refuse = (at: unknown, why: string): void => {
    state.errors.push(
      new ConfigError({
        at: state.at(at),
        directive: "VirtualHost",
        detail: `Cannot use VirtualHost: ${why}`,
      }),
    );
  };
  if (isEmpty(node)) return;
  if (!isSeq(node)) {
    return refuse(key, `${describeValue(toJS(state, node))} is not a list of hosts`);
  }
  for (const item of node.items) {
    const hostNode = isAlias(item) ? item.resolve(state.doc) : item;
    if (!isMap(hostNode)) {
      refuse(
        item,
        `${
          describeValue(toJS(state, hostNode))
        } is not a host (a map of Address and host directives)`,
      );
      continue;
    }
    const address = hostNode.items.find((pair) =>
      isScalar(pair.key) && pair.key.value === "Address"
    );
    if (address === undefined) {
      refuse(item, 'a host needs its Address (for example Address: "*:8080")');
      continue;
    }
    state.virtualHosts.push({
      addresses: expandValue(toJS(state, address.value), state.env).value,
      at: state.at(address.key),
      active,
    });
    readMap(state, hostNode, { section: "top level", host: state.virtualHosts.length }, active);
  }
}

interface ExpandedValue {
  readonly value: unknown;
  /** Each undefined name, with the index of the top-level list item it is in. */
  readonly undefined: readonly { readonly name: string; readonly item: number | null }[];
}

/** Expands the variables of every string in a value, however deep, but not of map keys. */
function expandValue(value: unknown, lookup: (name: string) => string | undefined): ExpandedValue {
  const found: { name: string; item: number | null }[] = [];
  // Aliases can make a value contain itself: such a value is left as it is.
  const open = new Set<object>();
  const walk = (v: unknown, item: number | null): unknown => {
    if (typeof v === "string") {
      const e = expandVariables(v, lookup);
      found.push(...e.undefinedNames.map((name) => ({ name, item })));
      return e.text;
    }
    if (typeof v !== "object" || v === null || open.has(v)) return v;
    open.add(v);
    try {
      if (Array.isArray(v)) return v.map((x) => walk(x, item));
      if (Object.getPrototypeOf(v) !== Object.prototype) return v;
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, item)]));
    } finally {
      open.delete(v);
    }
  };
  if (!Array.isArray(value)) return { value: walk(value, null), undefined: found };
  open.add(value);
  return { value: value.map((x, i) => walk(x, i)), undefined: found };
}

function isMpmName(name: string): name is MpmName {
  return (MPM_NAMES as readonly string[]).includes(name);
}

function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** Aliases without an anchor: yaml reports them only when the value is converted. */
function unresolvedAliases(doc: Document): Alias[] {
  const found: Alias[] = [];
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) found.push(alias);
    },
  });
  return found;
}

function toJS(state: State, node: unknown): unknown {
  return isNode(node) ? node.toJS(state.doc) : node;
}
