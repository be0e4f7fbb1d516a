/**
 * mod_headers: a host's `Header` lines change each response's fields after its modules answer
 * (`onsuccess` lines 2xx and 304 answers only, `always` lines every answer, error pages and
 * redirects included); its `RequestHeader` lines change the request's fields before they run.
 *
 * @module
 */

import type { HeaderRule, HostConfig } from "../../server/config/mod.ts";
import type {
  FieldsResponse,
  Handler,
  ServerRequest,
  ServerResponse,
} from "../../server/http/mod.ts";
import { answerOf } from "../_answer.ts";
import type { Logger } from "../../server/log/mod.ts";

/** `fields` (name, value pairs) with `rules` applied, in order; `fields` is not changed. */
export function applyHeaderRules(
  fields: readonly (readonly [string, string])[],
  rules: readonly HeaderRule[],
): [string, string][] {
  let out = fields.map(([n, v]): [string, string] => [n, v]);
  for (const { action, name, value } of rules) {
    const lower = name.toLowerCase();
    const at = out.findIndex(([n]) => n.toLowerCase() === lower);
    switch (action) {
      case "unset":
        out = out.filter(([n]) => n.toLowerCase() !== lower);
        break;
      case "set":
        out = out.filter(([n]) => n.toLowerCase() !== lower);
        out.push([name, value!]);
        break;
      case "setifempty":
        if (at < 0) out.push([name, value!]);
        break;
      case "add":
        out.push([name, value!]);
        break;
      case "append":
      case "merge": {
        if (at < 0) {
          out.push([name, value!]);
          break;
        }
        const current = out[at]![1];
        const tokens = current.split(",").map((t) => t.trim());
        if (action === "merge" && tokens.includes(value!)) break;
        out[at] = [out[at]![0], `${current}, ${value}`];
        break;
      }
    }
  }
  return out;
}

/** Whether `onsuccess` lines apply to an answer with this status (httpd's headers_out). */
function succeeded(status: number): boolean {
  return (status >= 200 && status < 300) || status === 304;
}

/** Options of {@link withHeaderRules}. */
export interface HeaderRulesOptions {
  /** Where a module's crash is logged when the rules turn it into a 500 page. */
  readonly logger: Logger;
}

/**
 * `handler` with the host's Header and RequestHeader lines around it; `handler` itself when
 * the host has none. A failure (an `HttpError`, a crash, no answer) becomes its error page here,
 * so that `always` lines reach it too.
 */
export function withHeaderRules(
  handler: Handler,
  host: Pick<HostConfig, "headers" | "requestHeaders">,
  options: HeaderRulesOptions,
): Handler {
  const { headers: responseRules, requestHeaders: requestRules } = host;
  if (responseRules.length === 0 && requestRules.length === 0) return handler;
  const always = responseRules.filter((r) => r.when === "always");
  const finish = (response: FieldsResponse): ServerResponse => {
    const rules = succeeded(response.status) ? responseRules : always;
    return rules.length === 0
      ? response
      : { ...response, headers: applyHeaderRules(response.headers, rules) };
  };
  return (sent) => {
    const request = requestRules.length === 0 ? sent : withRequestRules(sent, requestRules);
    return answerOf(handler, request, options.logger, finish);
  };
}

/**
 * The request with its fields changed: a view over it (its prototype), so that everything else
 * reads through; without the `Request` Deno's server read, an app is then given one made from
 * the changed fields.
 */
function withRequestRules(request: ServerRequest, rules: readonly HeaderRule[]): ServerRequest {
  const fields = applyHeaderRules([...request.headers], rules);
  const headers = new Map<string, string>();
  for (const [name, value] of fields) {
    const lower = name.toLowerCase();
    const earlier = headers.get(lower);
    headers.set(lower, earlier === undefined ? value : `${earlier}, ${value}`);
  }
  return Object.create(request, {
    headers: { value: headers },
    web: { value: undefined },
  }) as ServerRequest;
}
