/**
 * mod_alias's redirects: `Redirect [status] URL-path [URL]`, `RedirectMatch [status] regex
 * [URL]`, `RedirectPermanent URL-path URL` and `RedirectTemp URL-path URL`, each line one rule,
 * written the same way in YAML (a string, or a list of them) and httpd.conf.
 *
 * @module
 */

import {
  argsOf,
  checkRegExp,
  describeValue,
  type Directive,
  DirectiveValueError,
  itemList,
} from "./directive.ts";
import type { RedirectRule } from "./server_config.ts";

/** httpd's status keywords. */
const KEYWORDS: Readonly<Record<string, number>> = {
  permanent: 301,
  temp: 302,
  seeother: 303,
  gone: 410,
};

type Form = "prefix" | "regex";

/** A URL with scheme and host, or a path on this host. */
const TARGET = /^([a-z][a-z0-9+.-]*:\/\/[^/\s]|\/)/i;
/** The same, or a RedirectMatch group that holds the whole URL (`$1`). */
const MATCH_TARGET = /^([a-z][a-z0-9+.-]*:\/\/[^/\s]|\/|\$\d)/i;

/** One rule's words: `[status] match [URL]`, with a fixed status for the Permanent/Temp forms. */
function parseRule(
  value: unknown,
  form: Form,
  fixedStatus: number | null,
): RedirectRule {
  if (typeof value !== "string") {
    throw new DirectiveValueError(`${describeValue(value)} is not a redirect ([status] path URL)`);
  }
  const words = argsOf(value);
  let status = fixedStatus ?? 302;
  if (fixedStatus === null && words.length > 0) {
    const first = words[0]!.toLowerCase();
    if (first in KEYWORDS) status = KEYWORDS[first]!;
    else if (/^\d+$/.test(first)) status = Number(first);
    if (first in KEYWORDS || /^\d+$/.test(first)) words.shift();
  }
  if (status < 300 || status > 599) {
    throw new DirectiveValueError(`${status} is not a redirect or error status (300 to 599)`);
  }
  const [match, target, ...extra] = words;
  const what = form === "prefix" ? "URL path" : "regular expression";
  if (match === undefined) throw new DirectiveValueError(`a redirect needs a ${what} to match`);
  const redirects = status < 400;
  if (extra.length > 0 || (target !== undefined && !redirects)) {
    throw new DirectiveValueError(
      redirects
        ? `${JSON.stringify(value)} has more than a ${what} and a URL`
        : `status ${status} sends no Location: give no URL after ${JSON.stringify(match)}`,
    );
  }
  if (redirects && target === undefined) {
    throw new DirectiveValueError(`status ${status} needs a URL to send the client to`);
  }
  if (target !== undefined && !(form === "regex" ? MATCH_TARGET : TARGET).test(target)) {
    throw new DirectiveValueError(
      `${JSON.stringify(target)} is not a URL (scheme://host/… or a path starting with /)`,
    );
  }
  if (form === "prefix") {
    if (!match.startsWith("/")) {
      throw new DirectiveValueError(`${JSON.stringify(match)} is not a URL path starting with /`);
    }
    return { kind: "prefix", match, status, target: target ?? null };
  }
  checkRegExp(match);
  return { kind: "regex", match, status, target: target ?? null };
}

function redirectList(name: string, help: string, form: Form, fixedStatus: number | null) {
  return itemList<RedirectRule>(
    { name, help, default: [] },
    (item) => parseRule(item, form, fixedStatus),
  ) satisfies Directive<readonly RedirectRule[]>;
}

/** The four redirect directives, by name. */
export const REDIRECT_DIRECTIVES = {
  Redirect: redirectList(
    "Redirect",
    "Sends requests under a URL path elsewhere: [status] URL-path URL",
    "prefix",
    null,
  ),
  RedirectMatch: redirectList(
    "RedirectMatch",
    "Sends requests whose path matches a regular expression elsewhere: [status] regex URL",
    "regex",
    null,
  ),
  RedirectPermanent: redirectList(
    "RedirectPermanent",
    "Redirect with status 301: URL-path URL",
    "prefix",
    301,
  ),
  RedirectTemp: redirectList(
    "RedirectTemp",
    "Redirect with status 302: URL-path URL",
    "prefix",
    302,
  ),
} as const;
