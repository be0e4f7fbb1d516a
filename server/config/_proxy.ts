/**
 * mod_proxy's and mod_proxy_http's directives: `ProxyPass path url [key=value …]` (or
 * `path !`), `ProxyPassMatch regex url [key=value …]`, `ProxyPassReverse path url`, the cookie
 * rewrites, ProxyPreserveHost, ProxyTimeout, ProxyAddHeaders, mpmd's own ProxyForwarded, and
 * ProxyRequests, which may only be Off: mpmd is no forward proxy. A line in a `<Location>` (the
 * one-argument form) is read by the httpd.conf reader as the same line with the Location's path.
 *
 * @module
 */

import { didYouMeanHint } from "../../base/mod.ts";
import {
  argsOf,
  checkRegExp,
  describeValue,
  type Directive,
  type DirectiveContext,
  DirectiveValueError,
  flag,
  itemList,
  parseDuration,
  parseFlag,
  parseInteger,
} from "./directive.ts";
import { balancerOfTarget } from "./_balancer.ts";
import type { ProxyConfig, ProxyReverseRule, ProxyRule, ProxyWorker } from "./server_config.ts";

/** The worker of a ProxyPass line that sets no key. */
export const DEFAULT_PROXY_WORKER: ProxyWorker = Object.freeze({
  timeoutMs: null,
  connectionTimeoutMs: null,
  tcpKeepAlive: false,
  max: 100,
  ttlMs: 0,
});

/** mod_proxy's settings of a host that sets none of its directives. */
export const DEFAULT_PROXY_CONFIG: ProxyConfig = Object.freeze({
  rules: [],
  reverse: [],
  cookieDomains: [],
  cookiePaths: [],
  preserveHost: false,
  timeoutMs: null,
  addHeaders: true,
  forwarded: false,
});

/** The worker keys mpmd implements, lower-case, and how each sets its field. */
const WORKER_KEYS: Readonly<
  Record<string, (value: string, ctx: DirectiveContext) => Partial<ProxyWorker>>
> = {
  timeout: (value, ctx) => ({ timeoutMs: parseDuration(value, ctx, 1) }),
  connectiontimeout: (value, ctx) => ({ connectionTimeoutMs: parseDuration(value, ctx, 1) }),
  keepalive: (value, ctx) => ({ tcpKeepAlive: parseFlag(value, ctx) }),
  max: (value, ctx) => ({ max: parseInteger(value, ctx, { min: 1, max: 65_535 }) }),
  ttl: (value, ctx) => ({ ttlMs: parseDuration(value, ctx, 0) }),
};

/** Target schemes other helpers of mod_proxy own, and why a line cannot use them yet. */
const OTHER_SCHEMES: Readonly<Record<string, string>> = {
  "balancer:": "a balancer URL is balancer://name[/path], without a query or fragment",
  "https:": "mpmd speaks plain http:// to backends",
  "ws:": "write http:// (upgrades are passed through http:// targets)",
  "wss:": "mpmd speaks plain http:// to backends",
};

/**
 * Checks a backend URL: `http://host[:port][/path]`, nothing after the path. In a
 * ProxyPassMatch target, `$1`… stand for groups and are checked as plain text.
 */
function checkBackendUrl(written: string): void {
  if (/^[^:]*:\/\/[^/]*\$/.test(written)) {
    throw new DirectiveValueError(
      `${JSON.stringify(written)} has a $ substitution in its host: only its path may have them`,
    );
  }
  let url: URL;
  try {
    url = new URL(written.replace(/\$\d/g, "x"));
  } catch {
    throw new DirectiveValueError(`${JSON.stringify(written)} is not a URL`);
  }
  const other = OTHER_SCHEMES[url.protocol];
  if (other !== undefined) {
    throw new DirectiveValueError(`Cannot proxy to ${JSON.stringify(written)}: ${other}`);
  }
  if (url.protocol !== "http:") {
    throw new DirectiveValueError(
      `${JSON.stringify(written)} is not an http:// URL (mpmd's proxy speaks HTTP/1.1)`,
    );
  }
  if (url.username !== "" || url.password !== "" || url.hash !== "" || url.search !== "") {
    throw new DirectiveValueError(
      `${
        JSON.stringify(written)
      } holds credentials, a query or a fragment: write scheme, host, port and path only`,
    );
  }
}

