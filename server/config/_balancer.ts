/**
 * mod_proxy_balancer's `BalancerMember balancer://name URL [key=value …]` and `ProxySet
 * balancer://name key=value …` (httpd.conf writes them inside `<Proxy "balancer://name">`
 * without the first argument; the reader adds it), with mod_proxy_hcheck's `hc*` member keys.
 * Each line is parsed on its own; {@link assembleBalancers} gathers them per balancer.
 *
 * @module
 */

import {
  argsOf,
  describeValue,
  type Directive,
  type DirectiveContext,
  DirectiveValueError,
  formatDuration,
  itemList,
  parseDuration,
  parseFlag,
  parseInteger,
} from "./directive.ts";
import {
  type BalancerConfig,
  type BalancerMemberConfig,
  HC_METHODS,
  type HcMethod,
  type HealthCheckConfig,
  LB_METHODS,
  type LbMethod,
  MEMBER_STATUS_FLAGS,
  type MemberStatusFlag,
  type StickySession,
} from "./balancer_config.ts";

/** httpd's defaults for a member's keys. */
export const MEMBER_DEFAULTS = {
  loadFactor: 1,
  retryMs: 60_000,
  healthCheck: { method: "NONE", intervalMs: 30_000, passes: 1, fails: 1 },
} as const;

/** The shortest hcinterval: httpd's watchdog runs the checks in 100 ms slices. */
const MIN_HC_INTERVAL_MS = 100;

/** One BalancerMember line, parsed. */
export interface BalancerMemberLine {
  /** The balancer's name, lower-case. */
  readonly balancer: string;
  /** The member it defines. */
  readonly member: BalancerMemberConfig;
}

/** The balancer keys of one ProxySet line (only those it sets). */
export type BalancerSettings = Partial<
  Pick<
    BalancerConfig,
    | "lbMethod"
    | "stickySession"
    | "stickySessionSeparator"
    | "noFailover"
    | "maxAttempts"
    | "forceRecovery"
  >
>;

/** One ProxySet line, parsed. */
export interface ProxySetLine {
  /** The balancer's name, lower-case. */
  readonly balancer: string;
  /** The keys it sets. */
  readonly settings: BalancerSettings;
  /** Where it was written. */
  readonly origin: string;
}

/** The name in `balancer://name` (lower-case, as httpd compares names), or `null`. */
export function balancerName(url: string): string | null {
  const m = /^balancer:\/\/([A-Za-z0-9._~-]+)\/?$/i.exec(url);
  return m === null ? null : m[1]!.toLowerCase();
}

/**
 * The balancer a ProxyPass target `balancer://name[/path]` names (lower-case), or `null` when
 * the target is not a balancer URL.
 */
export function balancerOfTarget(target: string): string | null {
  const m = /^balancer:\/\/([A-Za-z0-9._~-]+)(\/[^?#]*)?$/i.exec(target);
  return m === null ? null : m[1]!.toLowerCase();
}

function requireBalancer(word: string | undefined, directive: string): string {
  const name = word === undefined ? null : balancerName(word);
  if (name === null) {
    throw new DirectiveValueError(
      `${
        JSON.stringify(word ?? "")
      } is not a balancer URL (${directive} balancer://name …, or inside <Proxy "balancer://name">)`,
    );
  }
  return name;
}

/** Splits `key=value` words; keys are matched without regard to case, as httpd does. */
function keyValues(words: readonly string[]): [key: string, value: string][] {
  return words.map((word) => {
    const eq = word.indexOf("=");
    if (eq <= 0) throw new DirectiveValueError(`${JSON.stringify(word)} is not key=value`);
    return [word.slice(0, eq).toLowerCase(), word.slice(eq + 1)];
  });
}

function unknownKey(key: string, directive: string, known: readonly string[]): never {
  throw new DirectiveValueError(
    `${JSON.stringify(key)} is not a ${directive} key mpmd implements (${known.join(", ")})`,
  );
}

function parseLoadFactor(value: string): number {
  const n = /^\d+(\.\d{1,2})?$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 100)) {
    throw new DirectiveValueError(`loadfactor ${JSON.stringify(value)} is not a number 1 to 100`);
  }
  return n;
}

