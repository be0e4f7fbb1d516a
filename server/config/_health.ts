/**
 * The Health directive: the path a load balancer or an orchestrator probes to learn whether
 * the server takes requests.
 *
 * @module
 */

import { type Directive, DirectiveValueError, parseText } from "./directive.ts";
import { locationProblem } from "./_location.ts";

/**
 * Health: a path such as `/healthz`, answered on every host and to every client (probes
 * come from the orchestrator's own addresses), or `Off` (the default).
 */
export const HEALTH: Directive<string | null> = {
  name: "Health",
  help: "Path answering 200 while the server takes requests, 503 once it drains (or Off)",
  default: null,
  parse(value, ctx) {
    if (value === false) return null;
    const text = parseText(value, ctx);
    if (/^off$/i.test(text)) return null;
    if (text === "/") throw new DirectiveValueError(`"/" would hide the whole site`);
    const problem = locationProblem(text);
    if (problem !== null) throw new DirectiveValueError(problem);
    return text;
  },
};