/** The worker a line's `key=value` words set. */
function parseWorker(words: readonly string[], ctx: DirectiveContext): ProxyWorker {
  let worker: ProxyWorker = DEFAULT_PROXY_WORKER;
  for (const word of words) {
    const eq = word.indexOf("=");
    const key = word.slice(0, Math.max(eq, 0)).toLowerCase();
    const set = WORKER_KEYS[key];
    if (eq <= 0 || set === undefined) {
      const name = eq <= 0 ? word : word.slice(0, eq);
      throw new DirectiveValueError(
        `${JSON.stringify(name)} is not a worker key mpmd implements (${
          Object.keys(WORKER_KEYS).join(", ")
        })${didYouMeanHint(name, Object.keys(WORKER_KEYS))}`,
      );
    }
    try {
      worker = { ...worker, ...set(word.slice(eq + 1), { ...ctx, syntax: "yaml" }) };
    } catch (e) {
      if (!(e instanceof DirectiveValueError)) throw e;
      throw new DirectiveValueError(`${key}=: ${e.message}`, { cause: e });
    }
  }
  return worker;
}

function parseRule(value: unknown, kind: ProxyRule["kind"], ctx: DirectiveContext): ProxyRule {
  const what = kind === "prefix" ? "path" : "regex";
  if (typeof value !== "string") {
    throw new DirectiveValueError(
      `${describeValue(value)} is not a line "${what} url [key=value]"`,
    );
  }
  const [match = "", target = "", ...keys] = argsOf(value);
  if (target === "") {
    throw new DirectiveValueError(
      `${JSON.stringify(value)} is not "${what} url [key=value …]" or "${what} !"`,
    );
  }
  if (kind === "prefix" && !match.startsWith("/")) {
    throw new DirectiveValueError(`${JSON.stringify(match)} is not a URL path starting with /`);
  }
  if (kind === "regex") checkRegExp(match);
  if (target === "!") {
    if (keys.length > 0) throw new DirectiveValueError(`"${what} !" takes no keys`);
    return { kind, match, target: null, worker: DEFAULT_PROXY_WORKER };
  }
  // A balancer's members are checked on their BalancerMember lines.
  if (balancerOfTarget(target) === null) checkBackendUrl(target);
  return { kind, match, target, worker: parseWorker(keys, ctx) };
}

/** ProxyPass: URL path prefix → backend URL, or `!` to leave the path unproxied. */
export const PROXY_PASS: Directive<readonly ProxyRule[]> = itemList(
  {
    name: "ProxyPass",
    help: "Passes a URL path to a backend: path url [key=value …], or path ! to exclude it",
    default: [],
  },
  (item, ctx) => parseRule(item, "prefix", ctx),
);

/** ProxyPassMatch: regular expression → backend URL with `$1`…, or `!`. */
export const PROXY_PASS_MATCH: Directive<readonly ProxyRule[]> = itemList(
  {
    name: "ProxyPassMatch",
    help: "Passes the paths a regular expression matches to a backend: regex url [key=value …]",
    default: [],
  },
  (item, ctx) => parseRule(item, "regex", ctx),
);

/** A list of two-word rewriting lines, each checked by `check`. */
function reverseList(
  info: { name: string; help: string; words: string },
  check: (backend: string, shown: string) => void,
): Directive<readonly ProxyReverseRule[]> {
  return itemList({ name: info.name, help: info.help, default: [] }, (item) => {
    if (typeof item !== "string") {
      throw new DirectiveValueError(`${describeValue(item)} is not a line "${info.words}"`);
    }
    const words = argsOf(item);
    if (words.length !== 2) {
      throw new DirectiveValueError(`${JSON.stringify(item)} is not "${info.words}"`);
    }
    const [shown, backend] = info.name === "ProxyPassReverse"
      ? [words[0]!, words[1]!]
      : [words[1]!, words[0]!];
    check(backend, shown);
    return { backend, public: shown };
  });
}