/** `+H`, `-D`, `H`, `+H+I`: httpd sets a letter after `+` (or none) and clears it after `-`. */
function parseStatus(value: string, flags: Set<MemberStatusFlag>): void {
  const parts = /^([+-]?[A-Za-z])+$/.test(value) ? value.match(/[+-]?[A-Za-z]/g)! : null;
  if (parts === null) {
    throw new DirectiveValueError(`status ${JSON.stringify(value)} is not +X or -X flags`);
  }
  for (const part of parts) {
    const letter = part.at(-1)!.toUpperCase() as MemberStatusFlag;
    if (!MEMBER_STATUS_FLAGS.includes(letter)) {
      throw new DirectiveValueError(
        `status ${JSON.stringify(part)} is not a flag mpmd implements (${
          MEMBER_STATUS_FLAGS.join(", ")
        })`,
      );
    }
    if (part.startsWith("-")) flags.delete(letter);
    else flags.add(letter);
  }
}

function parseHcMethod(value: string): HcMethod {
  // httpd's OPTIONS11, HEAD11 and GET11 ask over HTTP/1.1, which mpmd's checks always speak.
  const upper = value.toUpperCase().replace(/11$/, "");
  const method = HC_METHODS.find((m) => m === upper);
  if (method === undefined) {
    throw new DirectiveValueError(
      `hcmethod ${JSON.stringify(value)} is not one of ${HC_METHODS.join(", ")}`,
    );
  }
  return method;
}

const MEMBER_KEYS = [
  "loadfactor",
  "route",
  "retry",
  "status",
  "hcmethod",
  "hcuri",
  "hcinterval",
  "hcpasses",
  "hcfails",
] as const;

