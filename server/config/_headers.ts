/**
 * mod_headers: `Header [always|onsuccess] set|append|add|merge|setifempty|unset NAME [VALUE]`
 * for responses and `RequestHeader set|append|add|merge|setifempty|unset NAME [VALUE]` for
 * requests, each line one rule (a string, or a list of them, in YAML as in httpd.conf).
 *
 * @module
 */

import {
  argsOf,
  describeValue,
  type Directive,
  DirectiveValueError,
  itemList,
} from "./directive.ts";
import type { HeaderAction, HeaderRule } from "./server_config.ts";

const ACTIONS: readonly HeaderAction[] = ["set", "append", "add", "merge", "setifempty", "unset"];
const NOT_BUILT = ["edit", "edit*", "echo", "note"];
// RFC 9110 section 5.1: a field name is a token.
const FIELD_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

function parseRule(value: unknown, directive: "Header" | "RequestHeader"): HeaderRule {
  if (typeof value !== "string") {
    throw new DirectiveValueError(`${describeValue(value)} is not a ${directive} line`);
  }
  const words = argsOf(value);
  // `early` runs a line before the request is mapped: mpmd applies every line that early.
  if (words.length > 2 && words.at(-1)!.toLowerCase() === "early") words.pop();
  let when: HeaderRule["when"] = "onsuccess";
  if (directive === "Header" && /^(always|onsuccess)$/i.test(words[0] ?? "")) {
    when = words.shift()!.toLowerCase() as HeaderRule["when"];
  }
  const [written = "", name = "", headerValue, ...extra] = words;
  const action = written.toLowerCase() as HeaderAction;
  if (!ACTIONS.includes(action)) {
    throw new DirectiveValueError(
      NOT_BUILT.includes(action)
        ? `mpmd does not implement ${directive} ${action} (it has ${ACTIONS.join(", ")})`
        : `${JSON.stringify(written)} is not an action (${ACTIONS.join(", ")})`,
    );
  }
  if (!FIELD_NAME.test(name)) {
    throw new DirectiveValueError(`${JSON.stringify(name)} is not a header field name`);
  }
  if (action === "unset" ? headerValue !== undefined : headerValue === undefined) {
    throw new DirectiveValueError(
      action === "unset" ? `unset takes no value` : `${action} needs a value for ${name}`,
    );
  }
  if (extra.length > 0) {
    throw new DirectiveValueError(
      `mpmd does not implement ${directive} conditions (${
        extra.join(" ")
      }): a line is when action name value`,
    );
  }
  if (headerValue !== undefined && /[\r\n\0]/.test(headerValue)) {
    throw new DirectiveValueError(`the value of ${name} holds a line break or NUL`);
  }
  return { when, action, name, value: headerValue ?? null };
}

/** Header: rules applied to every response of the host (`always`: error responses too). */
export const HEADER: Directive<readonly HeaderRule[]> = itemList(
  {
    name: "Header",
    help: "Response header fields: [always] set|append|add|merge|setifempty|unset name [value]",
    default: [],
  },
  (item) => parseRule(item, "Header"),
);

/** RequestHeader: rules applied to every request before the host's modules see it. */
export const REQUEST_HEADER: Directive<readonly HeaderRule[]> = itemList(
  {
    name: "RequestHeader",
    help: "Request header fields: set|append|add|merge|setifempty|unset name [value]",
    default: [],
  },
  (item) => parseRule(item, "RequestHeader"),
);