/** ProxyPassReverse: a backend URL prefix in redirects → this host's path. */
export const PROXY_PASS_REVERSE: Directive<readonly ProxyReverseRule[]> = reverseList(
  {
    name: "ProxyPassReverse",
    help: "Rewrites a backend's URLs in Location, Content-Location and URI: path url",
    words: "path url",
  },
  (backend, shown) => {
    if (!shown.startsWith("/")) {
      throw new DirectiveValueError(`${JSON.stringify(shown)} is not a URL path starting with /`);
    }
    // A balancer URL stands for each of its members' (checkConfig() writes them out).
    if (balancerOfTarget(backend) === null) checkBackendUrl(backend);
  },
);

/** ProxyPassReverseCookieDomain: a backend's cookie domain → the one the client sees. */
export const PROXY_PASS_REVERSE_COOKIE_DOMAIN: Directive<readonly ProxyReverseRule[]> = reverseList(
  {
    name: "ProxyPassReverseCookieDomain",
    help: "Rewrites the domain of a backend's Set-Cookie: internal-domain public-domain",
    words: "internal-domain public-domain",
  },
  () => {},
);

/** ProxyPassReverseCookiePath: a backend's cookie path prefix → the one the client sees. */
export const PROXY_PASS_REVERSE_COOKIE_PATH: Directive<readonly ProxyReverseRule[]> = reverseList(
  {
    name: "ProxyPassReverseCookiePath",
    help: "Rewrites the path of a backend's Set-Cookie: internal-path public-path",
    words: "internal-path public-path",
  },
  (backend, shown) => {
    if (!backend.startsWith("/") || !shown.startsWith("/")) {
      throw new DirectiveValueError("both paths must start with /");
    }
  },
);

/** ProxyRequests: Off only; On (a forward proxy) is refused. */
const PROXY_REQUESTS: Directive<false> = {
  name: "ProxyRequests",
  help: "Forward proxying: Off only (mpmd is a reverse proxy)",
  default: false,
  parse(value, ctx) {
    if (parseFlag(value, ctx)) {
      throw new DirectiveValueError(
        "On is refused: mpmd is no forward proxy (write Off, and ProxyPass for a reverse proxy)",
      );
    }
    return false;
  },
};

/** ProxyTimeout: how long to wait for a backend; unset, the server's Timeout. */
const PROXY_TIMEOUT: Directive<number | null> = {
  name: "ProxyTimeout",
  help: "How long to wait for a backend's answer (default: Timeout)",
  default: null,
  parse: (value, ctx) => parseDuration(value, ctx, 1),
};

/** The proxy's directives, by name. */
export const PROXY_DIRECTIVES = {
  ProxyPass: PROXY_PASS,
  ProxyPassMatch: PROXY_PASS_MATCH,
  ProxyPassReverse: PROXY_PASS_REVERSE,
  ProxyPassReverseCookieDomain: PROXY_PASS_REVERSE_COOKIE_DOMAIN,
  ProxyPassReverseCookiePath: PROXY_PASS_REVERSE_COOKIE_PATH,
  ProxyPreserveHost: flag({
    name: "ProxyPreserveHost",
    help: "Sends the client's Host to the backend instead of the backend's own name",
    default: false,
  }),
  ProxyTimeout: PROXY_TIMEOUT,
  ProxyAddHeaders: flag({
    name: "ProxyAddHeaders",
    help: "Adds X-Forwarded-For, X-Forwarded-Host and X-Forwarded-Server to proxied requests",
    default: true,
  }),
  ProxyForwarded: flag({
    name: "ProxyForwarded",
    help: "Adds an RFC 7239 Forwarded field (for, by, host, proto) to proxied requests",
    default: false,
  }),
  ProxyRequests: PROXY_REQUESTS,
} as const;