// RFC 9110 token: a route travels in a cookie value and a URL.
const ROUTE = /^[A-Za-z0-9!#$%&'*+^_`|~-][A-Za-z0-9!#$%&'*+.^_`|~-]*$/;

function parseMember(item: unknown, ctx: DirectiveContext, origin: string): BalancerMemberLine {
  if (typeof item !== "string") {
    throw new DirectiveValueError(`${describeValue(item)} is not a BalancerMember line`);
  }
  const [target, written, ...rest] = argsOf(item);
  const balancer = requireBalancer(target, "BalancerMember");
  let url: URL;
  try {
    url = new URL(written ?? "");
  } catch {
    throw new DirectiveValueError(`${JSON.stringify(written ?? "")} is not a member URL`);
  }
  if (url.protocol !== "http:" || url.search !== "" || url.hash !== "" || url.username !== "") {
    throw new DirectiveValueError(
      `${
        JSON.stringify(written)
      } is not an http://host:port/path member URL (mpmd's proxy reaches backends over HTTP/1.1)`,
    );
  }
  let route = "";
  let loadFactor: number = MEMBER_DEFAULTS.loadFactor;
  let retryMs: number = MEMBER_DEFAULTS.retryMs;
  const status = new Set<MemberStatusFlag>();
  const hc: { -readonly [K in keyof HealthCheckConfig]: HealthCheckConfig[K] } = {
    ...MEMBER_DEFAULTS.healthCheck,
    path: url.pathname,
  };
  const counts = { min: 1, max: 1000 };
  for (const [key, value] of keyValues(rest)) {
    switch (key) {
      case "loadfactor":
        loadFactor = parseLoadFactor(value);
        break;
      case "route":
        if (!ROUTE.test(value)) {
          throw new DirectiveValueError(`route ${JSON.stringify(value)} is not a token`);
        }
        route = value;
        break;
      case "retry":
        retryMs = parseDuration(value, ctx, 0);
        break;
      case "status":
        parseStatus(value, status);
        break;
      case "hcmethod":
        hc.method = parseHcMethod(value);
        break;
      case "hcuri":
        if (!/^[^\s?#]+$/.test(value)) {
          throw new DirectiveValueError(`hcuri ${JSON.stringify(value)} is not a path`);
        }
        // A relative hcuri is under the member's own path, as httpd joins them.
        hc.path = new URL(value, url).pathname;
        break;
      case "hcinterval":
        hc.intervalMs = parseDuration(value, ctx, MIN_HC_INTERVAL_MS);
        break;
      case "hcpasses":
        hc.passes = parseInteger(value, ctx, counts);
        break;
      case "hcfails":
        hc.fails = parseInteger(value, ctx, counts);
        break;
      default:
        unknownKey(key, "BalancerMember", MEMBER_KEYS);
    }
  }
  const member: BalancerMemberConfig = {
    url: url.href,
    route,
    loadFactor,
    retryMs,
    status: MEMBER_STATUS_FLAGS.filter((flag) => status.has(flag)),
    healthCheck: hc,
    origin,
  };
  return { balancer, member };
}

const BALANCER_KEYS = [
  "lbmethod",
  "stickysession",
  "stickysessionsep",
  "nofailover",
  "maxattempts",
  "forcerecovery",
] as const;

// A cookie name or URL parameter name: an RFC 9110 token.
const NAME = /^[A-Za-z0-9!#$%&'*+.^_`~-]+$/;

function parseStickySession(value: string): StickySession {
  const [cookie = "", urlParameter = cookie, ...extra] = value.split("|");
  if (!NAME.test(cookie) || !NAME.test(urlParameter) || extra.length > 0) {
    throw new DirectiveValueError(
      `stickysession ${JSON.stringify(value)} is not COOKIE or COOKIE|urlparam`,
    );
  }
  return { cookie, urlParameter };
}

function parseProxySet(item: unknown, ctx: DirectiveContext, origin: string): ProxySetLine {
  if (typeof item !== "string") {
    throw new DirectiveValueError(`${describeValue(item)} is not a ProxySet line`);
  }
  const [target, ...rest] = argsOf(item);
  const balancer = requireBalancer(target, "ProxySet");
  if (rest.length === 0) throw new DirectiveValueError("ProxySet needs at least one key=value");
  const settings: { -readonly [K in keyof BalancerSettings]: BalancerSettings[K] } = {};
  for (const [key, value] of keyValues(rest)) {
    switch (key) {
      case "lbmethod": {
        const method = LB_METHODS.find((m) => m === value.toLowerCase());
        if (method === undefined) {
          throw new DirectiveValueError(
            `lbmethod ${JSON.stringify(value)} is not one of ${LB_METHODS.join(", ")}`,
          );
        }
        settings.lbMethod = method;
        break;
      }
      case "stickysession":
        settings.stickySession = parseStickySession(value);
        break;
      case "stickysessionsep":
        if (value.length !== 1 || /[\s;=]/.test(value)) {
          throw new DirectiveValueError(
            `stickysessionsep ${JSON.stringify(value)} is not one character`,
          );
        }
        settings.stickySessionSeparator = value;
        break;
      case "nofailover":
        settings.noFailover = parseFlag(value, ctx);
        break;
      case "maxattempts":
        settings.maxAttempts = parseInteger(value, ctx, { min: 0, max: 1000 });
        break;
      case "forcerecovery":
        settings.forceRecovery = parseFlag(value, ctx);
        break;
      default:
        unknownKey(key, "ProxySet", BALANCER_KEYS);
    }
  }
  return { balancer, settings, origin };
}

/** BalancerMember: one backend of a balancer, with its weight, route and health check. */
export const BALANCER_MEMBER: Directive<readonly BalancerMemberLine[]> = itemList({
  name: "BalancerMember",
  help: "A backend of a balancer: balancer://name http://host:port/path [key=value …]",
  default: [],
}, parseMember);

/** ProxySet: keys of a balancer (lbmethod, stickysession, …). */
export const PROXY_SET: Directive<readonly ProxySetLine[]> = itemList({
  name: "ProxySet",
  help: "Keys of a balancer: balancer://name key=value … (lbmethod, stickysession, …)",
  default: [],
}, parseProxySet);

/** A balancer's keys before any ProxySet: httpd's defaults. */
export const BALANCER_DEFAULTS = {
  lbMethod: "byrequests" as LbMethod,
  stickySession: null,
  stickySessionSeparator: ".",
  noFailover: false,
  maxAttempts: null,
  forceRecovery: true,
} as const;

/**
 * Gathers the lines per balancer, in the order balancers are first named: members in the order
 * written, ProxySet keys applied in order (a later line's key wins). A balancer that only a
 * ProxySet names has no members (`checkConfig()` refuses it).
 */
export function assembleBalancers(
  members: readonly BalancerMemberLine[],
  sets: readonly ProxySetLine[],
): BalancerConfig[] {
  const balancers = new Map<string, BalancerConfig>();
  const named = (name: string, origin: string): BalancerConfig => {
    const found = balancers.get(name);
    if (found !== undefined) return found;
    const fresh = { name, members: [], ...BALANCER_DEFAULTS, origin };
    balancers.set(name, fresh);
    return fresh;
  };
  for (const { balancer, member } of members) {
    const b = named(balancer, member.origin);
    balancers.set(balancer, { ...b, members: [...b.members, member] });
  }
  for (const { balancer, settings, origin } of sets) {
    balancers.set(balancer, { ...named(balancer, origin), ...settings });
  }
  return [...balancers.values()];
}

/** The keys of a member that differ from httpd's defaults, as `key=value` words. */
function memberKeys(member: BalancerMemberConfig): string[] {
  const hc = member.healthCheck;
  const d = MEMBER_DEFAULTS;
  const own = new URL(member.url).pathname;
  return [
    ...(member.loadFactor === d.loadFactor ? [] : [`loadfactor=${member.loadFactor}`]),
    ...(member.route === "" ? [] : [`route=${member.route}`]),
    ...(member.retryMs === d.retryMs ? [] : [`retry=${formatDuration(member.retryMs)}`]),
    ...(member.status.length === 0 ? [] : [`status=${member.status.map((f) => `+${f}`).join("")}`]),
    ...(hc.method === d.healthCheck.method ? [] : [`hcmethod=${hc.method}`]),
    ...(hc.path === own ? [] : [`hcuri=${hc.path}`]),
    ...(hc.intervalMs === d.healthCheck.intervalMs
      ? []
      : [`hcinterval=${formatDuration(hc.intervalMs)}`]),
    ...(hc.passes === d.healthCheck.passes ? [] : [`hcpasses=${hc.passes}`]),
    ...(hc.fails === d.healthCheck.fails ? [] : [`hcfails=${hc.fails}`]),
  ];
}

/** The keys of a balancer that differ from httpd's defaults, as `key=value` words. */
function balancerKeys(balancer: BalancerConfig): string[] {
  const d = BALANCER_DEFAULTS;
  const sticky = balancer.stickySession;
  return [
    ...(balancer.lbMethod === d.lbMethod ? [] : [`lbmethod=${balancer.lbMethod}`]),
    ...(sticky === null ? [] : [
      `stickysession=${sticky.cookie}${
        sticky.urlParameter === sticky.cookie ? "" : `|${sticky.urlParameter}`
      }`,
    ]),
    ...(balancer.stickySessionSeparator === d.stickySessionSeparator
      ? []
      : [`stickysessionsep=${balancer.stickySessionSeparator}`]),
    ...(balancer.noFailover === d.noFailover ? [] : [`nofailover=${onOff(balancer.noFailover)}`]),
    ...(balancer.maxAttempts === null ? [] : [`maxattempts=${balancer.maxAttempts}`]),
    ...(balancer.forceRecovery === d.forceRecovery
      ? []
      : [`forcerecovery=${onOff(balancer.forceRecovery)}`]),
  ];
}

function onOff(value: boolean): string {
  return value ? "On" : "Off";
}

/**
 * The BalancerMember and ProxySet lines that define `balancers` (keys left at their default
 * left out): what `--convert` writes and reads back to the same balancers.
 */
export function formatBalancerLines(
  balancers: readonly BalancerConfig[],
): { readonly BalancerMember: string[]; readonly ProxySet: string[] } {
  return {
    BalancerMember: balancers.flatMap((b) =>
      b.members.map((m) => [`balancer://${b.name}`, m.url, ...memberKeys(m)].join(" "))
    ),
    ProxySet: balancers.flatMap((b) => {
      const keys = balancerKeys(b);
      return keys.length === 0 ? [] : [[`balancer://${b.name}`, ...keys].join(" ")];
    }),
  };
}
